import { IdempotencyConflictError, ValidationError, WrongExpectedVersionError } from './errors';
import { chainHash, EVENT_COLUMNS, rowToEvent, type EventRow } from './event-rows';
import { openSealed, sealedSubjects, type SubjectKeyring } from './personal-data';
import type { Queryable, SqlClient } from './sql-client';
import {
  NO_STREAM_VERSION,
  START,
  streamCategory,
  type AppendResult,
  type Checkpoint,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type Upcaster,
  type VerifyResult,
} from './types';
import { verifyChains } from './verify';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const EVENTS_CHANNEL = 'es_events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STREAM_ID = /^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9]*)+-[^\s]+$/;

export interface EventStoreOptions {
  readonly keyring: SubjectKeyring;
  readonly upcasters?: readonly Upcaster[];
  /** Supplies the recorded time; tests pin it. */
  readonly clock?: () => Date;
  /**
   * Told of every append that wrote events (not of an idempotent repeat): after the commit for
   * `append`, and on return for `appendInTransaction`, whose caller may still roll back. For
   * metrics; a hook that throws never fails the append.
   */
  readonly onAppended?: (streamId: string, events: readonly NewEvent[]) => void;
}

/**
 * The append-only store on one PostgreSQL database, whether a server or PGlite. Every write is one
 * transaction; every global read is commit-safe.
 */
export class EventStore {
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly clock: () => Date;

