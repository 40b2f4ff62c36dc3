import {
  isIntegrationEventType,
  parseIntegrationData,
  type IntegrationEventData,
  type IntegrationEventType,
} from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { assertSchemaName, READ_MODELS } from './layout';
import type { ProjectedEvent } from './read-model';

export type { ProjectedEvent } from './read-model';

const projected = new Set(READ_MODELS.flatMap((m) => Object.keys(m.handlers).filter(isIntegrationEventType)));
const isProjected = (type: string): type is IntegrationEventType => isIntegrationEventType(type) && projected.has(type);

/** The integration events the read model is made of: every type some read model has a handler for. */
export const PROJECTED_TYPES: readonly string[] = [...projected];

/**
 * Runs every read model's handler of `type`. The callers parsed the data with its contract already
 * (the consumer's inbox, the replay); parsing it again here, a few microseconds against the
 * statements that follow, is what types it for the handlers.
 */
const applyEvent = async <T extends IntegrationEventType>(
  q: Queryable,
  s: string,
  type: T,
  data: unknown,
  event: ProjectedEvent,
): Promise<void> => {
  const parsed: IntegrationEventData<T> | undefined = parseIntegrationData(type, data);
  if (parsed === undefined) throw new Error(`event ${event.eventId} (${type}) does not match its contract`);
  for (const model of READ_MODELS) {
    const handler = model.handlers[type];
    if (handler) await handler(q, s, parsed, event);
  }
};

/**
 * Applies one event to the generation in `schema`, once: an event already taken in changes nothing.
 * The live consumer calls this in its own transaction. Returns false for a duplicate.
 */
export const project = async (q: Queryable, schema: string, event: ProjectedEvent, data: unknown): Promise<boolean> =>
  (await projectAll(q, schema, [{ event, data }])) === 1;

/**
 * Applies a page of events in order, each once: one statement marks the whole page taken in, then
 * each new event's handlers run. Rebuilds and replays use this; returns how many were new.
 */
export const projectAll = async (
  q: Queryable,
  schema: string,
  items: readonly { event: ProjectedEvent; data: unknown }[],
): Promise<number> => {
  const s = assertSchemaName(schema);
  const wanted = items.flatMap(({ event, data }) => {
    const { type } = event;
    return isProjected(type) ? [{ type, event, data }] : [];
  });
  if (wanted.length === 0) return 0;
  const { rows } = await q.query<{ event_id: string }>(
    `INSERT INTO ${s}.applied (event_id, global_position, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id::text`,
    [
      wanted.map((i) => i.event.eventId),
      wanted.map((i) => i.event.globalPosition),
      wanted.map((i) => i.event.recordedAt),
    ],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  // Taken off as it is applied, so an event that comes twice in one page is applied once too.
  for (const { type, event, data } of wanted)
    if (fresh.delete(event.eventId.toLowerCase())) await applyEvent(q, s, type, data, event);
  return rows.length;
};
