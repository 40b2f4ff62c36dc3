import type { EventEmitter } from 'node:events';
import {
  DriverError,
  type AppendOutcome,
  type Driver,
  type ErrorKind,
  type Expected,
  type FilterSpec,
  type From,
  type SeenEvent,
  type Subscription,
} from './driver';

/**
 * The part of the two official Node clients' API the scenarios use. `@eventstore/db-client` 6.x and
 * `@kurrent/kurrentdb-client` 1.x share it, except for the name of the append's expectation option
 * and `readAll`'s filter, which only the second has.
 */
interface NodeRecorded {
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
  position?: { commit?: bigint };
}
interface NodeResolved {
  event?: NodeRecorded;
  commitPosition?: bigint;
}
type NodePosition = 'start' | 'end' | { commit: bigint; prepare: bigint };
interface NodeSubscription extends EventEmitter, AsyncIterable<NodeResolved> {
  unsubscribe(): Promise<void>;
}
interface NodeClient {
  appendToStream(
    stream: string,
    events: unknown[],
    options: Record<string, unknown>,
  ): Promise<{
    nextExpectedRevision: bigint;
    position?: { commit: bigint };
  }>;
  readStream(stream: string, options: Record<string, unknown>): AsyncIterable<NodeResolved>;
  readAll(options: Record<string, unknown>): AsyncIterable<NodeResolved>;
  subscribeToAll(options: Record<string, unknown>): NodeSubscription;
  subscribeToStream(stream: string, options: Record<string, unknown>): NodeSubscription;
  deleteStream(stream: string, options: Record<string, unknown>): Promise<unknown>;
  tombstoneStream(stream: string, options: Record<string, unknown>): Promise<unknown>;
  setStreamMetadata(stream: string, metadata: Record<string, unknown>): Promise<unknown>;
  getStreamMetadata(stream: string): Promise<{ metadata?: Record<string, unknown> }>;
  dispose(): Promise<void>;
}
export interface NodeClientModule {
  jsonEvent(event: { id?: string; type: string; data: unknown; metadata?: unknown }): unknown;
  binaryEvent(event: { id?: string; type: string; data: Uint8Array; metadata?: unknown }): unknown;
  streamNameFilter(options: Record<string, unknown>): unknown;
  eventTypeFilter(options: Record<string, unknown>): unknown;
}

const KINDS: Readonly<Record<string, ErrorKind>> = {
  'access-denied': 'access-denied',
  'stream-deleted': 'stream-deleted',
  'wrong-expected-version': 'wrong-expected-version',
  'stream-not-found': 'not-found',
  'invalid-argument': 'invalid-argument',
};

const driverError = (error: unknown): DriverError => {
  const e = error as { type?: string; message?: string };
  return new DriverError(KINDS[e.type ?? ''] ?? 'unknown', `${e.type ?? 'error'}: ${e.message ?? String(error)}`);
};

const seen = (r: NodeResolved): SeenEvent => {
  const e = r.event;
  if (!e) throw new Error('a resolved event without its event');
  return {
    id: e.id,
    type: e.type,
    streamId: e.streamId,
    revision: BigInt(e.revision),
    data: e.data,
    metadata: e.metadata,
    isJson: e.isJson,
    created: e.created,
    commit: BigInt(r.commitPosition ?? e.position?.commit ?? -1n),
  };
};

const position = (from: From | undefined, fallback: 'start' | 'end'): NodePosition =>
  from === undefined ? fallback : typeof from === 'bigint' ? { commit: from, prepare: from } : from;

const revision = (from: From | undefined, fallback: 'start' | 'end'): 'start' | 'end' | bigint => from ?? fallback;

const collect = async (iterable: AsyncIterable<NodeResolved>): Promise<SeenEvent[]> => {
  const out: SeenEvent[] = [];
  for await (const r of iterable) out.push(seen(r));
  return out;
};

