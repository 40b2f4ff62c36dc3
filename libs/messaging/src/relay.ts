import { HEADERS, topicForStream } from '@tashghil/contracts';
import {
  contextChannel,
  eventTextOf,
  loadCheckpoint,
  type Checkpoint,
  type EventStore,
  type EventText,
  type RecordedEvent,
  type Subscription,
} from '@tashghil/event-store';
import {
  type HeldLease,
  LeaseLostError,
  leaseHolderId,
  type LeaseTiming,
  pause,
  runWhileLeased,
  saveFencedCheckpoint,
} from './lease';
import type { OutboundMessage, Publisher } from './message';

export interface RelayOptions {
  readonly store: EventStore;
  readonly publisher: Publisher;
  /** The context whose events this relay publishes, e.g. `conventions`. */
  readonly context: string;
  readonly batchSize?: number;
  readonly pollMs?: number;
  /** Names this replica in msg.leases; unique per process start by default. */
  readonly holderId?: string;
  readonly lease?: Partial<LeaseTiming>;
  readonly onError?: (error: unknown) => void;
  readonly onPublished?: (events: readonly EventText[]) => void;
  readonly onLeaseChange?: (holding: boolean, token: number) => void;
}

export interface Relay extends Subscription {
  /** True while this replica holds the context's lease and publishes. */
  holding(): boolean;
}

/**
 * The message of an event, from its stored JSON text, written around it rather than parsed and
 * written again (EventStore.readAllText).
 */
export const toOutboundText = (e: EventText): OutboundMessage => ({
  topic: topicForStream(e.streamId),
  key: e.streamId,
  value:
    `{"eventId":${JSON.stringify(e.eventId)},"type":${JSON.stringify(e.type)},"schemaVersion":${e.schemaVersion},` +
    `"streamId":${JSON.stringify(e.streamId)},"streamPosition":${e.streamPosition},"globalPosition":${e.globalPosition},` +
    `"recordedAt":${JSON.stringify(e.recordedAt)},"data":${e.dataJson},"metadata":${e.metadataJson}}`,
  headers: {
    [HEADERS.eventId]: e.eventId,
    [HEADERS.type]: e.type,
    [HEADERS.schemaVersion]: String(e.schemaVersion),
    [HEADERS.correlationId]: e.correlationId ?? e.eventId,
    [HEADERS.causationId]: e.causationId ?? '',
  },
});

/** The message of an event read as objects: the same text once its data and metadata are written as JSON. */
export const toOutbound = (e: RecordedEvent): OutboundMessage => toOutboundText(eventTextOf(e));

/** The checkpoint (es.checkpoints) and the lease (msg.leases) of a context's relay share this name. */
export const relayName = (context: string): string => `relay:${context}`;

/**
 * Tails the store in commit order and publishes each event as stored: personal fields stay sealed,
 * so no clear personal data reaches the broker. Every replica starts one; only the holder of the
 * context's lease publishes, and another takes over within seconds when it stops, dies or stalls.
 * The checkpoint moves only after the broker (or the in-process bus) acknowledged the batch, only
 * forward, and only under the holder's fencing token; a crash in between publishes the batch again,
 * and the consumers' inboxes absorb the repeat.
 */
export const startRelay = async (options: RelayOptions): Promise<Relay> => {
  const { store, context } = options;
  const db = store.db;
  const name = relayName(context);
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 500;
  let position: Checkpoint = await loadCheckpoint(db, name);
  let nudge: (() => void) | undefined;
  let pending = false;
  const idleWaiters: Array<() => void> = [];

  const step = async (lease: HeldLease): Promise<number> => {
    const { events, checkpoint } = await store.readAllText({ context, after: position, limit: batchSize });
    if (events.length > 0) {
      // A publish cannot carry the token: a holder that may have been replaced does not send.
      if (!lease.held()) throw new LeaseLostError(name);
      await options.publisher.publish(events.map(toOutboundText));
    }
    if (checkpoint.txId !== position.txId || checkpoint.position !== position.position)
      await saveFencedCheckpoint(db, lease, name, checkpoint);
    position = checkpoint;
    if (events.length > 0) options.onPublished?.(events);
    return events.length;
  };

  const follow = async (signal: AbortSignal, lease: HeldLease): Promise<void> => {
    // The previous holder's last checkpoint: its writes committed before this lease was granted.
    position = await loadCheckpoint(db, name);
    const unlisten = await db.listen([contextChannel(context)], () => {
      pending = true;
      nudge?.();
    });
    let failures = 0;
    try {
      while (!signal.aborted) {
        pending = false;
        let read = 0;
        try {
          read = await step(lease);
          failures = 0;
        } catch (error) {
          if (error instanceof LeaseLostError) return;
          failures += 1;
          options.onError?.(error);
          // At most 5 s between attempts: a broker back from a restart is used again within seconds.
          await pause(Math.min(5_000, 100 * 2 ** Math.min(failures, 9)), signal);
          continue;
        }
        if (read > 0 || pending) continue;
        idleWaiters.splice(0).forEach((resolve) => resolve());
        // Until an append wakes it, the poll comes round or the lease ends: whichever first, the
        // others are cleared (a wake-up must not leave a timer and an abort listener behind).
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            nudge = undefined;
            resolve();
          };
          const timer = setTimeout(done, pollMs);
          signal.addEventListener('abort', done, { once: true });
          nudge = done;
          if (signal.aborted) done();
        });
      }
    } finally {
      // A caughtUp() waiting on this holder reads the shared checkpoint again.
      idleWaiters.splice(0).forEach((resolve) => resolve());
      await unlisten();
    }
  };

  const runner = runWhileLeased(db, name, options.holderId ?? leaseHolderId(), follow, {
    ...(options.lease ? { timing: options.lease } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.onLeaseChange ? { onChange: options.onLeaseChange } : {}),
  });

  /** The last event of the context committed now: published once the shared checkpoint passes it. */
  const lastCommitted = async (): Promise<Checkpoint | undefined> => {
    const { rows } = await db.query<{ tx_id: string; position: string }>(
      `SELECT tx_id::text, global_position::text AS position FROM es.events WHERE category LIKE $1
        ORDER BY tx_id DESC, global_position DESC LIMIT 1`,
      [`${context}.%`],
    );
    const row = rows[0];
    return row ? { txId: Number(row.tx_id), position: Number(row.position) } : undefined;
  };
  const passed = (at: Checkpoint, target: Checkpoint): boolean =>
    at.txId > target.txId || (at.txId === target.txId && at.position >= target.position);
  let stopped = false;

  return {
    holding: () => runner.holding(),
    position: () => position,
    caughtUp: async () => {
      const target = await lastCommitted();
      if (target === undefined) return;
      while (!stopped) {
        if (runner.holding()) {
          const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
          pending = true;
          nudge?.();
          await idle;
        } else {
          await pause(pollMs);
        }
        // Whoever holds the lease, the shared checkpoint tells what has been published.
        const shared = await loadCheckpoint(db, name);
        if (passed(shared, target)) return;
      }
    },
    stop: async () => {
      stopped = true;
      await runner.stop();
      idleWaiters.splice(0).forEach((resolve) => resolve());
    },
  };
};
