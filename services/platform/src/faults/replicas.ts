import type { Checkpoint, SqlClient } from '@tashghil/event-store';
import { relayName } from '@tashghil/messaging';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A row of msg.leases (libs/messaging lease.ts): who holds it, under which fencing token. */
export interface LeaseRow {
  readonly holder: string;
  readonly token: number;
  /** The holder's pid, the second field of its id (`host:pid:nonce`, lease.ts leaseHolderId). */
  readonly pid: number;
  readonly acquiredAt: number;
}

/** The lease's row; while `live`, only if it has not expired. */
export const leaseOf = async (db: SqlClient, name: string, live = true): Promise<LeaseRow | undefined> => {
  const { rows } = await db.query<{ holder: string; token: string; acquired: string }>(
    `SELECT holder, token::text AS token, (extract(epoch FROM acquired_at) * 1000)::bigint::text AS acquired
       FROM msg.leases WHERE name = $1 AND (NOT $2 OR expires_at > clock_timestamp())`,
    [name, live],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    holder: row.holder,
    token: Number(row.token),
    pid: Number(row.holder.split(':')[1]),
    acquiredAt: Number(row.acquired),
  };
};

/** Waits (at most `ms`) until some replica holds the relay lease of `context`. */
export const relayHolder = async (db: SqlClient, context: string, ms = 30_000): Promise<LeaseRow> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const lease = await leaseOf(db, relayName(context));
    if (lease) return lease;
    if (Date.now() > deadline) throw new Error(`no replica holds the ${context} relay lease after ${ms / 1_000} s`);
    await sleep(100);
  }
};

interface CheckpointRow extends Checkpoint {
  readonly at: number;
}

const relayCheckpoint = async (db: SqlClient, context: string): Promise<CheckpointRow> => {
  const { rows } = await db.query<{ tx_id: string; position: string; at: string }>(
    `SELECT tx_id::text, position::text, (extract(epoch FROM updated_at) * 1000)::bigint::text AS at
       FROM es.checkpoints WHERE name = $1`,
    [relayName(context)],
  );
  const row = rows[0];
  return row
    ? { txId: Number(row.tx_id), position: Number(row.position), at: Number(row.at) }
    : { txId: 0, position: 0, at: 0 };
};

const eventsBetween = async (db: SqlClient, context: string, after: Checkpoint, upTo: Checkpoint): Promise<number> => {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM es.events
      WHERE category LIKE $1 AND (tx_id, global_position) > ($2::text::xid8, $3::bigint)
        AND (tx_id, global_position) <= ($4::text::xid8, $5::bigint)`,
    [`${context}.%`, String(after.txId), after.position, String(upTo.txId), upTo.position],
  );
  return rows[0]?.n ?? 0;
};

/** Where a context's relay stood when its lease holder was killed. */
export interface BeforeKill {
  readonly context: string;
  readonly lease: LeaseRow;
  readonly checkpoint: CheckpointRow;
}

export const beforeKill = async (db: SqlClient, context: string): Promise<BeforeKill> => ({
  context,
  lease: await relayHolder(db, context),
  checkpoint: await relayCheckpoint(db, context),
});

export interface Handover {
  readonly context: string;
  readonly newHolder: string;
  readonly token: number;
  /** From the kill to the survivor's taking the lease (msg.leases acquired_at). */
  readonly leaseSeconds: number;
  /**
   * From the kill to the first batch the survivor published: the first move of the shared
   * checkpoint under its token that passed events of the context. The relay moves it only once
   * the broker acknowledged the batch (libs/messaging relay.ts), so this is the broker's ack.
   */
  readonly publishSeconds: number;
  readonly eventsInFirstBatch: number;
}

/**
 * Polls msg.leases and the relay's checkpoint every 50 ms after the kill of the lease holder, until
 * another holder has taken the lease and published; both instants are the database's own clock on
 * this host, against the kill's on the same host.
 */
export const watchHandover = async (
  db: SqlClient,
  before: BeforeKill,
  killedAt: number,
  ms = 60_000,
): Promise<Handover> => {
  const deadline = Date.now() + ms;
  let last = before.checkpoint;
  let lease: LeaseRow | undefined;
  for (;;) {
    // The checkpoint first: a move seen here was made under a lease taken before, read next.
    const now = await relayCheckpoint(db, before.context);
    lease ??= await leaseOf(db, relayName(before.context), false).then((l) =>
      l && l.token > before.lease.token ? l : undefined,
    );
    if (now.txId !== last.txId || now.position !== last.position) {
      const passed = await eventsBetween(db, before.context, last, now);
      if (lease && passed > 0 && now.at >= lease.acquiredAt)
        return {
          context: before.context,
          newHolder: lease.holder,
          token: lease.token,
          leaseSeconds: (lease.acquiredAt - killedAt) / 1_000,
          publishSeconds: (now.at - killedAt) / 1_000,
          eventsInFirstBatch: passed,
        };
      last = now;
    }
    if (Date.now() > deadline)
      throw new Error(
        `the ${before.context} relay was not handed over ${ms / 1_000} s after its holder was killed (lease ${lease ? `taken by ${lease.holder}` : 'not taken'})`,
      );
    await sleep(50);
  }
};
