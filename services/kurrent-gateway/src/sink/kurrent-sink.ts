import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import {
  compareCheckpoints,
  contextChannel,
  loadCheckpoint,
  sleep,
  type Checkpoint,
  type EventStore,
  type Queryable,
  type RecordedEvent,
} from '@tashghil/event-store';
import type { Logger } from 'pino';
import type { CategorySelection } from './categories';
import { mirrorStream } from './mirror-stream';

export interface SinkOptions {
  /** The Tashghil store mirrored; the sink's checkpoint is kept in its database. */
  readonly store: EventStore;
  /** Any server that speaks the KurrentDB protocol. */
  readonly client: KurrentDBClient;
  readonly categories: CategorySelection;
  /** Names the checkpoint (`kurrent-sink:<name>`): a new name mirrors again from the start. */
  readonly name: string;
  readonly batchSize?: number;
  /** How long it sleeps without a wake-up before it reads anyway (wake-ups can be lost). */
  readonly pollMs?: number;
  /** Streams appended at once; each stream's own events always go one append after the other. */
  readonly concurrency?: number;
  readonly log: Logger;
  /** After each checkpoint saved: where it is and how many events that batch mirrored. */
  readonly onCheckpoint?: (at: Checkpoint, mirrored: number) => void;
}

export interface KurrentSink {
  /** Resolves once everything committed when it was called is mirrored and checkpointed. */
  caughtUp(): Promise<void>;
  position(): Checkpoint;
  /** Ends after the batch in flight, its checkpoint saved. */
  stop(): Promise<void>;
}

export const sinkCheckpointName = (name: string): string => `kurrent-sink:${name}`;

/** Saves a position only if it is past the saved one: two sinks of one name never move it back. */
export const advanceCheckpoint = async (db: Queryable, name: string, at: Checkpoint): Promise<void> => {
  await db.query(
    `INSERT INTO es.checkpoints AS c (name, tx_id, position, updated_at) VALUES ($1, $2::text::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()
      WHERE (c.tx_id, c.position) < (EXCLUDED.tx_id, EXCLUDED.position)`,
    [name, String(at.txId), at.position],
  );
};

/** A batch's events per stream, each stream's in commit order (which is its stream order). */
const byStream = (events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> => {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    const list = streams.get(e.streamId);
    if (list) list.push(e);
    else streams.set(e.streamId, [e]);
  }
  return streams;
};

const inParallel = async <T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
};

/**
 * The relay's guarantees towards a KurrentDB server: the store read in its commit-safe order (its
 * readAll, below the snapshot horizon, so a late commit is never passed over), personal fields
 * sealed as stored, each event appended with its own id at its own revision (so a retry is
 * idempotent), a stream's events in order, and the checkpoint saved only after the target
 * acknowledged the whole batch. A crash between the two repeats the batch, which the target then
 * answers as already written.
 */
export const startKurrentSink = async (options: SinkOptions): Promise<KurrentSink> => {
  const db = options.store.db;
  const checkpointName = sinkCheckpointName(options.name);
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 1_000;
  const width = options.concurrency ?? 8;
  const filter = options.categories.storeFilter;
  let position = await loadCheckpoint(db, checkpointName);
  let stopped = false;
  let pending = false;
  let failures = 0;
  let wake: (() => void) | undefined;
  const idle: Array<() => void> = [];
  const notify = (): void => {
    pending = true;
    wake?.();
  };
  const contexts = new Set([
    ...options.categories.exact.map((c) => c.split('.', 1)[0] ?? c),
    ...options.categories.contexts,
  ]);
  const unlisten = await db.listen([...contexts].map(contextChannel), notify);

  const step = async (): Promise<number> => {
    const read = await options.store.readAll({ ...filter, after: position, limit: batchSize, decrypt: false });
    const events = read.events.filter((e) => options.categories.includes(e.streamId));
    if (events.length > 0) {
      await inParallel([...byStream(events)], width, ([stream, list]) => mirrorStream(options.client, stream, list));
    }
    if (compareCheckpoints(read.checkpoint, position) > 0) {
      await advanceCheckpoint(db, checkpointName, read.checkpoint);
      position = read.checkpoint;
      options.onCheckpoint?.(position, events.length);
    }
    return read.events.length;
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
        options.log.error({ err: error, at: position, failures }, 'KurrentDB sink: batch not mirrored, retrying');
        await sleep(Math.min(30_000, 100 * 2 ** Math.min(failures, 9)));
        continue;
      }
      if (read >= batchSize || pending) continue;
      idle.splice(0).forEach((resolve) => resolve());
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
        idle.push(resolve);
        notify();
      }),
    position: () => position,
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
      idle.splice(0).forEach((resolve) => resolve());
      await unlisten();
    },
  };
};
