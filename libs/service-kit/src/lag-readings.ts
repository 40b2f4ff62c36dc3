import { HEADERS } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';

/** A position in commit order, as the relay reads the store: (transaction id, global position). */
export interface CommitPosition {
  readonly txId: bigint;
  readonly position: bigint;
}

export const ORIGIN: CommitPosition = { txId: 0n, position: 0n };

const before = (a: CommitPosition, b: CommitPosition): boolean =>
  a.txId < b.txId || (a.txId === b.txId && a.position < b.position);

/**
 * What a context's relay has not yet published: the events after its checkpoint (es.checkpoints,
 * `relay:<context>`, in commit order), and the age of the oldest. Recorded times can be pinned (the
 * demo records at its calendar's dates), so the age is capped by how long ago the relay last moved.
 */
export const readRelayLag = async (db: Queryable, context: string): Promise<{ events: number; seconds: number }> => {
  const { rows } = await db.query<{ behind: string; oldest: number | null; moved: number | null }>(
    `WITH cp AS (
       SELECT coalesce(max(tx_id::text), '0')::xid8 AS tx_id, coalesce(max(position), 0) AS position, max(updated_at) AS moved_at
         FROM es.checkpoints WHERE name = $1)
     SELECT count(e.global_position)::text AS behind,
            extract(epoch FROM now() - min(e.recorded_at))::float8 AS oldest,
            extract(epoch FROM now() - max(cp.moved_at))::float8 AS moved
       FROM cp LEFT JOIN es.events e ON e.category LIKE $2 AND (e.tx_id, e.global_position) > (cp.tx_id, cp.position)`,
    [`relay:${context}`, `${context}.%`],
  );
  const row = rows[0];
  const events = Number(row?.behind ?? 0);
  const seconds = events === 0 ? 0 : Math.max(0, Math.min(row?.oldest ?? 0, row?.moved ?? Number.POSITIVE_INFINITY));
  return { events, seconds };
};

/**
 * What a subscription to the store has not yet handled: the events of its categories and types after
 * its checkpoint (es.checkpoints, under the subscription's name), read on the index by category and
 * commit order. A subscription that never saved a checkpoint counts from the start of the store.
 */
export const readSubscriptionLag = async (db: Queryable, subscription: StoreSubscriptionLag): Promise<number> => {
  const { rows } = await db.query<{ behind: string }>(
    `WITH cp AS (
       SELECT coalesce(max(tx_id::text), '0')::xid8 AS tx_id, coalesce(max(position), 0) AS position
         FROM es.checkpoints WHERE name = $1)
     SELECT count(*)::text AS behind FROM cp JOIN es.events e
         ON e.category = ANY($2::text[]) AND (e.tx_id, e.global_position) > (cp.tx_id, cp.position)
      WHERE $3::text[] IS NULL OR e.type = ANY($3::text[])`,
    [subscription.name, subscription.categories, subscription.types ?? null],
  );
  return Number(rows[0]?.behind ?? 0);
};

/** A subscription to the store a process runs, as its lag is read: its checkpoint's name and its filter. */
export interface StoreSubscriptionLag {
  readonly name: string;
  readonly categories: readonly string[];
  /** The types it acts on; absent, every type of its categories. */
  readonly types?: readonly string[];
}

/**
 * Counts the stored events of a consumer's types with no inbox row and no dead letter, from a
 * floor below which everything was found applied, and says where the next reading may start.
 * The floor never passes the snapshot's xmin, so a transaction that commits late holding a low
 * position is still counted; a dead-lettered event stops being lag and is counted as a dead letter.
 */
export const readProjectionLag = async (
  db: Queryable,
  consumer: string,
  types: readonly string[],
  floor: CommitPosition,
): Promise<{ behind: number; floor: CommitPosition }> => {
  const { rows } = await db.query<{
    behind: string;
    first_tx: string | null;
    first_pos: string | null;
    head_tx: string | null;
    head_pos: string | null;
  }>(
    `WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
          behind AS MATERIALIZED (
            SELECT e.tx_id, e.global_position FROM es.events e
             WHERE (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint)
               AND e.type = ANY($3::text[])
               AND NOT EXISTS (SELECT 1 FROM msg.inbox i WHERE i.consumer = $4 AND i.event_id = e.event_id)
               AND NOT EXISTS (SELECT 1 FROM msg.dead_letters d WHERE d.consumer = $4 AND d.headers->>$5 = e.event_id::text)),
          first AS (SELECT tx_id, global_position FROM behind ORDER BY tx_id, global_position LIMIT 1),
          head AS (SELECT e.tx_id, e.global_position FROM es.events e, h WHERE e.tx_id < h.xmin
                    ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1)
     SELECT (SELECT count(*) FROM behind)::text AS behind,
            (SELECT tx_id::text FROM first) AS first_tx, (SELECT global_position::text FROM first) AS first_pos,
            (SELECT tx_id::text FROM head) AS head_tx, (SELECT global_position::text FROM head) AS head_pos`,
    [floor.txId.toString(), floor.position.toString(), types, consumer, HEADERS.eventId],
  );
  const row = rows[0];
  let next: CommitPosition | undefined =
    row?.head_tx && row.head_pos ? { txId: BigInt(row.head_tx), position: BigInt(row.head_pos) } : undefined;
  if (row?.first_tx && row.first_pos) {
    const justBefore = { txId: BigInt(row.first_tx), position: BigInt(row.first_pos) - 1n };
    if (!next || before(justBefore, next)) next = justBefore;
  }
  return { behind: Number(row?.behind ?? 0), floor: next && before(floor, next) ? next : floor };
};

/** The offset of the last message each consumer handled, per topic and partition (msg.consumer_offsets). */
export const readCommittedOffsets = async (
  db: Queryable,
  consumers: readonly string[],
): Promise<Map<string, bigint>> => {
  const { rows } = await db.query<{ consumer: string; topic: string; partition: number; offset: string }>(
    `SELECT consumer, topic, partition, "offset"::text AS "offset" FROM msg.consumer_offsets WHERE consumer = ANY($1::text[])`,
    [consumers],
  );
  return new Map(rows.map((r) => [offsetKey(r.consumer, r.topic, r.partition), BigInt(r.offset)]));
};

export const offsetKey = (consumer: string, topic: string, partition: number): string =>
  `${consumer}\u0000${topic}\u0000${partition}`;

/** Rows of msg.dead_letters not yet replayed, per consumer and original topic. */
export const readDeadLetterRows = async (
  db: Queryable,
  consumers: readonly string[],
): Promise<Array<{ consumer: string; topic: string; rows: number }>> => {
  const { rows } = await db.query<{ consumer: string; topic: string; n: string }>(
    `SELECT consumer, topic, count(*)::text AS n FROM msg.dead_letters
      WHERE consumer = ANY($1::text[]) AND replayed_at IS NULL GROUP BY consumer, topic`,
    [consumers],
  );
  return rows.map((r) => ({ consumer: r.consumer, topic: r.topic, rows: Number(r.n) }));
};