  constructor(
    readonly db: SqlClient,
    private readonly options: EventStoreOptions,
  ) {
    for (const u of options.upcasters ?? []) this.upcasters.set(`${u.type}@${u.fromVersion}`, u);
    this.clock = options.clock ?? (() => new Date());
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion = 'any',
  ): Promise<AppendResult> {
    validateAppend(streamId, events);
    const normalized = events.map((e) => ({ ...e, eventId: e.eventId.toLowerCase() }));
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await this.db.transaction((tx) => this.write(tx, streamId, normalized, expected));
        this.appended(streamId, normalized, result);
        return result;
      } catch (error) {
        // A concurrent writer stored the same event ids first: the next attempt finds them and
        // answers as an idempotent repeat.
        if (attempt < 2 && (error as { constraint?: string }).constraint === 'events_event_id_key') continue;
        throw error;
      }
    }
  }

  /**
   * Appends to several streams atomically: every stream's expected version holds and all events
   * are stored, or nothing is; each part needs at least one event. With `tx`, inside the caller's transaction (a consumer's inbox
   * transaction), which then keeps the streams locked until it ends. Results are in the order given.
   */
  async appendMany(appends: readonly StreamAppend[], tx?: Queryable): Promise<AppendResult[]> {
    const parts = appends.map((a) => {
      validateAppend(a.streamId, a.events);
      return { ...a, events: a.events.map((e) => ({ ...e, eventId: e.eventId.toLowerCase() })) };
    });
    const run = async (q: Queryable): Promise<AppendResult[]> => {
      const out: AppendResult[] = [];
      for (const a of parts) out.push(await this.write(q, a.streamId, a.events, a.expected));
      return out;
    };
    const results = tx ? await run(tx) : await this.db.transaction(run);
    parts.forEach((a, i) => {
      const r = results[i];
      if (r) this.appended(a.streamId, a.events, r);
    });
    return results;
  }

  /**
   * The append inside a transaction the caller holds, for work that must commit with it. The
   * caller's transaction keeps the stream locked until it ends.
   */
  async appendInTransaction(
    tx: Queryable,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const result = await this.write(tx, streamId, events, expected);
    this.appended(streamId, events, result);
    return result;
  }

  private appended(streamId: string, events: readonly NewEvent[], result: AppendResult): void {
    if (result.written === 0 || !this.options.onAppended) return;
    try {
      this.options.onAppended(streamId, events);
    } catch {
      // The events are stored; a failing observer must not make the caller believe otherwise.
    }
  }

  private async write(
    tx: Queryable,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const ids = events.map((e) => e.eventId);
    const { rows: existing } = await tx.query<{
      event_id: string;
      stream_id: string;
      stream_position: string;
      global_position: string;
    }>(
      `SELECT event_id::text, stream_id, stream_position::text, global_position::text FROM es.events WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    if (existing.length > 0) return repeatedAppend(streamId, ids, existing);

    const category = streamCategory(streamId);
    const head = await lockStreamHead(tx, streamId, category);
    const version = head?.version ?? NO_STREAM_VERSION;
    if (!matchesExpected(expected, version)) throw new WrongExpectedVersionError(streamId, String(expected), version);

    const recordedAt = this.clock().toISOString();
    const keys = new Map<string, Buffer>();
    let prevHash = head?.lastHash ?? null;
    const rows: Array<{
      e: NewEvent;
      position: number;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      hash: string;
      prev: string | null;
    }> = [];
    for (const [i, e] of events.entries()) {
      let data: Record<string, unknown> = { ...e.data };
      if (e.personal) {
        const { subjectId, fields } = e.personal;
        const key = keys.get(subjectId) ?? (await this.options.keyring.keyFor(tx, subjectId));
        keys.set(subjectId, key);
        data = this.options.keyring.sealFields(key, subjectId, data, fields);
      }
      const metadata = { ...(e.metadata ?? {}) };
      const position = version + 1 + i;
      const hash = chainHash(prevHash, {
        streamId,
        streamPosition: position,
        eventId: e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion ?? 1,
        data,
        metadata,
        recordedAt,
      });
      rows.push({ e, position, data, metadata, hash, prev: prevHash });
      prevHash = hash;
    }

    const { rows: inserted } = await tx.query<{ global_position: string }>(
      `INSERT INTO es.events (stream_id, category, stream_position, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       SELECT $1, $2, u.pos, u.id, u.type, u.ver, u.data, u.meta, $3::timestamptz, decode(u.prev, 'hex'), decode(u.hash, 'hex')
         FROM unnest($4::bigint[], $5::uuid[], $6::text[], $7::int[], $8::jsonb[], $9::jsonb[], $10::text[], $11::text[])
           WITH ORDINALITY AS u(pos, id, type, ver, data, meta, prev, hash, n)
        ORDER BY u.n
       RETURNING global_position::text`,
      [
        streamId,
        category,
        recordedAt,
        rows.map((r) => r.position),
        rows.map((r) => r.e.eventId),
        rows.map((r) => r.e.type),
        rows.map((r) => r.e.schemaVersion ?? 1),
        rows.map((r) => JSON.stringify(r.data)),
        rows.map((r) => JSON.stringify(r.metadata)),
        rows.map((r) => r.prev),
        rows.map((r) => r.hash),
      ],
    );
    const nextVersion = version + events.length;
    await tx.query(
      `UPDATE es.streams SET version = $2, last_hash = decode($3, 'hex'), updated_at = $4::timestamptz WHERE stream_id = $1`,
      [streamId, nextVersion, prevHash, recordedAt],
    );
    await tx.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, category]);
    return {
      nextExpectedVersion: nextVersion,
      globalPositions: inserted.map((r) => Number(r.global_position)),
      written: events.length,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es.events e
        WHERE e.stream_id = $1 AND e.stream_position ${backwards ? '<=' : '>='} $2::bigint
        ORDER BY e.stream_position ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamId, from, options.maxCount ?? 1_000_000],
    );
    return this.present(rows.map(rowToEvent), options.decrypt ?? true);
  }

  /**
   * Every event of a category in one read, stream by stream in order; with `idPrefix`, only the
   * streams whose id starts with it (a region's files, when the region is part of the id).
   */
  async readCategory(category: string, options: { readonly idPrefix?: string } = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es.events e
        WHERE e.category = $1 AND ($2::text IS NULL OR left(e.stream_id, length($2::text)) = $2::text)
        ORDER BY e.stream_id, e.stream_position`,
      [category, options.idPrefix ?? null],
    );
    return this.present(rows.map(rowToEvent), true);
  }

  async eventExists(eventId: string): Promise<boolean> {
    const { rows } = await this.db.query(`SELECT 1 FROM es.events WHERE event_id = $1::uuid`, [eventId.toLowerCase()]);
    return rows.length > 0;
  }

  /** The stream's version, or -1 when it does not exist. */
  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.db.query<{ version: string }>(
      `SELECT version::text FROM es.streams WHERE stream_id = $1`,
      [streamId],
    );
    return rows[0] ? Number(rows[0].version) : NO_STREAM_VERSION;
  }

  /**
   * Events in commit order after a checkpoint, only from transactions older than every one still
   * running (the snapshot's xmin). A slow transaction holding a low position is therefore read
   * after it commits, never jumped over.
   */
  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const limit = options.limit ?? 500;
    const filters: string[] = [];
    const params: unknown[] = [String(after.txId), after.position, limit];
    if (options.categories) {
      params.push(options.categories);
      filters.push(`e.category = ANY($${params.length}::text[])`);
    }
    if (options.context) {
      params.push(`${options.context}.%`);
      filters.push(`e.category LIKE $${params.length}`);
    }
    if (options.recordedUntil) {
      params.push(options.recordedUntil);
      filters.push(`e.recorded_at <= $${params.length}::timestamptz`);
    }
    const where = filters.length ? `AND ${filters.join(' AND ')}` : '';
    const { rows } = await this.db.query<Partial<EventRow> & { head_tx: string; head_pos: string }>(
      `WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
            t AS (SELECT e.tx_id, e.global_position FROM es.events e, h
                   WHERE e.tx_id < h.xmin AND (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint)
                   ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1),
            b AS (SELECT ${EVENT_COLUMNS}, e.tx_id AS tx_sort, e.global_position AS pos_sort FROM es.events e, h
                   WHERE e.tx_id < h.xmin AND (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint) ${where}
                   ORDER BY e.tx_id, e.global_position LIMIT $3)
       SELECT b.*, t.tx_id::text AS head_tx, t.global_position::text AS head_pos
         FROM t LEFT JOIN b ON true ORDER BY b.tx_sort, b.pos_sort`,
      params,
    );
    const events = rows.filter((r) => r.event_id != null).map((r) => rowToEvent(r as EventRow));
    const first = rows[0];
    if (!first) return { events: [], checkpoint: after };
    const last = events[events.length - 1];
    const full = events.length === limit;
    // Not full means every event up to the head below the horizon was scanned, filtered or not.
    const checkpoint: Checkpoint =
      full && last
        ? { txId: last.txId, position: last.globalPosition }
        : { txId: Number(first.head_tx), position: Number(first.head_pos) };
    return { events: await this.present(events, options.decrypt ?? true), checkpoint };
  }

  async eraseSubject(subjectId: string): Promise<boolean> {
    return this.db.transaction((tx) => this.options.keyring.erase(tx, subjectId));
  }

  verify(): Promise<VerifyResult> {
    return verifyChains(this.db);
  }

  private async present(events: RecordedEvent[], decrypt: boolean): Promise<RecordedEvent[]> {
    let keys: Map<string, Buffer> | undefined;
    if (decrypt) {
      const subjects = new Set<string>();
      for (const e of events) sealedSubjects(e.data, subjects);
      if (subjects.size > 0) keys = await this.options.keyring.loadKeys(this.db, [...subjects]);
    }
    return events.map((e) => {
      const data = keys ? (openSealed(e.data, keys) as Record<string, unknown>) : e.data;
      return this.upcast({ ...e, data });
    });
  }

  private upcast(e: RecordedEvent): RecordedEvent {
    let current = e;
    for (
      let u = this.upcasters.get(`${e.type}@${e.schemaVersion}`);
      u;
      u = this.upcasters.get(`${current.type}@${current.schemaVersion}`)
    ) {
      current = { ...current, data: u.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}

const matchesExpected = (expected: ExpectedVersion, version: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return version === NO_STREAM_VERSION;
    case 'stream_exists':
      return version !== NO_STREAM_VERSION;
    default:
      return version === expected;
  }
};

const lockStreamHead = async (
  tx: Queryable,
  streamId: string,
  category: string,
): Promise<{ version: number; lastHash: string } | undefined> => {
  for (;;) {
    const { rows } = await tx.query<{ version: string; last_hash: string }>(
      `SELECT version::text, encode(last_hash, 'hex') AS last_hash FROM es.streams WHERE stream_id = $1 FOR UPDATE`,
      [streamId],
    );
    const row = rows[0];
    if (row) return { version: Number(row.version), lastHash: row.last_hash };
    // Claim the new stream. If another writer claimed it first, this waits for its commit and then
    // the loop locks the row it left.
    const { rows: claimed } = await tx.query(
      `INSERT INTO es.streams (stream_id, category, version, last_hash, updated_at) VALUES ($1, $2, -1, '', now())
       ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`,
      [streamId, category],
    );
    if (claimed.length > 0) return undefined;
  }
};

const repeatedAppend = (
  streamId: string,
  ids: readonly string[],
  existing: ReadonlyArray<{ event_id: string; stream_id: string; stream_position: string; global_position: string }>,
): AppendResult => {
  const byId = new Map(existing.map((r) => [r.event_id, r]));
  const all = ids.every((id) => byId.get(id)?.stream_id === streamId);
  if (!all) {
    throw new IdempotencyConflictError(
      'EVENTS_PARTLY_STORED',
      `some of these ${ids.length} events are already stored (or stored in another stream); a repeat must send the same batch`,
    );
  }
  const positions = ids.map((id) => Number(byId.get(id)?.stream_position));
  return {
    nextExpectedVersion: Math.max(...positions),
    globalPositions: ids.map((id) => Number(byId.get(id)?.global_position)),
    written: 0,
  };
};

const validateAppend = (streamId: string, events: readonly NewEvent[]): void => {
  const fields: Array<{ path: string; message: string }> = [];
  if (!STREAM_ID.test(streamId))
    fields.push({ path: 'streamId', message: `"${streamId}" is not <context>.<aggregate>-<id>` });
  if (events.length === 0) fields.push({ path: 'events', message: 'an append needs at least one event' });
  events.forEach((e, i) => {
    if (!UUID.test(e.eventId.toLowerCase())) fields.push({ path: `events.${i}.eventId`, message: 'must be a UUID' });
    if (!e.type) fields.push({ path: `events.${i}.type`, message: 'must not be empty' });
  });
  if (new Set(events.map((e) => e.eventId.toLowerCase())).size !== events.length) {
    fields.push({ path: 'events', message: 'event ids repeat within the batch' });
  }
  if (fields.length) throw new ValidationError('INVALID_APPEND', 'the append is malformed', fields);
};
