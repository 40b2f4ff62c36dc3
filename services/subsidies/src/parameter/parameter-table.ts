import type { EventStore } from '@tashghil/event-store';
import { BASELINE, type ParameterTable } from '../rules/parameters';
import { PARAMETER_CATEGORY, type ParameterValueSet } from './parameter.decider';

/** The baseline plus every value recorded since, each with the instant it was recorded. */
export const loadParameterTable = async (store: EventStore): Promise<ParameterTable> => {
  const { rows } = await store.db.query<{ data: ParameterValueSet['data']; recorded_at: Date | string }>(
    `SELECT data, recorded_at FROM es.events WHERE category = $1 AND type = 'ParameterValueSet' ORDER BY global_position`,
    [PARAMETER_CATEGORY],
  );
  return [
    ...BASELINE,
    ...rows.map(({ data, recorded_at }) => ({
      name: data.name,
      value: data.value,
      effectiveFrom: data.effectiveFrom,
      reference: data.reference,
      recordedAt: new Date(recorded_at).toISOString(),
    })),
  ];
};
