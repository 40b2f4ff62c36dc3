import { randomBytes } from 'node:crypto';
import {
  IllegalStateError,
  START,
  UnavailableError,
  type Checkpoint,
  type EventStore,
  type Queryable,
  type SqlClient,
} from '@tashghil/event-store';
import {
  acquireBuildLease,
  holdsBuildLease,
  LEASE_SECONDS,
  leaseHolder,
  releaseBuildLease,
  renewBuildLease,
  type BuildLease,
} from './build-lease';
import { assertSchemaName, createTables, dropTables, LAYOUT, TABLES } from './layout';
import { recountEveryOffer } from './offer-waits';
import { recountEveryone } from './people';
import {
  deferIndexes,
  inLanes,
  loadPage,
  PROJECTED_TYPES,
  projectTyped,
  storedItem,
  type TypedItem,
} from './projection';

/** The consumer group (and inbox key) of the live projection. */
export const REPORTING_CONSUMER = 'reporting';

/** Told how far a replay is; a returned promise is waited for. */
export type Progress = (done: number, total: number) => void | Promise<void>;

/**
 * The generation the dashboard reads, locked for share so that a switch waits for this transaction
 * and this transaction waits for a switch. Undefined while none is active (the first build).
 */
export const activeSchema = async (
  q: Queryable,
  options: { forShare?: boolean } = {},
): Promise<{ schema: string; layout: number } | undefined> => {
  const { rows } = await q.query<{ schema_name: string; layout: number }>(
    `SELECT schema_name, layout FROM reporting.generations WHERE state = 'active'${options.forShare ? ' FOR SHARE' : ''}`,
  );
  const row = rows[0];
  return row ? { schema: assertSchemaName(row.schema_name), layout: row.layout } : undefined;
};

/**
 * For readers: the active generation, or 503 while the first one is being built, or while the active
 * one is of another layout than this code reads (a rolling deploy, until this layout's is built).
 */
export const readSchema = async (q: Queryable, options: { forShare?: boolean } = {}): Promise<string> => {
  const active = await activeSchema(q, options);
  if (!active) throw new UnavailableError('READ_MODEL_BUILDING', 'the read model is being built; try again shortly');
  if (active.layout !== LAYOUT)
    throw new UnavailableError(
      'READ_MODEL_LAYOUT',
      `the active read model ${active.schema} is of layout ${active.layout}; this process reads layout ${LAYOUT}, which is being built`,
    );
  return active.schema;
};

/**
 * Runs `work` on the active generation inside one transaction that holds its row for share: the
 * reads see one snapshot, a switch waits for them to end, and so a retired generation that is
 * dropped after its switch has no reader left in it.
 */
export const withActiveSchema = <T>(db: SqlClient, work: (q: Queryable, schema: string) => Promise<T>): Promise<T> =>
  db.transaction(async (tx) => work(tx, await readSchema(tx, { forShare: true })));

/**
 * Events per page of a build: each page is one transaction, and beside its rows it costs a few
 * statements per table whatever it holds. In `bench:reporting` at scale 1, pages of 5,000 instead
 * of 2,000 took the rebuild from 0.75× to 0.80–0.96× of the raw baseline, which reads in pages of
 * 2,000 (its best: in pages of 5,000 it took 15–18 s instead of 9–13 s).
 */
export const BUILD_PAGE = 5_000;

export interface ReplayOptions {
  readonly after?: Checkpoint;
  /** Called after each page is written; a build renews its lease there, and throws once it lost it. */
  readonly onPage?: () => Promise<void>;
  /** Only events recorded at or before this instant. */
  readonly recordedUntil?: string;
  readonly onProgress?: Progress;
  readonly pageSize?: number;
  /**
   * A build's first load, into a generation whose upkeep the caller deferred (`deferIndexes`: no
   * key on `applied`, no trigger), each page over two connections (`loadPage`); the caller restores
   * the upkeep and counts the people and offers at its end (`recountEveryone`, `recountEveryOffer`).
   */
  readonly firstLoad?: boolean;
}

/**
 * Feeds every projected event of the store, in commit order, into `schema`, a page per transaction.
 * The next page is read and parsed while the current one is written. Returns where it stopped: the
 * store's commit-safe horizon at the last page.
 */
