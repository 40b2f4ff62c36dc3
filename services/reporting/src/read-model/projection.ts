import {
  isIntegrationEventType,
  parseIntegrationData,
  type IntegrationEventData,
  type IntegrationEventType,
} from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { assertSchemaName, READ_MODELS } from './layout';
import type { PageItem, ProjectedEvent } from './read-model';
import { writeVersionsOf } from './versioned';

export type { ProjectedEvent } from './read-model';

const projected = new Set(READ_MODELS.flatMap((m) => Object.keys(m.handlers)).filter(isIntegrationEventType));
/** The versioned tables of every read model, each with the types it folds. */
const VERSIONED = READ_MODELS.flatMap((m) =>
  Object.entries(m.versions).flatMap(([table, versioned]) => (versioned ? [{ table, versioned }] : [])),
);
const isProjected = (type: string): type is IntegrationEventType => isIntegrationEventType(type) && projected.has(type);

/** The integration events the read model is made of: every type some read model has a handler for. */
export const PROJECTED_TYPES: readonly string[] = [...projected];

/**
 * The callers parsed the data with its contract already (the consumer's inbox, the replay); parsing
 * it again here, a few microseconds against the statements that follow, is what types it for the
 * handlers.
 */
const typed = <T extends IntegrationEventType>(type: T, data: unknown, event: ProjectedEvent): PageItem<T> => {
  const parsed: IntegrationEventData<T> | undefined = parseIntegrationData(type, data);
  if (parsed === undefined) throw new Error(`event ${event.eventId} (${type}) does not match its contract`);
  return { data: parsed, event };
};

const runEvent = async <T extends IntegrationEventType>(q: Queryable, s: string, type: T, item: PageItem<T>) => {
  for (const model of READ_MODELS) {
    const handler = model.eachEvent[type];
    if (handler) await handler(q, s, item.data, item.event);
  }
};

const runPage = async <T extends IntegrationEventType>(
  q: Queryable,
  s: string,
  type: T,
  items: readonly PageItem<T>[],
) => {
  for (const model of READ_MODELS) {
    const handler = model.pages[type];
    if (handler) await handler(q, s, items);
  }
};

/**
 * Applies one event to the generation in `schema`, once: an event already taken in changes nothing.
 * The live consumer calls this in its own transaction. Returns false for a duplicate.
 */
export const project = async (q: Queryable, schema: string, event: ProjectedEvent, data: unknown): Promise<boolean> =>
  (await projectAll(q, schema, [{ event, data }])) === 1;

/**
 * Applies a page of events, each once: one statement marks the whole page taken in (and counts it
 * per day), then, per event type, one statement per table of facts recorded once; then each
 * versioned table folds the page's events in page order (a stream's order) over the current rows
 * they name, in three statements whatever the page holds; then the few handlers of one event run
 * event by event. Each kind writes its own tables, so which runs first does not matter. The live
 * consumer, rebuilds and replays all use this; returns how many were new.
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
    `WITH fresh AS (
       INSERT INTO ${s}.applied (event_id, global_position, recorded_at)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[]) ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, recorded_at),
     days AS (
       INSERT INTO ${s}.applied_days (day, shard, events, last)
       SELECT (recorded_at AT TIME ZONE 'UTC')::date, abs(hashtext(event_id::text)) % 16, count(*), max(recorded_at)
         FROM fresh GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (day, shard) DO UPDATE
          SET events = ${s}.applied_days.events + EXCLUDED.events, last = GREATEST(${s}.applied_days.last, EXCLUDED.last))
     SELECT event_id::text FROM fresh`,
    [
      wanted.map((i) => i.event.eventId),
      wanted.map((i) => i.event.globalPosition),
      wanted.map((i) => i.event.recordedAt),
    ],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  // Taken off as it is kept, so an event that comes twice in one page is applied once too.
  const kept = wanted
    .filter(({ event }) => fresh.delete(event.eventId.toLowerCase()))
    .map(({ type, event, data }) => ({ type, item: typed(type, data, event) }));
  const byType = new Map<IntegrationEventType, PageItem<IntegrationEventType>[]>();
  for (const { type, item } of kept) {
    const page = byType.get(type);
    if (page) page.push(item);
    else byType.set(type, [item]);
  }
  for (const [type, page] of byType) await runPage(q, s, type, page);
  const inOrder = kept.map(({ item }) => item);
  for (const { table, versioned } of VERSIONED) await writeVersionsOf(q, s, table, versioned, inOrder);
  for (const { type, item } of kept) await runEvent(q, s, type, item);
  return rows.length;
};
