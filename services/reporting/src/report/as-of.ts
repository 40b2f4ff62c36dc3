import { isRegionCode, type RegionCode } from '@tashghil/contracts';
import { ValidationError, type EventStore } from '@tashghil/event-store';
import { createTables, dropTables } from '../read-model/layout';
import { replayInto, scratchSchema, type Progress } from '../read-model/generations';
import { buildReport } from './report.query';
import type { CommitteeReport } from './report.types';

export interface AsOfOptions {
  /** A calendar day: the report holds every event recorded up to the end of it (UTC). */
  readonly asOf: string;
  readonly region?: RegionCode;
  readonly onProgress?: Progress;
}

export const endOfDay = (day: string): string => `${day}T23:59:59.999Z`;

const isDay = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * The committee report as it stood at the end of a day: the store is replayed up to then, with the
 * same projection code, into a scratch generation that is dropped afterwards. What was recorded
 * later, even about earlier dates, is not in it.
 */
export const reportAsOf = async (store: EventStore, options: AsOfOptions): Promise<CommitteeReport> => {
  const problems = [
    ...(isDay(options.asOf) ? [] : [{ path: 'asOf', message: 'must be a calendar date as YYYY-MM-DD' }]),
    ...(options.region === undefined || isRegionCode(options.region)
      ? []
      : [{ path: 'region', message: 'must be a region code MA-01 … MA-12' }]),
  ];
  if (problems.length > 0)
    throw new ValidationError('INVALID_AS_OF', 'the report cannot be asked for like this', problems);
  const schema = scratchSchema();
  await createTables(store.db, schema);
  try {
    await replayInto(store, schema, {
      recordedUntil: endOfDay(options.asOf),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return await buildReport(store.db, schema, {
      ...(options.region ? { region: options.region } : {}),
      asOf: options.asOf,
      kind: 'replay',
    });
  } finally {
    await dropTables(store.db, schema);
  }
};
