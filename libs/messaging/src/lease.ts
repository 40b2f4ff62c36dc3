import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Checkpoint, Queryable, SqlClient } from '@tashghil/event-store';

/**
 * One worker where one is needed (a context's relay, a streaming subscription) among the replicas
 * of a service, as a row of msg.leases with an expiry and a fencing token.
 *
 * A row rather than a session advisory lock:
 * - on the server, an advisory lock lives as long as its session: it pins one connection per lease
 *   outside the pool, and a holder whose event loop is blocked keeps its session, so the others
 *   would wait for ever; a row expires when its holder stops renewing it, blocked or dead;
 * - on PGlite every caller shares the one session, and a session's advisory locks are re-entrant, so
 *   two holders in one process would both "hold" it; the row works the same on both engines;
 * - a lock gives no token: a holder that wakes after another took over cannot be told apart. The
 *   token grows at every change of holder, and a write that carries it (a checkpoint) is refused
 *   once another holder has the lease.
 * Expiries are reckoned by the database's clock only, so the replicas' clocks need not agree.
 */
export interface LeaseTiming {
  /** How long a lease lasts without renewal: the longest a dead or stalled holder delays the next. */
  readonly ttlMs: number;
  /** How often the holder renews it; a few renewals fit in one ttl, so one slow renewal loses nothing. */
  readonly renewMs: number;
  /** How often a replica without the lease tries to take it. */
  readonly retryMs: number;
}

/** Fail-over within about six seconds of the holder's last renewal. */
export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 5_000, renewMs: 1_500, retryMs: 1_000 };

export class LeaseLostError extends Error {
  constructor(readonly lease: string) {
    super(`the lease ${lease} has passed to another holder`);
    this.name = 'LeaseLostError';
  }
}

export interface Fence {
  readonly name: string;
  readonly token: number;
}

export interface HeldLease extends Fence {
  readonly holder: string;
  /**
   * False once the lease may belong to another holder: its last renewal is older than the ttl less
   * a margin, or it was lost. Checked before a side effect that the token cannot fence (a publish).
   */
  held(): boolean;
}

/** Unique per process start: a restarted process is a new holder, and takes the lease with a new token. */
export const leaseHolderId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

const ms = (value: number): string => String(Math.max(0, Math.round(value)));

