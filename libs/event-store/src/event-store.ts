import { Appender, type Part } from './appender';
import type { Sealed } from './chained';
import { ValidationError } from './errors';
import { EVENT_COLUMNS, EVENT_TEXT_COLUMNS, rowToEvent, type EventRow, type EventTextRow } from './event-rows';
import { openSealed, sealedSubjects, type SubjectKeyring } from './personal-data';
import type { Queryable, SqlClient } from './sql-client';
import { StreamHeads } from './stream-heads';
import {
  NO_STREAM_VERSION,
  START,
  type AppendResult,
  type Checkpoint,
  type EventText,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadAllTextResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type Upcaster,
  type VerifyResult,
} from './types';
import { verifyChains } from './verify';

export const EVENT_STORE = Symbol('EVENT_STORE');

const PREPARED: unique symbol = Symbol('PREPARED');

/** An append checked and sealed ahead of its transaction (EventStore.prepareAppend). */
export interface PreparedAppend {
  readonly [PREPARED]: true;
  readonly parts: readonly Part[];
  readonly sealed: readonly Sealed[];
}

const isPrepared = (value: readonly StreamAppend[] | PreparedAppend): value is PreparedAppend =>
  !Array.isArray(value) && PREPARED in value;
export { contextChannel, EVENTS_CHANNEL, listenChannels } from './wake';

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
  /**
   * How subscribers hear of an append: 'after-commit' (the default) wakes them once the append has
   * committed, outside its transaction; 'in-transaction' NOTIFYs from inside it, which serialises
   * the commits of concurrent appends on the server (kept to measure that, see bench/README.md; on
   * PGlite it is the same as 'after-commit').
   */
  readonly wake?: 'after-commit' | 'in-transaction';
  /**
   * The most bytes an event's data and metadata may take as stored (UTF-8 JSON, personal fields
   * sealed); an append with a larger event is refused with EVENT_TOO_LARGE. Default 512 KiB.
   */
  readonly maxEventBytes?: number;
}

/**
 * Half the broker's default limit on a message batch (message.max.bytes, 1 MiB, which the relay's
 * batches must fit per partition: issue 16, part 5, read 2026-12-05), leaving room for the envelope
 * and for a few events beside the largest.
 */
export const DEFAULT_MAX_EVENT_BYTES = 512 * 1024;

/**
 * The append-only store on one PostgreSQL database, whether a server or PGlite. Every write is one
 * transaction; every global read is commit-safe.
 */
export class EventStore {
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly heads = new StreamHeads();
  private readonly appender: Appender;

  constructor(
    readonly db: SqlClient,
    private readonly options: EventStoreOptions,
  ) {
    for (const u of options.upcasters ?? []) this.upcasters.set(`${u.type}@${u.fromVersion}`, u);
    this.appender = new Appender({
      db,
      keyring: options.keyring,
      heads: this.heads,
      clock: options.clock ?? (() => new Date()),
      wake: options.wake ?? 'after-commit',
      maxEventBytes: options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    });
  }

