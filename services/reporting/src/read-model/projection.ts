import {
  contractFor,
  isIntegrationEventType,
  parseIntegrationData,
  type IntegrationEventData,
  type IntegrationEventType,
} from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { fillTally } from './bitemporal';
import { fillLineTally } from './line-tally';
import { LINE_TALLIES } from './lines.projection';
import { assertSchemaName, READ_MODELS, TALLIES } from './layout';
import { offersTouchedBy, recountOffers } from './offer-waits';
import { recount, touchedBy } from './people';
import type { Database } from './series';
import type { PageItem, ProjectedEvent } from './read-model';
import { writeVersionsOf } from './versioned';

export type { ProjectedEvent } from './read-model';

const projected = new Set(READ_MODELS.flatMap((m) => Object.keys(m.handlers)).filter(isIntegrationEventType));
/** Whether some read model takes in events of this type. */
export const isProjected = (type: string): type is IntegrationEventType =>
  isIntegrationEventType(type) && projected.has(type);

/** The versioned tables of every read model, each with the types it folds. */
const VERSIONED = READ_MODELS.flatMap((m) =>
  Object.entries(m.versions).flatMap(([table, versioned]) => (versioned ? [{ table, versioned }] : [])),
);

/**
 * Drops, for a first load into a new generation, the upkeep nothing reads while it loads: the key
 * of `applied` (see `projectTyped`), the secondary indexes of the tables of facts recorded once, and
 * the triggers that add each insert to its tally. Unique keys of read models stay (a fact's first
 * standing relies on them), and so does every index of a versioned table, whose current rows each
 * page reads. Returns what restores them, once: the indexes built again, the triggers back, and each
 * tally filled from its whole table.
 */
export const deferIndexes = async (q: Queryable, schema: string): Promise<() => Promise<void>> => {
  const s = assertSchemaName(schema);
  const versioned = VERSIONED.map(({ table }) => table);
  // Plain indexes of the fact tables; the key of `applied` is a constraint, dropped and added as one.
  const { rows } = await q.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND NOT (t.relname = ANY($2::text[])) AND NOT i.indisunique`,
    [s, versioned],
  );
  const { rows: triggered } = await q.query<{ name: string }>(
    `SELECT DISTINCT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1`,
    [s],
  );
  const sources = triggered.map((t) => t.name);
  await q.query(`ALTER TABLE ${s}.applied DROP CONSTRAINT applied_pkey`);
  for (const { name } of rows) await q.query(`DROP INDEX ${name}`);
  for (const source of sources) await q.query(`ALTER TABLE ${s}.${source} DISABLE TRIGGER USER`);
  return async () => {
    // Each statement below reads or writes tables of its own: two at a time, one per core.
    await inLanes([
      async () => {
        await q.query(`ALTER TABLE ${s}.applied ADD PRIMARY KEY (event_id)`);
        // A first load counts what it took in per day once, here (see `loadPage`): the counts of
        // every event `applied` holds, whatever was counted before.
        await q.query(
          `INSERT INTO ${s}.applied_days (day, shard, events, last)
           SELECT ${APPLIED_DAY}, ${APPLIED_SHARD}, count(*), max(recorded_at) FROM ${s}.applied GROUP BY 1, 2
           ON CONFLICT (day, shard) DO UPDATE SET events = EXCLUDED.events, last = EXCLUDED.last`,
        );
      },
      ...rows.map(
        ({ definition }) =>
          () =>
            q.query(definition),
      ),
    ]);
    for (const source of sources) await q.query(`ALTER TABLE ${s}.${source} ENABLE TRIGGER USER`);
    await inLanes([
      ...TALLIES(s).map((tally) => () => fillTally(q, s, tally)),
      ...LINE_TALLIES.map((tally) => () => fillLineTally(q, s, tally)),
    ]);
  };
};

/**
 * Runs the tasks `lanes` at a time, each lane taking the next task as it finishes one: on a pool,
 * each lane on a connection of its own (an embedded database takes them in turn).
 */
export const inLanes = async (tasks: readonly (() => Promise<unknown>)[], lanes = 2): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, tasks.length) }, lane));
};

/** The integration events the read model is made of: every type some read model has a handler for. */
export const PROJECTED_TYPES: readonly string[] = [...projected];

/** A projected event with its data parsed by its contract, so typed for the handlers of its type. */
export interface TypedItem {
  readonly type: IntegrationEventType;
  readonly item: PageItem<IntegrationEventType>;
}

/**
 * The consumer's inbox parsed the data already; parsing it again here, a few microseconds against
 * the statements that follow, is what types it for the handlers.
 */
const typed = <T extends IntegrationEventType>(type: T, data: unknown, event: ProjectedEvent): PageItem<T> => {
  const parsed: IntegrationEventData<T> | undefined = parseIntegrationData(type, data);
  if (parsed === undefined) throw new Error(`event ${event.eventId} (${type}) does not match its contract`);
  return { data: parsed, event };
};

/**
 * A stored event as the projection takes it, its data parsed once by the contract of the schema
 * version it was stored under; undefined for a type no read model takes, or for data that breaks its
 * contract (the consumer sends such a message to its dead letters, so a replay passes over it too).
 */
export const storedItem = (
  event: ProjectedEvent & { readonly schemaVersion: number; readonly data: unknown },
): TypedItem | undefined => {
  const { type } = event;
  if (!isProjected(type)) return undefined;
  const result = contractFor(type)?.versions[event.schemaVersion]?.safeParse(event.data);
  // A version's schema parses to one member of the type's data union; TypeScript cannot follow the key.
  return result?.success
    ? { type, item: { data: result.data as IntegrationEventData<typeof type>, event } }
    : undefined;
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
): Promise<number> =>
  projectTyped(
    q,
    schema,
    items.flatMap(({ event, data }) => {
      const { type } = event;
      return isProjected(type) ? [{ type, item: typed(type, data, event) }] : [];
    }),
  );

/**
 * `projectAll` for events parsed already (`storedItem`): the pages of a catch-up or a replay into a
 * generation others may write (a first load takes `loadPage`).
 */
export const projectTyped = async (q: Queryable, schema: string, wanted: readonly TypedItem[]): Promise<number> => {
  const s = assertSchemaName(schema);
  if (wanted.length === 0) return 0;
  const rows = await markApplied(q, s, wanted);
  const fresh = new Set(rows);
  // Taken off as it is kept, so an event that comes twice in one page is applied once too.
  const kept = wanted.filter(({ item }) => fresh.delete(item.event.eventId.toLowerCase()));
  await writeFacts(q, s, kept);
  await writeChanges(q, s, kept);
  // Last, once every table is written: the people and offers the page may count differently.
  await recount(q, s, await touchedBy(q, s, kept));
  await recountOffers(q, s, offersTouchedBy(kept));
  return rows.length;
};

/**
 * A page of a first load (see `projectTyped`), written over two connections at once: the facts
 * recorded once (with `applied`) in one transaction, the versioned tables and the handlers of one
 * event in another. The two write disjoint tables and neither reads the other's (the tallies that
 * join them are filled at the end of the load), so the order between them is free; and a first
 * load is all or nothing anyway (a build that fails drops its generation), so the page need not be
 * one transaction. The store never repeats an event, so a page's events are all new: `applied` is
 * written without a key to look up (it has none until the load ends) and without its counts per day,
 * which the end of the load takes from it in one statement (`deferIndexes`); the people and offers
 * are counted then too (`recountEveryone`, `recountEveryOffer`).
 */
export const loadPage = async (db: Database, schema: string, wanted: readonly TypedItem[]): Promise<number> => {
  const s = assertSchemaName(schema);
  if (wanted.length === 0) return 0;
  await Promise.all([
    db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ${s}.applied (event_id, global_position, recorded_at)
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[])`,
        appliedColumns(wanted),
      );
      await writeFacts(tx, s, wanted);
    }),
    db.transaction((tx) => writeChanges(tx, s, wanted)),
  ]);
  return wanted.length;
};

