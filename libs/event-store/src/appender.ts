import { appendKnown, knownHeads } from './append-known';
import { canonicalJson } from './canonical-json';
import { chain, checkSize, type Assumed, type Part, type Sealed } from './chained';
import { IdempotencyConflictError, WrongExpectedVersionError } from './errors';
import { plainCanonicalJson } from './event-rows';
import type { SubjectKeyring } from './personal-data';
import type { Queryable, SqlClient } from './sql-client';
import type { StreamHeads } from './stream-heads';
import { NO_STREAM_VERSION, type AppendResult, type ExpectedVersion } from './types';
import { wakeChannels } from './wake';

export type { Part } from './chained';

interface OutcomeRow {
  n: number;
  status: 'written' | 'stored' | 'new' | 'partly' | 'conflict' | 'rechain' | 'ok';
  version: string | null;
  head_hash: string | null;
  positions: string[] | null;
}

export interface AppendOptions {
  readonly db: SqlClient;
  readonly keyring: SubjectKeyring;
  readonly heads: StreamHeads;
  readonly clock: () => Date;
  /** 'in-transaction' NOTIFYs inside every append's transaction instead: kept to measure the difference. */
  readonly wake: 'after-commit' | 'in-transaction';
  /** The most bytes of JSON an event's data and metadata may take as stored (see EventStoreOptions). */
  readonly maxEventBytes: number;
}

const CALL = `SELECT n, status, version::text AS version, head_hash, positions::text[] AS positions
  FROM es.append($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                 $8::bigint[], $9::uuid[], $10::text[], $11::int[], $12::jsonb, $13::jsonb, $14::text[], $15::text[],
                 $16::timestamptz, $17::text[], $18::boolean)`;

/** A version no stream has: exact versions below -1 (or not whole) can never hold, as before. */
const NEVER = -4;
const expectedCode = (e: ExpectedVersion): number =>
  e === 'any' ? -2 : e === 'stream_exists' ? -3 : e === 'no_stream' ? -1 : Number.isInteger(e) && e >= -1 ? e : NEVER;

/** Attempts of an append in its own transaction that a concurrent writer made fail (see isRetryable). */
const MAX_ATTEMPTS = 10;

const isRetryable = (error: unknown): boolean => {
  const { code, constraint } = error as { code?: string; constraint?: string };
  // A concurrent writer stored the same event ids first (the next attempt answers a repeat), or
  // es.append lost a race it reports as a serialization failure (see append-function.ts), or two
  // appends took shared heads in different orders (es.append_known's order is the process's).
  return (code === '23505' && constraint === 'events_event_id_key') || code === '40001' || code === '40P01';
};

/**
 * Appends parts over any number of streams in one round trip, plus the commit when the caller holds
 * the transaction: in a transaction of its own with every head known, a call that writes first and
 * lets the writes check (append-known.ts); otherwise, or when that fails, es.append, which checks
 * first (append-function.ts).
 */
export class Appender {
  constructor(private readonly options: AppendOptions) {}

