import type { Queryable } from '@tashghil/event-store';
import type { ShownEvent } from './event-shape';
import { encodePosition, nextRank, type Cursor } from './positions';

/** An event of `$all` as the gateway reads it: its JSON as the database's text, never parsed on the way. */
export interface AllEvent extends ShownEvent {
  readonly txId: number;
  readonly globalPosition: number;
  readonly data: string;
  readonly metadata: string;
}

/** Events in commit order, each with the position clients get (see positions.ts). */
export interface AllBatch {
  readonly events: ReadonlyArray<{ readonly event: AllEvent; readonly commit: string }>;
  /** The last event read: where the next read resumes. */
  readonly cursor: Cursor;
  /** Everything below the snapshot horizon has been read. */
  readonly reachedHead: boolean;
}

interface Row {
  global_position: string;
  tx_id: string;
  stream_id: string;
  stream_position: string;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_ms: string;
  rank?: number;
}

// Data and metadata as text: the gateway passes JSON on as bytes, and parsing it only to print it
// again cost more than the rest of a read (bench/kurrent.md).
const COLUMNS = `e.global_position::text AS global_position, e.tx_id::text AS tx_id, e.stream_id,
  e.stream_position::text AS stream_position, e.event_id::text AS event_id, e.type, e.data::text AS data,
  e.metadata::text AS metadata, (extract(epoch FROM e.recorded_at) * 1000)::bigint::text AS recorded_ms`;

const toEvent = (r: Row): AllEvent => ({
  txId: Number(r.tx_id),
  globalPosition: Number(r.global_position),
  streamId: r.stream_id,
  streamPosition: Number(r.stream_position),
  eventId: r.event_id,
  type: r.type,
  recordedAt: '',
  recordedMs: r.recorded_ms,
  data: r.data,
  metadata: r.metadata,
});

/**
 * The next events after the cursor in the store's commit-safe order: (transaction id, global
 * position), only from transactions older than every one still running (the snapshot's xmin), as
 * the store's own readAll reads them. Unfiltered, so every event of a transaction passes through
 * and ranks are counted as they go.
 */
export const readAllForwards = async (db: Queryable, cursor: Cursor, limit: number): Promise<AllBatch> => {
  const { rows } = await db.query<Row>(
    `WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
     SELECT ${COLUMNS} FROM es.events e, h
      WHERE e.tx_id < h.xmin AND (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint)
      ORDER BY e.tx_id, e.global_position LIMIT $3`,
    [String(cursor.txId), cursor.position, limit],
  );
  let at = cursor;
  const events = rows.map((row) => {
    const event = toEvent(row);
    const rank = nextRank(at, event.txId);
    at = { txId: event.txId, position: event.globalPosition, rank };
    return { event, commit: encodePosition(event.txId, rank) };
  });
  return { events, cursor: at, reachedHead: rows.length < limit };
};

/**
 * `$all` backwards, below the same horizon. Each transaction's rank is counted once per batch (the
 * events of it before the batch's earliest), so a large transaction costs one count, not one per event.
 */
export const readAllBackwards = async (db: Queryable, before: Cursor | 'end', limit: number): Promise<AllBatch> => {
  const end = before === 'end';
  const { rows } = await db.query<Row & { rank: number }>(
    `WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
          b AS (SELECT ${COLUMNS}, e.tx_id AS t, e.global_position AS g FROM es.events e, h
                 WHERE e.tx_id < h.xmin AND ($1::boolean OR (e.tx_id, e.global_position) < ($2::text::xid8, $3::bigint))
                 ORDER BY e.tx_id DESC, e.global_position DESC LIMIT $4),
          base AS (SELECT m.t, (SELECT count(*) FROM es.events x WHERE x.tx_id = m.t AND x.global_position < m.g0) AS n
                     FROM (SELECT t, min(g) AS g0 FROM b GROUP BY t) m)
     SELECT b.*, (base.n + row_number() OVER (PARTITION BY b.t ORDER BY b.g) - 1)::int AS rank
       FROM b JOIN base ON base.t = b.t
      ORDER BY b.t DESC, b.g DESC`,
    [end, end ? '0' : String(before.txId), end ? 0 : before.position, limit],
  );
  const events = rows.map((r) => ({ event: toEvent(r), commit: encodePosition(Number(r.tx_id), r.rank) }));
  const last = events[events.length - 1];
  const cursor: Cursor = last
    ? { txId: last.event.txId, position: last.event.globalPosition, rank: rows[rows.length - 1]?.rank ?? 0 }
    : end
      ? { txId: 0, position: 0, rank: -1 }
      : before;
  return { events, cursor, reachedHead: events.length < limit };
};
