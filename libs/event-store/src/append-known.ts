import { HEAD_MOVED } from './append-known-function';
import { chain, type Assumed, type Sealed } from './chained';
import { WrongExpectedVersionError } from './errors';
import type { Queryable } from './sql-client';
import type { StreamHead, StreamHeads } from './stream-heads';
import { NO_STREAM_VERSION, type AppendResult, type ExpectedVersion } from './types';

const CALL = `SELECT positions::text[] AS positions, moved
  FROM es.append_known($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
                       $8::uuid[], $9::text[], $10::int[], $11::jsonb, $12::jsonb, $13::text[], $14::text[],
                       $15::timestamptz, $16::text[])`;

/**
 * A single stream's head written as the statements below write it: claimed as new, or moved on only
 * if it is still the one given (its version $2 and the hash in `given`); $1 the stream, $3 and $4 the
 * head after the append, `at` the recorded time.
 */
const headWrite = (head: 'claimed' | 'advanced', at: string, given: string): string =>
  head === 'claimed'
    ? `INSERT INTO es.streams (stream_id, category, version, last_hash, updated_at)
       VALUES ($1, left($1, strpos($1, '-') - 1), $3, decode($4, 'hex'), ${at})
       ON CONFLICT (stream_id) DO NOTHING RETURNING 1`
    : `UPDATE es.streams h SET version = $3, last_hash = decode($4, 'hex'), updated_at = ${at}
        WHERE h.stream_id = $1 AND h.version = $2 AND h.last_hash = decode(${given}, 'hex') RETURNING 1`;

/** The answer when the head was not written: whether an event id (`stored`) is stored, and the head as it is. */
const headAsFound = (stored: string): string => `SELECT NULL, jsonb_build_object(
           'stored', EXISTS (SELECT 1 FROM es.events e WHERE ${stored}),
           'heads', jsonb_build_array(jsonb_build_array($1::text, h.version, encode(h.last_hash, 'hex'))))
    FROM (SELECT 1) AS one LEFT JOIN es.streams h ON h.stream_id = $1::text
   WHERE NOT EXISTS (SELECT 1 FROM head)`;

/**
 * The same for one stream, in one statement rather than a function: a new stream's head is claimed,
 * a known head moved if it is still the one given (version and hash, compared again after any lock
 * wait), and the events inserted only when the head was written; a stored event id fails the insert
 * (23505). Without a head written, the answer is the head as the statement saw it, which misses a
 * head committed while it waited (see `moved`). Why no head here can have been written by a
 * younger transaction: append-known-function.ts. Server CPU time per single append, one pgbench
 * client, commits not waiting for their flush, 2026-12-05 (a loaded machine, three runs each):
 * 150-160 µs, against 220-280 µs for es.append_known and 220-295 µs for es.append; a bare head
 * upsert and event insert took 80-100 µs.
 */
const ONE = (head: 'claimed' | 'advanced'): string => `
  WITH head AS (${headWrite(head, '$12', '$14')}),
  inserted AS (
    INSERT INTO es.events (stream_id, category, stream_position, event_id, type, schema_version, data, metadata,
                           recorded_at, prev_hash, hash)
    SELECT $1, left($1, strpos($1, '-') - 1), $2::bigint + r.o, r.id, r.type, r.ver, $8::jsonb -> (r.o::integer - 1),
           $9::jsonb -> (r.o::integer - 1), $12, decode(r.prev, 'hex'), decode(r.hash, 'hex')
      FROM unnest($5::uuid[], $6::text[], $7::integer[], $10::text[], $11::text[])
             WITH ORDINALITY AS r(id, type, ver, prev, hash, o)
     WHERE EXISTS (SELECT 1 FROM head)
     ORDER BY r.o
    RETURNING global_position)
  SELECT array_agg(i.global_position ORDER BY i.global_position)::text[] AS positions, NULL::jsonb AS moved
    FROM inserted i
    CROSS JOIN LATERAL (SELECT count(pg_notify(c, '')) FROM unnest($13::text[]) AS c) AS notified(sent)
  HAVING count(*) > 0
  UNION ALL
  ${headAsFound('e.event_id = ANY($5::uuid[])')}`;