  /** Without `tx`, in a transaction of its own (the call alone, committed as it returns). */
  async append(parts: readonly Part[], tx?: Queryable, prepared?: readonly Sealed[]): Promise<AppendResult[]> {
    if (parts.length === 0) return [];
    const sealed = prepared ?? (await this.seal(parts, tx ?? this.options.db));
    const recordedAt = this.options.clock().toISOString();
    if (tx) return this.inTransaction(tx, sealed, recordedAt);
    // Heads this process knows: a call that writes first, and asks es.append only when it fails.
    let probe = false;
    for (let call = 0; call < 2 && !probe; call += 1) {
      const known = knownHeads(sealed, this.options.heads);
      if (!known) break;
      const outcome = await appendKnown(
        this.options.db,
        sealed,
        known,
        recordedAt,
        this.options.heads,
        this.inCallChannels(sealed, true),
      );
      // Most likely a repeat: es.append looks for stored ids first.
      if (outcome === 'ask') probe = true;
      else if (outcome !== 'moved') {
        this.woken(sealed, this.options.db);
        return outcome;
      }
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.own(sealed, recordedAt, probe);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        // A stored id failed the insert: this time es.append looks for stored ids first.
        probe ||= (error as { code?: string }).code === '23505';
      }
    }
  }

  /**
   * In a transaction of its own, a single append need not look for its ids before it writes: a
   * stored id fails the insert, and the retry looks. A caller's transaction cannot be retried, so
   * it always looks first.
   */
  private async own(sealed: readonly Sealed[], recordedAt: string, probe: boolean): Promise<AppendResult[]> {
    for (let call = 0; call < 2; call += 1) {
      const outcome = await this.call(this.options.db, sealed, recordedAt, probe);
      if (outcome !== 'rechain') return outcome;
    }
    // Heads that keep moving: take their locks, so the next computed chain is the one stored.
    return this.options.db.transaction((tx) => this.inTransaction(tx, sealed, recordedAt));
  }

  private async inTransaction(tx: Queryable, sealed: readonly Sealed[], recordedAt: string): Promise<AppendResult[]> {
    // A rechain answer leaves the heads locked by this transaction: the next call finds them as told.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const outcome = await this.call(tx, sealed, recordedAt, true);
      if (outcome !== 'rechain') return outcome;
    }
    throw new Error('the stream heads kept changing under their locks');
  }

  /** Seals and serialises parts outside any transaction (their subjects' keys made in one of their own). */
  prepare(parts: readonly Part[]): Promise<Sealed[]> {
    return this.seal(parts, this.options.db);
  }

  private async seal(parts: readonly Part[], q: Queryable): Promise<Sealed[]> {
    const subjects = parts.flatMap((p) => p.events.flatMap((e) => (e.personal ? [e.personal.subjectId] : [])));
    const keys = subjects.length > 0 ? await this.options.keyring.keysFor(q, subjects) : undefined;
    return parts.map((part) => {
      const data = part.events.map((e) => {
        const key = e.personal && keys?.get(e.personal.subjectId);
        if (!e.personal || !key) return e.data;
        return this.options.keyring.sealFields(key, e.personal.subjectId, { ...e.data }, e.personal.fields);
      });
      const dataPlain = data.map(plainCanonicalJson);
      const metadataPlain = part.events.map((e) => plainCanonicalJson(e.metadata ?? {}));
      const sealedPart: Sealed = {
        part,
        data,
        dataJson: dataPlain.map((text, j) => text ?? JSON.stringify(data[j])),
        metadataJson: metadataPlain.map((text, j) => text ?? JSON.stringify(part.events[j]?.metadata ?? {})),
        dataCanonical: dataPlain.map((text, j) => text ?? canonicalJson(data[j])),
        metadataCanonical: metadataPlain.map((text, j) => text ?? canonicalJson(part.events[j]?.metadata ?? {})),
      };
      part.events.forEach((_, j) => checkSize(sealedPart, j, this.options.maxEventBytes));
      return sealedPart;
    });
  }

  /**
   * The channels to NOTIFY inside the append's call, or null when subscribers are woken after its
   * commit: on the server, by a transaction that cannot run an effect after its commit, or when the
   * store was built to measure that. PGlite's listeners are all in this process and hear no NOTIFY
   * (pglite-client.ts).
   */
  private inCallChannels(sealed: readonly Sealed[], afterCommit: boolean): string[] | null {
    if (this.options.db.kind !== 'postgres') return null;
    if (this.options.wake !== 'in-transaction' && afterCommit) return null;
    return wakeChannels(sealed.map((s) => s.part.streamId));
  }

  /** Wakes the subscribers of an append that wrote, once it has committed. */
  private woken(sealed: readonly Sealed[], q: Queryable): void {
    const channels = wakeChannels(sealed.map((s) => s.part.streamId));
    if (q !== this.options.db && q.afterCommit) q.afterCommit(() => this.options.db.wake(channels));
    else this.options.db.wake(channels);
  }

  private assumedHead(part: Part): Assumed {
    const { expected, streamId } = part;
    if (expected === 'no_stream' || expected === NO_STREAM_VERSION) return null;
    const known = this.options.heads.get(streamId);
    if (typeof expected === 'number') {
      if (known && known.version === expected) return known;
      return expected < 0 ? null : { version: expected, hash: null };
    }
    if (known !== undefined) return known;
    return expected === 'any' ? null : { version: 0, hash: null };
  }

  /**
   * One call of es.append with chains computed from the heads this process believes; 'rechain' when
   * a head was not the one believed (the cache now holds the real one).
   */
  private async call(
    q: Queryable,
    sealed: readonly Sealed[],
    recordedAt: string,
    probe: boolean,
  ): Promise<AppendResult[] | 'rechain'> {
    const heads = this.options.heads;
    const rows = chain(
      sealed,
      sealed.map((s) => this.assumedHead(s.part)),
      recordedAt,
    );
    const { next } = rows;
    const inCall = this.inCallChannels(sealed, q === this.options.db || !!q.afterCommit);
    const { rows: outcome } = await q.query<OutcomeRow>(
      CALL,
      [
        sealed.map((s) => s.part.streamId),
        sealed.map((s) => expectedCode(s.part.expected)),
        rows.assumed.map((h) => h?.version ?? NO_STREAM_VERSION),
        rows.assumed.map((h) => h?.hash ?? null),
        next.map((h) => h.version),
        next.map((h) => h.hash),
        rows.rowStreams,
        rows.positions,
        rows.eventIds,
        rows.types,
        rows.schemaVersions,
        rows.data,
        rows.metadata,
        rows.prevHashes,
        rows.hashes,
        recordedAt,
        inCall,
        probe,
      ],
      { prepare: 'es_append' },
    );
    const at = (i: number): OutcomeRow => {
      const row = outcome[i];
      if (!row || row.n !== i + 1) throw new Error(`es.append answered no outcome for stream ${i + 1}`);
      return row;
    };
    const [first] = outcome;
    if (first?.status === 'written') {
      if (!inCall) this.woken(sealed, q);
      const positions = (first.positions ?? []).map(Number);
      if (positions.length !== rows.eventIds.length) throw new Error('es.append stored another number of events');
      let from = 0;
      return sealed.map((s, i) => {
        const head = next[i] ?? { version: NO_STREAM_VERSION, hash: '' };
        heads.set(s.part.streamId, head);
        from += s.part.events.length;
        return {
          nextExpectedVersion: head.version,
          globalPositions: positions.slice(from - s.part.events.length, from),
          written: s.part.events.length,
        };
      });
    }

    if (first?.status === 'stored' || first?.status === 'new' || first?.status === 'partly') {
      return this.repeated(
        q,
        sealed,
        sealed.map((_, i) => at(i)),
      );
    }

    sealed.forEach((s, i) => {
      const row = at(i);
      heads.set(
        s.part.streamId,
        row.version === null ? null : { version: Number(row.version), hash: row.head_hash ?? '' },
      );
    });
    const conflict = sealed.findIndex((_, i) => at(i).status === 'conflict');
    const part = sealed[conflict]?.part;
    if (part) {
      throw new WrongExpectedVersionError(
        part.streamId,
        String(part.expected),
        Number(at(conflict).version ?? NO_STREAM_VERSION),
      );
    }
    return 'rechain';
  }

  /** Some ids were stored: repeats are answered, the streams with none of theirs are appended. */
  private async repeated(
    q: Queryable,
    sealed: readonly Sealed[],
    outcome: readonly OutcomeRow[],
  ): Promise<AppendResult[]> {
    const partly = sealed.find((_, i) => outcome[i]?.status === 'partly');
    if (partly) {
      throw new IdempotencyConflictError(
        'EVENTS_PARTLY_STORED',
        `some of these ${partly.part.events.length} events are already stored (or stored in another stream); a repeat must send the same batch`,
      );
    }
    const fresh = sealed.filter((_, i) => outcome[i]?.status === 'new');
    const written =
      fresh.length === 0
        ? []
        : q === this.options.db
          ? await this.append(fresh.map((s) => s.part))
          : await this.inTransaction(q, fresh, this.options.clock().toISOString());
    let w = 0;
    return sealed.map((_, i) => {
      const row = outcome[i];
      if (row?.status === 'new') {
        const result = written[w++];
        if (!result) throw new Error('es.append answered fewer streams than it was given');
        return result;
      }
      return {
        nextExpectedVersion: Number(row?.version),
        globalPositions: (row?.positions ?? []).map(Number),
        written: 0,
      };
    });
  }
}