/** Takes the lease if it is free or expired; answers its new token, or undefined while another holds it. */
export const acquireLease = async (
  db: Queryable,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<number | undefined> => {
  const { rows } = await db.query<{ token: string }>(
    `INSERT INTO msg.leases AS l (name, holder, token, acquired_at, renewed_at, expires_at)
     VALUES ($1, $2, 1, clock_timestamp(), clock_timestamp(), clock_timestamp() + $3::bigint * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE
        SET holder = EXCLUDED.holder, token = l.token + 1, acquired_at = EXCLUDED.acquired_at,
            renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at
      WHERE l.expires_at <= clock_timestamp()
     RETURNING token::text`,
    [name, holder, ms(ttlMs)],
  );
  const token = rows[0]?.token;
  return token === undefined ? undefined : Number(token);
};

/**
 * Extends the lease while its token is still this holder's. A lease that expired but that nobody
 * took keeps its token, so renewing it is safe: no other holder has written under another token.
 */
export const renewLease = async (
  db: Queryable,
  lease: Fence & { readonly holder: string },
  ttlMs: number,
): Promise<boolean> => {
  const { rowCount } = await db.query(
    `UPDATE msg.leases SET renewed_at = clock_timestamp(), expires_at = clock_timestamp() + $4::bigint * interval '1 millisecond'
      WHERE name = $1 AND holder = $2 AND token = $3`,
    [lease.name, lease.holder, lease.token, ms(ttlMs)],
  );
  return rowCount > 0;
};

/** Lets the next replica take the lease at its next try rather than after the ttl. */
export const releaseLease = async (db: Queryable, lease: Fence): Promise<void> => {
  await db.query(`UPDATE msg.leases SET expires_at = clock_timestamp() WHERE name = $1 AND token = $2`, [
    lease.name,
    lease.token,
  ]);
};

/**
 * Saves a checkpoint (es.checkpoints) under the fence, and only forward. The lease row is read FOR
 * SHARE: a take-over waits for this write to commit (and its new holder then loads what it wrote),
 * or this write waits for the take-over and finds the token changed. Answers whether it moved;
 * throws LeaseLostError when the token is no longer the lease's.
 */
export const saveFencedCheckpoint = async (
  db: Queryable,
  fence: Fence,
  name: string,
  at: Checkpoint,
): Promise<boolean> => {
  const { rows } = await db.query<{ held: boolean; moved: boolean }>(
    `WITH fence AS (SELECT token FROM msg.leases WHERE name = $4 AND token = $5 FOR SHARE),
          saved AS (
            INSERT INTO es.checkpoints AS c (name, tx_id, position, updated_at)
            SELECT $1, $2::text::xid8, $3, now() FROM fence
            ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()
             WHERE (c.tx_id, c.position) < (EXCLUDED.tx_id, EXCLUDED.position)
            RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM fence) AS held, EXISTS (SELECT 1 FROM saved) AS moved`,
    [name, String(at.txId), at.position, fence.name, fence.token],
  );
  if (!rows[0]?.held) throw new LeaseLostError(fence.name);
  return rows[0].moved;
};

export interface LeaseRunner {
  /** True while this replica holds the lease and its work runs. */
  holding(): boolean;
  /** Stops the work, and releases the lease if held, so another replica takes it at once. */
  stop(): Promise<void>;
}

export interface LeaseOptions {
  readonly timing?: Partial<LeaseTiming>;
  /** A failed acquisition, renewal or release, or work that threw (it is started again while held). */
  readonly onError?: (error: unknown) => void;
  readonly onChange?: (holding: boolean, token: number) => void;
}

/** Resolves after `ms`, or as soon as the signal aborts. */
export const pause = (delayMs: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Runs `work` on the one replica that holds the lease `name`, for as long as it holds it. The
 * signal aborts when the lease is lost (a renewal found another token, or none succeeded within the
 * ttl) or on stop; `work` should then return promptly. Work that returns or throws while the lease is
 * held releases it, and is started again, here or on another replica, once the lease is taken anew.
 */
export const runWhileLeased = (
  db: SqlClient,
  name: string,
  holder: string,
  work: (signal: AbortSignal, lease: HeldLease) => Promise<void>,
  options: LeaseOptions = {},
): LeaseRunner => {
  const timing = { ...DEFAULT_LEASE_TIMING, ...options.timing };
  // The local deadline stops short of the database's expiry: it is counted from before the
  // statement that set it was sent, less a margin for a slow clock.
  const margin = Math.min(1_000, timing.ttlMs / 5);
  const stopping = new AbortController();
  let current: AbortController | undefined;
  const report = (error: unknown): void => options.onError?.(error);

  const hold = async (token: number, sentAt: number): Promise<void> => {
    const lost = new AbortController();
    current = lost;
    let deadline = sentAt + timing.ttlMs - margin;
    const lease: HeldLease = {
      name,
      holder,
      token,
      held: () => !lost.signal.aborted && performance.now() < deadline,
    };
    const onStop = (): void => lost.abort();
    stopping.signal.addEventListener('abort', onStop, { once: true });
    options.onChange?.(true, token);
    const renewing = (async () => {
      while (!lost.signal.aborted) {
        await pause(Math.max(0, Math.min(timing.renewMs, deadline - performance.now())), lost.signal);
        if (lost.signal.aborted) return;
        // A holder that stalled past its deadline may already be replaced: it gives the lease up
        // rather than renew it, and competes for it again with a new token.
        if (performance.now() >= deadline) return lost.abort(new LeaseLostError(name));
        const sent = performance.now();
        try {
          if (await renewLease(db, lease, timing.ttlMs)) deadline = sent + timing.ttlMs - margin;
          else lost.abort(new LeaseLostError(name));
        } catch (error) {
          report(error);
        }
        if (performance.now() >= deadline) lost.abort(new LeaseLostError(name));
      }
    })();
    try {
      await work(lost.signal, lease);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) report(error);
    }
    lost.abort();
    await renewing;
    stopping.signal.removeEventListener('abort', onStop);
    current = undefined;
    options.onChange?.(false, token);
    await releaseLease(db, lease).catch(report);
  };

  const running = (async () => {
    while (!stopping.signal.aborted) {
      const sentAt = performance.now();
      let token: number | undefined;
      try {
        token = await acquireLease(db, name, holder, timing.ttlMs);
      } catch (error) {
        report(error);
      }
      if (token !== undefined && !stopping.signal.aborted) await hold(token, sentAt);
      else if (token !== undefined) await releaseLease(db, { name, token }).catch(report);
      await pause(timing.retryMs, stopping.signal);
    }
  })();

  return {
    holding: () => current !== undefined && !current.signal.aborted,
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
};