  /** One round trip, committed as it returns (two with personal data: its keys first). */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion = 'any',
  ): Promise<AppendResult> {
    const part = validPart({ streamId, events, expected });
    const [result] = await this.appender.append([part]);
    if (!result) throw new Error('the append answered nothing');
    this.appended(part, result);
    return result;
  }

  /**
   * Appends to several streams atomically: every stream's expected version holds and all events
   * are stored, or nothing is; each part needs at least one event, and a stream appears once. A
   * part whose events are all stored already is answered as a repeat (written 0). With `tx`, inside
   * the caller's transaction (a consumer's inbox transaction), which then keeps the streams locked
   * until it ends. Results are in the order given. One round trip however many streams.
   */
  async appendMany(appends: readonly StreamAppend[] | PreparedAppend, tx?: Queryable): Promise<AppendResult[]> {
    const { parts, sealed } = isPrepared(appends) ? appends : { parts: this.validParts(appends), sealed: undefined };
    const results = await this.appender.append(parts, tx, sealed);
    parts.forEach((p, i) => {
      const r = results[i];
      if (r) this.appended(p, r);
    });
    return results;
  }

  /**
   * Does the work of an append that needs no transaction (checks, personal fields sealed with their
   * subjects' keys, which it creates as needed, each event's JSON): done before the caller's
   * transaction begins, that transaction holds only the append's call. `appendMany` takes the result.
   */
  async prepareAppend(appends: readonly StreamAppend[]): Promise<PreparedAppend> {
    const parts = this.validParts(appends);
    return { [PREPARED]: true, parts, sealed: await this.appender.prepare(parts) };
  }

  private validParts(appends: readonly StreamAppend[]): Part[] {
    const parts = appends.map((a, i) => validPart(a, `${i}.events`));
    const streams = new Set<string>();
    const ids = new Set<string>();
    const fields: Array<{ path: string; message: string }> = [];
    parts.forEach((p, i) => {
      if (streams.has(p.streamId)) fields.push({ path: `${i}.streamId`, message: `${p.streamId} appears twice` });
      streams.add(p.streamId);
      p.events.forEach((e, j) => {
        if (ids.has(e.eventId))
          fields.push({ path: `${i}.events.${j}.eventId`, message: 'repeats an earlier event id' });
        ids.add(e.eventId);
      });
    });
    if (fields.length) throw new ValidationError('INVALID_APPEND', 'the append is malformed', fields);
    return parts;
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
    const part = validPart({ streamId, events, expected });
    const [result] = await this.appender.append([part], tx);
    if (!result) throw new Error('the append answered nothing');
    this.appended(part, result);
    return result;
  }

  private appended(part: Part, result: AppendResult): void {
    if (result.written === 0 || !this.options.onAppended) return;
    try {
      this.options.onAppended(part.streamId, part.events);
    } catch {
      // The events are stored; a failing observer must not make the caller believe otherwise.
    }
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
    const events = rows.map(rowToEvent);
    // A read that reached the stream's end saw its head: the next append chains from it unasked.
    const reachedEnd = backwards
      ? options.fromPosition === undefined
      : events.length < (options.maxCount ?? 1_000_000) && (events.length > 0 || from <= 0);
    if (reachedEnd) this.rememberHead(streamId, backwards ? events[0] : events[events.length - 1]);
    return this.present(events, options.decrypt ?? true);
  }

  /**
   * Tells the store the last event a read found in a stream (undefined: the stream has none), so an
   * append that follows computes its chain from it without asking the database first. A wrong head
   * costs a round trip, never a wrong chain: the append checks it under the stream's lock.
   */
  rememberHead(streamId: string, last: Pick<RecordedEvent, 'streamPosition' | 'hash'> | undefined): void {
    this.heads.set(streamId, last ? { version: last.streamPosition, hash: last.hash } : null);
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
    const { rows } = await this.db.query<{ version: string; hash: string }>(
      `SELECT version::text, encode(last_hash, 'hex') AS hash FROM es.streams WHERE stream_id = $1`,
      [streamId],
    );
    const row = rows[0];
    this.heads.set(streamId, row ? { version: Number(row.version), hash: row.hash } : null);
    return row ? Number(row.version) : NO_STREAM_VERSION;
  }

  /**
   * Events in commit order after a checkpoint, only from transactions older than every one still
   * running (see readAllRows).
   */
  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const { rows, checkpoint } = await this.readAllRows<EventRow>(options, EVENT_COLUMNS);
    return { events: await this.present(rows.map(rowToEvent), options.decrypt ?? true), checkpoint };
  }

  /**
   * readAll's events with their data and metadata as the stored JSON text, sealed, for a relay to
   * publish as it is: parsing each event's JSON only to write it again cost a relay more than its
   * own work (12 % of a 50,000-seeker import's CPU, 2026-12-05). With an upcaster registered, the
   * events are read, upcast and written again, as readAll gives them.
   */
  async readAllText(options: Omit<ReadAllOptions, 'decrypt'> = {}): Promise<ReadAllTextResult> {
    if (this.upcasters.size > 0) {
      const { events, checkpoint } = await this.readAll({ ...options, decrypt: false });
      return { checkpoint, events: events.map(eventTextOf) };
    }
    const { rows, checkpoint } = await this.readAllRows<EventTextRow>(options, EVENT_TEXT_COLUMNS);
    return {
      checkpoint,
      events: rows.map((r) => ({
        globalPosition: Number(r.global_position),
        txId: Number(r.tx_id),
        streamId: r.stream_id,
        streamPosition: Number(r.stream_position),
        eventId: r.event_id,
        type: r.type,
        schemaVersion: r.schema_version,
        recordedAt: r.recorded_at,
        dataJson: r.data,
        metadataJson: r.metadata,
        correlationId: r.correlation_id,
        causationId: r.causation_id,
      })),
    };
  }

  /**
   * Rows in commit order after a checkpoint, only from transactions older than every one still
   * running (the snapshot's xmin). A slow transaction holding a low position is therefore read
   * after it commits, never jumped over.
   */
  private async readAllRows<R extends { event_id: string }>(
    options: Omit<ReadAllOptions, 'decrypt'>,
    columns: string,
  ): Promise<{ rows: R[]; checkpoint: Checkpoint }> {
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
    if (options.types) {
      params.push(options.types);
      filters.push(`e.type = ANY($${params.length}::text[])`);
    }
    const where = filters.length ? `AND ${filters.join(' AND ')}` : '';
    const { rows } = await this.db.query<
      Partial<R> & { head_tx: string; head_pos: string; global_position?: string; tx_id?: string }
    >(
      `WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
            t AS (SELECT e.tx_id, e.global_position FROM es.events e, h
                   WHERE e.tx_id < h.xmin AND (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint)
                   ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1),
            b AS (SELECT ${columns}, e.tx_id AS tx_sort, e.global_position AS pos_sort FROM es.events e, h
                   WHERE e.tx_id < h.xmin AND (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint) ${where}
                   ORDER BY e.tx_id, e.global_position LIMIT $3)
       SELECT b.*, t.tx_id::text AS head_tx, t.global_position::text AS head_pos
         FROM t LEFT JOIN b ON true ORDER BY b.tx_sort, b.pos_sort`,
      params,
    );
    const found = rows.filter((r) => r.event_id != null);
    const first = rows[0];
    if (!first) return { rows: [], checkpoint: after };
    const last = found[found.length - 1];
    const full = found.length === limit;
    // Not full means every event up to the head below the horizon was scanned, filtered or not.
    const checkpoint: Checkpoint =
      full && last
        ? { txId: Number(last.tx_id), position: Number(last.global_position) }
        : { txId: Number(first.head_tx), position: Number(first.head_pos) };
    return { rows: found as unknown as R[], checkpoint };
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

/** A metadata id as text, as `metadata->>'…'` gives it. */
const textOrNull = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** An event read as objects, as readAllText gives it: its data and metadata written as JSON. */
export const eventTextOf = (e: RecordedEvent): EventText => ({
  globalPosition: e.globalPosition,
  txId: e.txId,
  streamId: e.streamId,
  streamPosition: e.streamPosition,
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  recordedAt: e.recordedAt,
  dataJson: JSON.stringify(e.data),
  metadataJson: JSON.stringify(e.metadata),
  correlationId: textOrNull(e.metadata.correlationId),
  causationId: textOrNull(e.metadata.causationId),
});

/** The part as the store appends it (event ids lower-cased), or the reasons it is malformed. */
const validPart = ({ streamId, events, expected }: StreamAppend, path = 'events'): Part => {
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
  return {
    streamId,
    expected,
    path,
    events: events.map((e) => {
      const eventId = e.eventId.toLowerCase();
      return eventId === e.eventId ? e : { ...e, eventId };
    }),
  };
};