export const replayInto = async (
  store: EventStore,
  schema: string,
  options: ReplayOptions = {},
): Promise<{ checkpoint: Checkpoint; applied: number }> => {
  const total = options.onProgress ? await countEvents(store.db, options) : 0;
  const readPage = async (after: Checkpoint): Promise<{ checkpoint: Checkpoint; seen: number; items: TypedItem[] }> => {
    const { events, checkpoint } = await store.readAll({
      after,
      limit: options.pageSize ?? 2_000,
      decrypt: false,
      // Only what the read model takes in: on bench:reporting's national store, 55 % of the events
      // are of other types, which the read used to fetch and parse only to drop them here.
      types: PROJECTED_TYPES,
      ...(options.recordedUntil ? { recordedUntil: options.recordedUntil } : {}),
    });
    const items: TypedItem[] = [];
    for (const event of events) {
      const item = storedItem(event);
      if (item) items.push(item);
    }
    return { checkpoint, seen: events.length, items };
  };
  /** Read ahead; a failure surfaces when the page is awaited, never as an unhandled rejection. */
  const ahead = (after: Checkpoint) => {
    const page = readPage(after);
    page.catch(() => undefined);
    return page;
  };
  let at = options.after ?? START;
  let next = ahead(at);
  let done = 0;
  let applied = 0;
  await options.onProgress?.(0, total);
  for (;;) {
    const { checkpoint, seen, items } = await next;
    const last = checkpoint.txId === at.txId && checkpoint.position === at.position;
    if (!last) next = ahead(checkpoint);
    if (items.length > 0)
      applied += options.firstLoad
        ? await loadPage(store.db, schema, items)
        : await store.db.transaction((tx) => projectTyped(tx, schema, items));
    done += seen;
    await options.onPage?.();
    await options.onProgress?.(Math.min(done, total), total);
    if (last) return { checkpoint, applied };
    at = checkpoint;
  }
};

