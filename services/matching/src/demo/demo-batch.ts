import {
  toNewEvents,
  type Command,
  type DecidedEvent,
  type Decider,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@tashghil/event-store';

/** A stream as a batch holds it: its folded state and its version (-1 before its first event). */
export interface Folded<S> {
  readonly state: S;
  readonly version: number;
}

/** Decides a command on a stream and keeps its events; answers the stream's new state. */
export type Handle = <C extends Command, S, E extends DecidedEvent>(
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
) => S;

export interface CommandBatch {
  readonly handle: Handle;
  /**
   * Appends every decided command in one transaction, in the order of their instants (`metadata.now`)
   * with each stream in the order decided, each on the store `storeAt` gives for its instant.
   * Answers how many events were written (0 when a repeat found them all stored).
   */
  readonly commit: (storeAt: (now: string) => EventStore) => Promise<number>;
}

interface DatedAppend {
  readonly now: string;
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedVersion;
}

/**
 * The command handler's work for hundreds of commands at once, as seeding needs it: each command
 * decided by its decider against the stream as the batch holds it (as `read` beforehand, or new),
 * with the event ids its command id gives, then all appended in one transaction. One transaction
 * instead of one per command keeps a first start on PGlite quick, and a batch stopped midway leaves
 * nothing half-written. It appends at the versions it folded, so a stream that changed meanwhile
 * fails the whole batch.
 */
export const commandBatch = (read: ReadonlyMap<string, Folded<unknown>> = new Map()): CommandBatch => {
  const streams = new Map(read);
  const appends: DatedAppend[] = [];
  const handle: Handle = <C extends Command, S, E extends DecidedEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
    command: C,
  ): S => {
    // A stream's id names its aggregate, so what was read under it is this decider's state.
    const current = (streams.get(streamId) as Folded<S> | undefined) ?? { state: decider.initialState(), version: -1 };
    const events = decider.decide(command, current.state);
    const state = events.reduce(decider.evolve, current.state);
    if (events.length > 0) {
      appends.push({
        now: command.metadata.now,
        streamId,
        events: toNewEvents(command, events),
        expected: current.version < 0 ? 'no_stream' : current.version,
      });
    }
    streams.set(streamId, { state, version: current.version + events.length });
    return state;
  };
  const commit = async (storeAt: (now: string) => EventStore): Promise<number> => {
    // A stream keeps the order its commands were decided in, even where one is dated before the
    // one it follows (a last month's payroll recorded after the site's completion day).
    const reached = new Map<string, string>();
    const ordered = appends
      .map((a, i) => {
        const after = reached.get(a.streamId);
        const key = after !== undefined && after > a.now ? after : a.now;
        reached.set(a.streamId, key);
        return { a, key, i };
      })
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i))
      .map(({ a }) => a);
    const [first] = ordered;
    if (!first) return 0;
    return storeAt(first.now).db.transaction(async (tx) => {
      let written = 0;
      for (const a of ordered)
        written += (await storeAt(a.now).appendInTransaction(tx, a.streamId, a.events, a.expected)).written;
      return written;
    });
  };
  return { handle, commit };
};
