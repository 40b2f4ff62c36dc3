import type { Queryable } from '@tashghil/event-store';

/**
 * A `$all` position as one 64-bit number, for clients that resume from the commit position alone.
 *
 * Tashghil's commit-safe order is (transaction id, global position), read below the snapshot
 * horizon. Global positions are not monotonic in that order (a transaction that began first but
 * committed last holds low positions and a high rank), so they cannot be the number. The number is
 * rather `tx_id · 2^20 + rank`, where rank is the event's place among its own transaction's events
 * (0, 1, 2… by global position). Both parts are final once the event is below the horizon: no
 * transaction id below it can still gain events, and a transaction's events never change. The
 * encoding is monotonic in commit order (by transaction id first, then within it), dense within a
 * transaction, and decodes back to the exact event.
 *
 * Limits: a transaction of more than 2^20 (1,048,576) events, or a transaction id of 2^43 or more,
 * cannot be encoded, and the gateway then fails the read loudly rather than hand out a wrong
 * position. 2^43 keeps the number below 2^63 for clients that hold positions in a signed 64-bit
 * integer; at 10,000 transactions a second a cluster reaches it in about 27 years.
 */
export const RANK_BITS = 20n;
const RANK_LIMIT = 1 << 20;
const TX_LIMIT = 2n ** 43n;

/** The last event a reader passed, in commit order, with its rank; rank -1 before a transaction's first. */
export interface Cursor {
  readonly txId: number;
  readonly position: number;
  readonly rank: number;
}

export const START_CURSOR: Cursor = { txId: 0, position: 0, rank: -1 };

export const encodePosition = (txId: number, rank: number): string => {
  const tx = BigInt(txId);
  if (rank < 0 || rank >= RANK_LIMIT) throw new Error(`transaction ${txId} holds more than ${RANK_LIMIT} events`);
  if (tx >= TX_LIMIT) throw new Error(`transaction id ${txId} is beyond the positions this gateway can encode`);
  return ((tx << RANK_BITS) | BigInt(rank)).toString();
};

export const decodePosition = (commit: string | number | bigint): { txId: number; rank: number } => {
  const value = BigInt(commit);
  return { txId: Number(value >> RANK_BITS), rank: Number(value & BigInt(RANK_LIMIT - 1)) };
};

/** A cursor's own position; one past its transaction's events reads as the transaction's last rank. */
export const encodeCursor = (cursor: Cursor): string =>
  encodePosition(cursor.txId, Math.min(Math.max(cursor.rank, 0), RANK_LIMIT - 1));

/** The rank of the next event of the same transaction, or 0 when the event opens another one. */
export const nextRank = (cursor: Cursor, txId: number): number => (txId === cursor.txId ? cursor.rank + 1 : 0);

/** The global position of the event at this rank in its transaction, if the transaction has that many. */
const positionAtRank = async (db: Queryable, txId: number, rank: number): Promise<number | undefined> => {
  const { rows } = await db.query<{ p: string }>(
    `SELECT global_position::text AS p FROM es.events WHERE tx_id = $1::text::xid8
      ORDER BY global_position OFFSET $2 LIMIT 1`,
    [String(txId), rank],
  );
  return rows[0] ? Number(rows[0].p) : undefined;
};

/**
 * Where a forward read resumes: after the event the position names (`exclusive`, as subscriptions
 * start), or at it (`inclusive`, as reads start). A position past its transaction's events resumes
 * after the whole transaction.
 */
export const cursorFor = async (db: Queryable, commit: string, mode: 'exclusive' | 'inclusive'): Promise<Cursor> => {
  const { txId, rank } = decodePosition(commit);
  if (txId === 0) return START_CURSOR;
  const at = await positionAtRank(db, txId, rank);
  if (at === undefined) return { txId, position: Number.MAX_SAFE_INTEGER, rank: RANK_LIMIT };
  return mode === 'exclusive' ? { txId, position: at, rank } : { txId, position: at - 1, rank: rank - 1 };
};

/** The last event below the snapshot horizon, where a subscription "from the end" starts. */
export const headCursor = async (db: Queryable): Promise<Cursor> => {
  const { rows } = await db.query<{ tx: string; p: string; rank: number }>(
    `WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
          last AS (SELECT e.tx_id, e.global_position FROM es.events e, h WHERE e.tx_id < h.xmin
                    ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1)
     SELECT last.tx_id::text AS tx, last.global_position::text AS p,
            (SELECT count(*) FROM es.events x WHERE x.tx_id = last.tx_id AND x.global_position < last.global_position)::int
              AS rank
       FROM last`,
  );
  const row = rows[0];
  return row ? { txId: Number(row.tx), position: Number(row.p), rank: row.rank } : START_CURSOR;
};

/** The position of one stored event, e.g. the last one an append wrote. */
export const positionOfEvent = async (db: Queryable, globalPosition: number): Promise<string | undefined> => {
  const { rows } = await db.query<{ tx: string; rank: number }>(
    `SELECT e.tx_id::text AS tx,
            (SELECT count(*) FROM es.events x WHERE x.tx_id = e.tx_id AND x.global_position < e.global_position)::int AS rank
       FROM es.events e WHERE e.global_position = $1`,
    [globalPosition],
  );
  const row = rows[0];
  return row ? encodePosition(Number(row.tx), row.rank) : undefined;
};