const CLAIM = ONE('claimed');
const ADVANCE = ONE('advanced');

/**
 * The same for one event, with every value a scalar parameter: no array for the driver to write
 * out and the server to parse and unnest, no JSON array to take apart. Eight writers of single
 * appends, two runs of each alternating (2026-12-07): 5,590-6,390 appends/s and 158-169 µs of
 * server CPU an append, against 5,100-5,460/s and 174-208 µs with the statement above.
 */
const ONE_EVENT = (head: 'claimed' | 'advanced'): string => `
  WITH head AS (${headWrite(head, '$10', '$13')}),
  inserted AS (
    INSERT INTO es.events (stream_id, category, stream_position, event_id, type, schema_version, data, metadata,
                           recorded_at, prev_hash, hash)
    SELECT $1, left($1, strpos($1, '-') - 1), $2::bigint + 1, $5, $6, $7, $8, $9, $10, decode($11, 'hex'), decode($4, 'hex')
     WHERE EXISTS (SELECT 1 FROM head)
    RETURNING global_position)
  SELECT ARRAY[i.global_position::text] AS positions, NULL::jsonb AS moved
    FROM inserted i
    CROSS JOIN LATERAL (SELECT count(pg_notify(c, '')) FROM unnest($12::text[]) AS c) AS notified(sent)
  UNION ALL
  ${headAsFound('e.event_id = $5::uuid')}`;
const CLAIM_EVENT = ONE_EVENT('claimed');
const ADVANCE_EVENT = ONE_EVENT('advanced');

/** What es.append_known tells when a head was not as given (see append-known-function.ts). */
interface Moved {
  readonly stored: boolean;
  readonly heads: ReadonlyArray<readonly [string, number | null, string | null]>;
}

interface Answer {
  readonly positions: string[] | null;
  readonly moved: Moved | null;
}

/**
 * The head each stream's chain continues, when this process knows it and the expected version
 * allows it: null for a new stream, which a stream this process has not seen is taken to be when
 * the expected version allows (a wrong guess costs one call, which tells the real head). Undefined
 * when a head is unknown otherwise, or the expected version cannot hold: es.append answers those.
 */
export const knownHeads = (sealed: readonly Sealed[], heads: StreamHeads): Assumed[] | undefined => {
  const known: Assumed[] = [];
  for (const { part } of sealed) {
    const seen = heads.get(part.streamId);
    const head = seen === undefined && allows(part.expected, null) ? null : seen;
    if (head === undefined || !allows(part.expected, head)) return undefined;
    known.push(head);
  }
  return known;
};

const allows = (expected: ExpectedVersion, head: StreamHead | null): boolean => {
  if (expected === 'any') return true;
  if (expected === 'stream_exists') return head !== null;
  if (expected === 'no_stream') return head === null;
  return (head?.version ?? NO_STREAM_VERSION) === expected;
};

const isMoved = (error: unknown): error is { detail: string } =>
  (error as { code?: unknown }).code === HEAD_MOVED && typeof (error as { detail?: unknown }).detail === 'string';

/** Failures after which es.append is asked instead; the call wrote nothing. */
const asksAgain = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  // A stored event id (a repeat) or, from es.append_known, a head claimed as new that exists; a
  // serialization failure; or a deadlock between two appends whose heads only one of them knew.
  return code === '23505' || code === '40001' || code === '40P01';
};

/**
 * One call of es.append_known, the whole of its transaction: the results when it wrote; 'moved'
 * when a head had moved on (the heads now known, so the next call chains from them); 'ask' when
 * es.append must answer (a repeat, a race). Throws WrongExpectedVersionError when a head shows an
 * expected version that cannot hold and none of the events is stored, as es.append would.
 */