export const nodeDriver = (
  name: string,
  module: NodeClientModule,
  client: NodeClient,
  flavour: 'eventstore' | 'kurrent',
): Driver => {
  const filterOf = (spec: FilterSpec | undefined, onCheckpoint?: (commit: bigint) => void): unknown => {
    if (!spec) return undefined;
    const make = spec.on === 'stream' ? module.streamNameFilter : module.eventTypeFilter;
    return make({
      ...(spec.regex !== undefined ? { regex: spec.regex } : { prefixes: [...(spec.prefixes ?? [])] }),
      ...(spec.checkpointInterval ? { checkpointInterval: spec.checkpointInterval } : {}),
      ...(onCheckpoint ? { checkpointReached: (_s: unknown, p: { commit: bigint }) => onCheckpoint(p.commit) } : {}),
    });
  };

  const follow = (start: (onCheckpoint: (c: bigint) => void) => NodeSubscription): Subscription => {
    const received: SeenEvent[] = [];
    const checkpoints: bigint[] = [];
    const waiters: Array<() => void> = [];
    let failure: unknown;
    const sub = start((c) => checkpoints.push(c));
    let live: () => void = () => undefined;
    const caughtUp = new Promise<void>((resolve) => {
      live = resolve;
    });
    sub.on('caughtUp', () => live());
    sub.on('data', (r: NodeResolved) => {
      received.push(seen(r));
      waiters.splice(0).forEach((w) => w());
    });
    sub.on('error', (error: unknown) => {
      failure = error;
      waiters.splice(0).forEach((w) => w());
    });
    return {
      received,
      checkpoints,
      caughtUp,
      take: async (count, ms = 10_000) => {
        const deadline = Date.now() + ms;
        while (received.length < count) {
          if (failure) throw driverError(failure);
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`${name}: ${received.length} of ${count} events within ${ms} ms`);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, left);
            waiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        return received.slice(0, count);
      },
      stop: () => sub.unsubscribe(),
    };
  };

  const expectation = (expected: Expected | undefined) =>
    flavour === 'kurrent' ? { streamState: expected ?? 'any' } : { expectedRevision: expected ?? 'any' };

  return {
    name,
    append: async (stream, events, expected): Promise<AppendOutcome> => {
      const proposed = events.map((e) =>
        e.binary
          ? module.binaryEvent({
              ...(e.id ? { id: e.id } : {}),
              type: e.type,
              data: e.data as Uint8Array,
              ...(e.metadata !== undefined ? { metadata: e.metadata } : {}),
            })
          : module.jsonEvent({
              ...(e.id ? { id: e.id } : {}),
              type: e.type,
              data: e.data,
              ...(e.metadata !== undefined ? { metadata: e.metadata } : {}),
            }),
      );
      try {
        const r = await client.appendToStream(stream, proposed, expectation(expected));
        return { ok: true, revision: BigInt(r.nextExpectedRevision), commit: r.position?.commit };
      } catch (error) {
        // @eventstore/db-client names the head `actualVersion`, @kurrent/kurrentdb-client `actualState`.
        const e = error as { type?: string; actualVersion?: bigint | 'no_stream'; actualState?: bigint | 'no_stream' };
        if (e.type === 'wrong-expected-version') {
          return { ok: false, current: e.actualVersion ?? e.actualState ?? 'no_stream' };
        }
        throw driverError(error);
      }
    },
    readStream: async (stream, { direction = 'forwards', from, count }) => {
      try {
        return await collect(
          client.readStream(stream, {
            direction,
            fromRevision: revision(from, direction === 'forwards' ? 'start' : 'end'),
            ...(count !== undefined ? { maxCount: count } : {}),
          }),
        );
      } catch (error) {
        const kind = driverError(error);
        if (kind.kind === 'not-found') return 'not-found';
        throw kind;
      }
    },
    readAll: async ({ direction = 'forwards', from, count, filter }) => {
      const fromPosition = position(from, direction === 'forwards' ? 'start' : 'end');
      if (filter && flavour === 'eventstore') {
        // This client reads $all unfiltered only: a filtered read is a subscription stopped at the head.
        const sub = follow(() => client.subscribeToAll({ fromPosition, filter: filterOf(filter) }));
        await sub.caughtUp;
        await sub.stop();
        return count === undefined ? [...sub.received] : sub.received.slice(0, count);
      }
      try {
        return await collect(
          client.readAll({
            direction,
            fromPosition,
            ...(count !== undefined ? { maxCount: count } : {}),
            ...(filter ? { filter: filterOf(filter) } : {}),
          }),
        );
      } catch (error) {
        throw driverError(error);
      }
    },
    subscribeToAll: ({ from, filter }) =>
      follow((onCheckpoint) =>
        client.subscribeToAll({
          fromPosition: position(from, 'start'),
          ...(filter ? { filter: filterOf(filter, onCheckpoint) } : {}),
        }),
      ),
    subscribeToStream: (stream, { from }) =>
      follow(() => client.subscribeToStream(stream, { fromRevision: revision(from, 'start') })),
    deleteStream: async (stream, expected) => {
      await client.deleteStream(stream, { expectedRevision: expected ?? 'any' }).catch((e: unknown) => {
        throw driverError(e);
      });
    },
    tombstoneStream: async (stream, expected) => {
      await client.tombstoneStream(stream, { expectedRevision: expected ?? 'any' }).catch((e: unknown) => {
        throw driverError(e);
      });
    },
    setMetadata: async (stream, metadata) => {
      await client.setStreamMetadata(stream, metadata).catch((e: unknown) => {
        throw driverError(e);
      });
    },
    getMetadata: async (stream) => {
      try {
        return (await client.getStreamMetadata(stream)).metadata;
      } catch (error) {
        throw driverError(error);
      }
    },
    close: () => client.dispose(),
  };
};

export type { NodeClient };
