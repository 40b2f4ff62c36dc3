import type { EventStore } from './event-store';
import type { Queryable } from './sql-client';
import { START, type Checkpoint, type ReadAllOptions, type RecordedEvent } from './types';
import { listenChannels } from './wake';

export interface SubscriptionOptions {
  /** Names the checkpoint row; two subscriptions with one name share a position. */
  readonly name: string;
  readonly filter?: Pick<ReadAllOptions, 'categories' | 'context' | 'decrypt'>;
  readonly batchSize?: number;
  /**
   * How long it sleeps without a wake-up before it reads anyway. Wake-ups are sent after each
   * append commits and may be lost (a writer that stops between its commit and its wake-up, a
   * listening connection being re-established); this poll bounds the delay they cost.
   */
  readonly pollMs?: number;
  /**
   * Applies a batch. With `transactional` (the default) it runs inside the transaction that
   * saves the checkpoint, so the effect and the position commit together.
   */
  readonly handle: (events: readonly RecordedEvent[], tx: Queryable) => Promise<void>;
  /**
   * false: `handle` does its own I/O (publishing to a broker) and the checkpoint is saved after it
   * returns, so a crash in between repeats the batch rather than losing it.
   */
  readonly transactional?: boolean;
  readonly onError?: (error: unknown) => void;
  /**
   * Saves the position in place of the plain forward-only upsert: a subscription run under a lease
   * saves it under the lease's fence (libs/messaging saveFencedCheckpoint), so a replica that lost
   * the lease can no longer move it. A throw stops nothing by itself: the batch is retried.
   */
  readonly saveCheckpoint?: (db: Queryable, at: Checkpoint) => Promise<unknown>;
}

export interface Subscription {
  /** Resolves once the subscription has read everything committed when it was called. */
  caughtUp(): Promise<void>;
  position(): Checkpoint;
  stop(): Promise<void>;
}

export const loadCheckpoint = async (db: Queryable, name: string): Promise<Checkpoint> => {
  const { rows } = await db.query<{ tx_id: string; position: string }>(
    `SELECT tx_id::text, position::text FROM es.checkpoints WHERE name = $1`,
    [name],
  );
  const row = rows[0];
  return row ? { txId: Number(row.tx_id), position: Number(row.position) } : START;
};

export const saveCheckpoint = async (db: Queryable, name: string, at: Checkpoint): Promise<void> => {
  await db.query(
    `INSERT INTO es.checkpoints (name, tx_id, position, updated_at) VALUES ($1, $2::text::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()
      WHERE (es.checkpoints.tx_id, es.checkpoints.position) < (EXCLUDED.tx_id, EXCLUDED.position)`,
    [name, String(at.txId), at.position],
  );
};

/**
 * Catches up from the saved checkpoint, then follows the store live: woken by appends to the
 * contexts it follows (every append when it follows the whole log), and by a poll timer in case a
 * wake-up is lost. A failing batch is retried after a backoff; the checkpoint never passes an event
 * that was not applied.
 */
export const subscribe = async (store: EventStore, options: SubscriptionOptions): Promise<Subscription> => {
  const db = store.db;
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 1_000;
  let position = await loadCheckpoint(db, options.name);
  const save = (on: Queryable, at: Checkpoint): Promise<unknown> =>
    options.saveCheckpoint ? options.saveCheckpoint(on, at) : saveCheckpoint(on, options.name, at);
  let stopped = false;
  let wake: (() => void) | undefined;
  let pending = false;
  let failures = 0;
  const idleWaiters: Array<() => void> = [];

  const notify = (): void => {
    pending = true;
    wake?.();
  };
  const unlisten = await db.listen(listenChannels(options.filter), notify);

  const step = async (): Promise<number> => {
    const { events, checkpoint } = await store.readAll({ ...options.filter, after: position, limit: batchSize });
    if (events.length === 0) {
      if (checkpoint.txId !== position.txId || checkpoint.position !== position.position) {
        await save(db, checkpoint);
        position = checkpoint;
      }
      return 0;
    }
    if (options.transactional === false) {
      await options.handle(events, db);
      await save(db, checkpoint);
    } else {
      await db.transaction(async (tx) => {
        await options.handle(events, tx);
        await save(tx, checkpoint);
      });
    }
    position = checkpoint;
    return events.length;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      pending = false;
      let read = 0;
      try {
        read = await step();
        failures = 0;
      } catch (error) {
        failures += 1;
        options.onError?.(error);
        await sleep(Math.min(30_000, 100 * 2 ** Math.min(failures, 9)));
        continue;
      }
      if (read > 0 || pending) continue;
      idleWaiters.splice(0).forEach((resolve) => resolve());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  const running = loop();

  return {
    caughtUp: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notify();
      }),
    position: () => position,
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
      idleWaiters.splice(0).forEach((resolve) => resolve());
      await unlisten();
    },
  };
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