const countEvents = async (db: Queryable, options: ReplayOptions): Promise<number> => {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM es.events e WHERE e.type = ANY($1::text[]) AND ($2::timestamptz IS NULL OR e.recorded_at <= $2::timestamptz)`,
    [PROJECTED_TYPES, options.recordedUntil ?? null],
  );
  return Number(rows[0]?.n ?? 0);
};

/** A throwaway schema for an "as of" replay; dropped by the caller. */
export const scratchSchema = (): string => `reporting_asof_${randomBytes(6).toString('hex')}`;

export interface RebuildResult {
  readonly schema: string;
  readonly applied: number;
  readonly caughtUp: number;
  readonly retired: readonly string[];
  /** Milliseconds spent in each step of the build, in order: where a slow rebuild spends its time. */
  readonly steps: Readonly<Record<'load' | 'indexes' | 'analyze' | 'people' | 'offers' | 'switch', number>>;
}

export interface RebuildOptions {
  readonly onProgress?: Progress;
  readonly keepRetired?: number;
  /** Who builds (a process, a job); a lease it already holds is used, else one is taken. */
  readonly lease?: BuildLease;
}

/**
 * Blue/green, one build at a time: under the build lease, builds a new generation from position 0
 * while the live projection keeps feeding the active one, then switches under a lock that the live
 * projection and the readers also take. Under that lock it takes in whatever it has not yet seen:
 * events past its last page that are below the store's horizon, and any the live consumer has
 * already applied (its inbox). The dashboard reads the old generation until the commit, the new
 * one after it, never a half-built one. The lease is renewed at every page; a build that lost it
 * (its process stalled past the lease) stops, and its switch is refused: the lease's token fences it.
 */
export const rebuild = async (store: EventStore, options: RebuildOptions = {}): Promise<RebuildResult> => {
  const db = store.db;
  const lease = options.lease ?? (await acquireBuildLease(db, `rebuild-${randomBytes(6).toString('hex')}`));
  if (!lease) throw buildRunning(await leaseHolder(db));
  try {
    return await buildUnderLease(store, lease, options);
  } finally {
    if (!options.lease) await releaseBuildLease(db, lease);
  }
};

/** The tables the recounts after a first load write: each person's and each offer's series, and their tallies. */
const SERIES_TABLES: readonly string[] = ['beneficiary_days', 'beneficiary_tally', 'offer_days', 'offer_waits'];

const buildUnderLease = async (
  store: EventStore,
  lease: BuildLease,
  options: RebuildOptions,
): Promise<RebuildResult> => {
  const db = store.db;
  await dropAbandoned(db, lease);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO reporting.generations (schema_name, layout, state, build_token)
     VALUES ('reporting_pending_' || md5(random()::text), $1, 'building', $2) RETURNING id`,
    [LAYOUT, lease.token],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('no generation id returned');
  const schema = `reporting_g${id}`;
  await db.query(`UPDATE reporting.generations SET schema_name = $2 WHERE id = $1`, [id, schema]);
  try {
    await createTables(db, schema);
    const buildIndexes = await deferIndexes(db, schema);
    let renewed = Date.now();
    const renew = async () => {
      if (Date.now() - renewed < (LEASE_SECONDS * 1000) / 4) return;
      if (!(await renewBuildLease(db, lease))) throw leaseLost(schema);
      renewed = Date.now();
    };
    let since = Date.now();
    const took = (): number => {
      const now = Date.now();
      const ms = now - since;
      since = now;
      return ms;
    };
    const { checkpoint, applied } = await replayInto(store, schema, {
      firstLoad: true,
      pageSize: BUILD_PAGE,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onPage: renew,
    });
    const load = took();
    await buildIndexes();
    const indexes = took();
    // Fresh statistics, first for the recounts to plan on what the load wrote, then for the first
    // report on what the recounts wrote.
    const analyzed = (tables: readonly string[]) =>
      inLanes(tables.map((table) => () => db.query(`ANALYZE ${schema}.${table}`)));
    await analyzed(TABLES.filter((t) => !SERIES_TABLES.includes(t)));
    let analyze = took();
    await recountEveryone(db, schema, { onChunk: renew });
    const people = took();
    await recountEveryOffer(db, schema, { onChunk: renew });
    const offers = took();
    await analyzed(SERIES_TABLES);
    analyze += took();
    let caughtUp = 0;
    const retired = await db.transaction(async (tx) => {
      await tx.query(`LOCK TABLE reporting.generations IN EXCLUSIVE MODE`);
      if (!(await holdsBuildLease(tx, lease))) throw leaseLost(schema);
      caughtUp = await catchUp(tx, schema, checkpoint);
      const { rows: old } = await tx.query<{ schema_name: string }>(
        `UPDATE reporting.generations SET state = 'retired' WHERE state = 'active' RETURNING schema_name`,
      );
      await tx.query(`UPDATE reporting.generations SET state = 'active', activated_at = now() WHERE id = $1`, [id]);
      return old.map((r) => r.schema_name);
    });
    const steps = { load, indexes, analyze, people, offers, switch: took() };
    await dropRetired(db, options.keepRetired ?? 0);
    return { schema, applied, caughtUp, retired, steps };
  } catch (error) {
    await dropTables(db, schema).catch(() => undefined);
    await db.query(`DELETE FROM reporting.generations WHERE id = $1`, [id]).catch(() => undefined);
    throw error;
  }
};

const leaseLost = (schema: string) =>
  new UnavailableError('READ_MODEL_LEASE_LOST', `the build of ${schema} lost its lease to another process; it stopped`);

const buildRunning = (holder: { holder: string; schema: string | null } | undefined) =>
  new IllegalStateError(
    'READ_MODEL_BUILD_RUNNING',
    `a read model is being built by ${holder?.holder ?? 'another process'}${holder?.schema ? ` (${holder.schema})` : ''}; one build runs at a time`,
  );

/**
 * Generations left building by a process whose lease ended (it died, or stalled past it): the
 * caller holds the lease now, so none of them can still switch. A build under the live lease is
 * never touched.
 */