export const appendKnown = async (
  db: Queryable,
  sealed: readonly Sealed[],
  known: readonly Assumed[],
  recordedAt: string,
  heads: StreamHeads,
  notify: readonly string[] | null,
): Promise<AppendResult[] | 'moved' | 'ask'> => {
  const rows = chain(sealed, known, recordedAt);
  // Heads in stream id order, so two appends over the same streams lock them in one order.
  const order = sealed.map((_, i) => i).sort((a, b) => compare(sealed[a]?.part.streamId, sealed[b]?.part.streamId));
  let answer: Answer | undefined;
  try {
    const [one] = sealed;
    const [event] = one?.part.events ?? [];
    if (sealed.length === 1 && one && event && one.part.events.length === 1) {
      const head = known[0] ?? null;
      const next = rows.next[0];
      const params = [
        one.part.streamId,
        head?.version ?? NO_STREAM_VERSION,
        next?.version,
        next?.hash,
        event.eventId,
        event.type,
        rows.schemaVersions[0],
        one.dataJson[0],
        one.metadataJson[0],
        recordedAt,
        rows.prevHashes[0],
        notify,
      ];
      const { rows: answered } = head
        ? await db.query<Answer>(ADVANCE_EVENT, [...params, head.hash], { prepare: 'es_append_advance_event' })
        : await db.query<Answer>(CLAIM_EVENT, params, { prepare: 'es_append_claim_event' });
      answer = answered[0];
    } else if (sealed.length === 1 && one) {
      const head = known[0] ?? null;
      const next = rows.next[0];
      const params = [
        one.part.streamId,
        head?.version ?? NO_STREAM_VERSION,
        next?.version,
        next?.hash,
        rows.eventIds,
        rows.types,
        rows.schemaVersions,
        rows.data,
        rows.metadata,
        rows.prevHashes,
        rows.hashes,
        recordedAt,
        notify,
      ];
      const { rows: answered } = head
        ? await db.query<Answer>(ADVANCE, [...params, head.hash], { prepare: 'es_append_advance' })
        : await db.query<Answer>(CLAIM, params, { prepare: 'es_append_claim' });
      answer = answered[0];
    } else {
      const { rows: answered } = await db.query<Answer>(
        CALL,
        [
          order.map((i) => sealed[i]?.part.streamId),
          order.map((i) => known[i]?.version ?? NO_STREAM_VERSION),
          order.map((i) => known[i]?.hash ?? null),
          order.map((i) => rows.next[i]?.version),
          order.map((i) => rows.next[i]?.hash),
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
          notify,
        ],
        { prepare: 'es_append_known' },
      );
      answer = answered[0];
    }
  } catch (error) {
    if (isMoved(error)) return moved(sealed, known, JSON.parse(error.detail) as Moved, heads);
    if (asksAgain(error)) return 'ask';
    throw error;
  }
  if (answer?.moved) return moved(sealed, known, answer.moved, heads);
  const positions = answer?.positions ?? [];
  if (positions.length !== rows.eventIds.length) throw new Error('es.append_known stored another number of events');
  let from = 0;
  return sealed.map((s, i) => {
    const head = rows.next[i] ?? { version: NO_STREAM_VERSION, hash: '' };
    heads.set(s.part.streamId, head);
    from += s.part.events.length;
    return {
      nextExpectedVersion: head.version,
      globalPositions: positions.slice(from - s.part.events.length, from).map(Number),
      written: s.part.events.length,
    };
  });
};

/**
 * Learns the heads that were not as given. A head that reads as the one given was committed while
 * the statement waited for it, after the statement's snapshot: it is forgotten, so the next
 * attempt asks rather than guesses.
 */
const moved = (
  sealed: readonly Sealed[],
  known: readonly Assumed[],
  detail: Moved,
  heads: StreamHeads,
): 'moved' | 'ask' => {
  if (detail.stored) return 'ask';
  const now = new Map<string, StreamHead | null>();
  for (const [streamId, version, hash] of detail.heads ?? []) {
    now.set(streamId, version === null ? null : { version, hash: hash ?? '' });
  }
  sealed.forEach(({ part }, i) => {
    const head = now.get(part.streamId);
    if (head === undefined) return;
    const given = known[i] ?? null;
    if (head?.version === given?.version && head?.hash === given?.hash) {
      heads.forget(part.streamId);
      return;
    }
    heads.set(part.streamId, head);
    if (!allows(part.expected, head)) {
      throw new WrongExpectedVersionError(part.streamId, String(part.expected), head?.version ?? NO_STREAM_VERSION);
    }
  });
  return 'moved';
};

const compare = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);
