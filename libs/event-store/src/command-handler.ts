import { createHash, randomUUID } from 'node:crypto';
import type { Command, DecidedEvent, Decider } from './decider';
import { IdempotencyConflictError, WrongExpectedVersionError } from './errors';
import type { EventStore } from './event-store';
import { NO_STREAM_VERSION, type ExpectedVersion, type NewEvent, type RecordedEvent } from './types';

export interface HandleOptions<S = unknown, C extends Command = Command, E extends DecidedEvent = DecidedEvent> {
  /** The version the client last saw (If-Match). Given, a conflict is the client's to resolve. */
  readonly expectedVersion?: number;
  readonly retries?: number;
  /**
   * Checks the caller against the current state (its region, its owner) before deciding; throws
   * to refuse. Runs on every attempt, so a retry sees the same checks.
   */
  readonly authorize?: (state: S) => void;
  /**
   * Work that must commit with the command's events: appends to other streams, made in the same
   * transaction and before the command's own, so a conflict on any of them re-reads and decides
   * again. It may also put other events in place of the decided ones (an approval that becomes a
   * waitlisting, say).
   */
  readonly alongside?: (decided: {
    readonly before: S;
    readonly command: C;
    readonly events: readonly E[];
  }) => Promise<Alongside<C, E>>;
}

export interface Alongside<C extends Command = Command, E extends DecidedEvent = DecidedEvent> {
  readonly appends: readonly {
    readonly streamId: string;
    readonly events: readonly NewEvent[];
    readonly expected: ExpectedVersion;
  }[];
  /** Decided instead of the command's own events, as if by `command`. */
  readonly instead?: { readonly command: C; readonly events: readonly E[] };
}

export interface HandleResult<S, E> {
  readonly state: S;
  readonly events: readonly E[];
  readonly version: number;
}

/**
 * An event id derived from the command id and the event's index: a client that repeats a command
 * with the same id repeats the same append, which the store then answers as already done.
 */
export const eventIdFor = (commandId: string, index: number): string => {
  const h = createHash('sha256').update(`${commandId}#${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const newCommandId = (): string => randomUUID();

/** A stream folded into its decider's state, with its version (-1 when it does not exist). */
export const loadAggregate = async <S, E extends DecidedEvent>(
  store: EventStore,
  decider: Pick<Decider<Command, S, E>, 'initialState' | 'evolve'>,
  streamId: string,
): Promise<{ state: S; version: number; events: readonly RecordedEvent[] }> => {
  const events = await store.readStream(streamId);
  const state = events.reduce((s, e) => decider.evolve(s, toDecided<E>(e)), decider.initialState());
  return {
    state,
    version: events.length ? (events[events.length - 1]?.streamPosition ?? NO_STREAM_VERSION) : NO_STREAM_VERSION,
    events,
  };
};

/** Every aggregate of a category, folded from one read: what a list endpoint shows. */
export const loadCategory = async <S, E extends DecidedEvent>(
  store: EventStore,
  decider: Pick<Decider<Command, S, E>, 'initialState' | 'evolve'>,
  category: string,
  options: { readonly idPrefix?: string } = {},
): Promise<Array<{ streamId: string; state: S; version: number }>> => {
  const folded = new Map<string, { streamId: string; state: S; version: number }>();
  for (const e of await store.readCategory(category, options)) {
    const current = folded.get(e.streamId) ?? {
      streamId: e.streamId,
      state: decider.initialState(),
      version: NO_STREAM_VERSION,
    };
    folded.set(e.streamId, {
      streamId: e.streamId,
      state: decider.evolve(current.state, toDecided<E>(e)),
      version: e.streamPosition,
    });
  }
  return [...folded.values()];
};

/** The events a command decided, as the store takes them: ids from the command id, metadata from the command. */
export const toNewEvents = (command: Command, events: readonly DecidedEvent[]): NewEvent[] => {
  const metadata = {
    actor: command.metadata.actor,
    roles: command.metadata.roles,
    ...(command.metadata.region ? { region: command.metadata.region } : {}),
    correlationId: command.metadata.correlationId,
    causationId: command.metadata.causationId ?? command.metadata.commandId,
    commandId: command.metadata.commandId,
    commandType: command.type,
  };
  return events.map((e, i) => ({
    eventId: eventIdFor(command.metadata.commandId, i),
    type: e.type,
    data: e.data as Record<string, unknown>,
    schemaVersion: e.schemaVersion ?? 1,
    metadata,
    ...(e.personal ? { personal: e.personal } : {}),
  }));
};

/**
 * The one command handler: read the stream, fold it, decide, append at the version read. When a
 * concurrent writer got there first and the client named no version, it reads again and decides again.
 */
export const handleCommand = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  options: HandleOptions<S, C, E> = {},
): Promise<HandleResult<S, E>> => {
  const retries = options.expectedVersion === undefined ? (options.retries ?? 3) : 0;
  for (let attempt = 0; ; attempt += 1) {
    const { state, version, events: stored } = await loadAggregate(store, decider, streamId);
    options.authorize?.(state);
    // A command already applied (the same command id, e.g. a retried Idempotency-Key) is answered
    // with the current state instead of being decided again against its own effects. The same id
    // on another stream is a key reused for another request: answering it as done would report a
    // command that never ran.
    const first = eventIdFor(command.metadata.commandId, 0);
    if (attempt === 0 && (await store.eventExists(first))) {
      if (!stored.some((e) => e.eventId === first)) {
        throw new IdempotencyConflictError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used for another request; send a new key',
          { streamId },
        );
      }
      return { state, events: [], version };
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new WrongExpectedVersionError(streamId, String(options.expectedVersion), version);
    }
    const own = { command, events: decider.decide(command, state) };
    const extra =
      options.alongside && own.events.length ? await options.alongside({ before: state, ...own }) : undefined;
    const decided = extra?.instead ?? own;
    const { events } = decided;
    if (events.length === 0) return { state, events, version };
    const toStore = toNewEvents(decided.command, events);
    try {
      const appends = extra?.appends.filter((a) => a.events.length > 0) ?? [];
      const result =
        appends.length === 0
          ? await store.append(streamId, toStore, version)
          : await store.db.transaction(async (tx) => {
              for (const a of appends) await store.appendInTransaction(tx, a.streamId, a.events, a.expected);
              return store.appendInTransaction(tx, streamId, toStore, version);
            });
      return { state: events.reduce(decider.evolve, state), events, version: result.nextExpectedVersion };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < retries) continue;
      throw error;
    }
  }
};

const toDecided = <E extends DecidedEvent>(e: RecordedEvent): E =>
  ({ type: e.type, data: e.data, schemaVersion: e.schemaVersion }) as unknown as E;