const dropAbandoned = async (db: SqlClient, lease: BuildLease): Promise<void> => {
  const { rows } = await db.query<{ id: number; schema_name: string }>(
    `SELECT id, schema_name FROM reporting.generations WHERE state = 'building' AND (build_token IS NULL OR build_token < $1)`,
    [lease.token],
  );
  for (const r of rows) {
    if (/^reporting_g\d+$/.test(r.schema_name)) await dropTables(db, r.schema_name);
    await db.query(`DELETE FROM reporting.generations WHERE id = $1`, [r.id]);
  }
};

const catchUp = async (tx: Queryable, schema: string, after: Checkpoint): Promise<number> => {
  const s = assertSchemaName(schema);
  const { rows } = await tx.query<{
    event_id: string;
    type: string;
    schema_version: number;
    data: Record<string, unknown>;
    global_position: string;
    recorded_at: string;
  }>(
    `SELECT e.event_id::text AS event_id, e.type, e.schema_version, e.data, e.global_position::text AS global_position,
            to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at
       FROM es.events e
      WHERE e.type = ANY($1::text[])
        AND (e.tx_id, e.global_position) > ($2::text::xid8, $3::bigint)
        AND (e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
             OR EXISTS (SELECT 1 FROM msg.inbox i WHERE i.consumer = $4 AND i.event_id = e.event_id))
        AND NOT EXISTS (SELECT 1 FROM ${s}.applied a WHERE a.event_id = e.event_id)
      ORDER BY e.tx_id, e.global_position`,
    [PROJECTED_TYPES, String(after.txId), after.position, REPORTING_CONSUMER],
  );
  const items = rows.flatMap((r) => {
    const item = storedItem({
      eventId: r.event_id,
      type: r.type,
      schemaVersion: r.schema_version,
      data: r.data,
      globalPosition: Number(r.global_position),
      recordedAt: r.recorded_at,
    });
    return item ? [item] : [];
  });
  return projectTyped(tx, schema, items);
};

/**
 * Drops retired generations beyond the `keep` newest. The switch that retired one waited for every
 * transaction holding it for share (readers, the live projection) to end, and no new one can take
 * it since: the row is deleted first, which waits for any that still holds it, then the schema.
 */
const dropRetired = async (db: SqlClient, keep: number): Promise<void> => {
  const { rows } = await db.query<{ id: number; schema_name: string }>(
    `SELECT id, schema_name FROM reporting.generations WHERE state = 'retired' ORDER BY id DESC OFFSET $1`,
    [keep],
  );
  for (const r of rows)
    await db.transaction(async (tx) => {
      await tx.query(`DELETE FROM reporting.generations WHERE id = $1`, [r.id]);
      await dropTables(tx, r.schema_name);
    });
};

/**
 * Makes sure an active generation of this code's layout exists: on first start, or after a layout
 * change, builds one from the store under the build lease. Undefined when there was nothing to
 * build; a conflict (409) while another process holds the lease, whose build the caller waits for.
 */
export const ensureReadModel = async (
  store: EventStore,
  options: { onProgress?: Progress; lease?: BuildLease } = {},
): Promise<RebuildResult | undefined> => {
  const active = await activeSchema(store.db);
  if (active?.layout === LAYOUT) return undefined;
  return rebuild(store, options);
};

/**
 * One checksum per table of a generation. Rows are hashed one by one (md5 of their text form) and
 * dealt into 4,096 chunks by the first three hex digits of their hash; a chunk's hash is the md5 of
 * its rows' hashes in order, and the table's the md5 of the chunks' hashes in order. Two generations
 * with equal checksums hold the same rows, whatever order they were built in, and no aggregate ever
 * holds more than a chunk's hashes (32 bytes a row, a 4,096th of the table), where one string over
 * the whole table failed past PostgreSQL's 1 GB limit.
 */
export const checksums = async (q: Queryable, schema: string): Promise<Record<string, string>> => {
  const s = assertSchemaName(schema);
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await q.query<{ sum: string }>(
      `SELECT md5(coalesce(string_agg(chunk, '' ORDER BY bucket), '')) AS sum
         FROM (SELECT left(h, 3) AS bucket, md5(string_agg(h, '' ORDER BY h)) AS chunk
                 FROM (SELECT md5(t::text) AS h FROM ${s}.${table} t) rows GROUP BY 1) chunks`,
    );
    out[table] = rows[0]?.sum ?? '';
  }
  return out;
};