/** The day and the shard of `applied_days` an event of `applied` counts in. */
const APPLIED_DAY = `(recorded_at AT TIME ZONE 'UTC')::date`;
const APPLIED_SHARD = 'abs(hashtext(event_id::text)) % 16';

const appliedColumns = (items: readonly TypedItem[]): unknown[] => [
  items.map((i) => i.item.event.eventId),
  items.map((i) => i.item.event.globalPosition),
  items.map((i) => i.item.event.recordedAt),
];

/** Marks a page taken in and counts it per day; answers the ids it had not taken in before. */
const markApplied = async (q: Queryable, s: string, wanted: readonly TypedItem[]): Promise<string[]> => {
  const { rows } = await q.query<{ event_id: string }>(
    `WITH fresh AS (
       INSERT INTO ${s}.applied (event_id, global_position, recorded_at)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, recorded_at),
     days AS (
       INSERT INTO ${s}.applied_days (day, shard, events, last)
       SELECT ${APPLIED_DAY}, ${APPLIED_SHARD}, count(*), max(recorded_at) FROM fresh GROUP BY 1, 2 ORDER BY 1, 2
       ON CONFLICT (day, shard) DO UPDATE
          SET events = ${s}.applied_days.events + EXCLUDED.events, last = GREATEST(${s}.applied_days.last, EXCLUDED.last))
     SELECT event_id::text FROM fresh`,
    appliedColumns(wanted),
  );
  return rows.map((r) => r.event_id);
};

/** The tables of facts recorded once: one statement per event type of the page and table. */
const writeFacts = async (q: Queryable, s: string, kept: readonly TypedItem[]): Promise<void> => {
  const byType = new Map<IntegrationEventType, PageItem<IntegrationEventType>[]>();
  for (const { type, item } of kept) {
    const page = byType.get(type);
    if (page) page.push(item);
    else byType.set(type, [item]);
  }
  for (const [type, page] of byType) await runPage(q, s, type, page);
};

/** The versioned tables, folded in page order, then the handlers of one event. */
const writeChanges = async (q: Queryable, s: string, kept: readonly TypedItem[]): Promise<void> => {
  const inOrder = kept.map(({ item }) => item);
  for (const { table, versioned } of VERSIONED) await writeVersionsOf(q, s, table, versioned, inOrder);
  for (const { type, item } of kept) await runEvent(q, s, type, item);
};
