import { randomUUID } from 'node:crypto';
import { sha256Hex } from './canonical-json';
import type { Command, DecidedEvent, Decider } from './decider';
import { DomainError, WrongExpectedVersionError } from './errors';
import type { EventStore } from './event-store';
import { sealedSubjects } from './personal-data';
import { readStreams } from './read-streams';
import { type ModelledDecider, type QueryModel, queryRowsOf, storeQueryRows } from './query-model';
import type { Queryable } from './sql-client';
import { NO_STREAM_VERSION, type AppendResult, type NewEvent, type RecordedEvent, type StreamAppend } from './types';
import { decideWorkflow, step, type DecidedStream, type StoredStream, type Workflow } from './workflow';

export interface HandleOptions<S = unknown> {
  /** The version the client last saw (If-Match). Given, a conflict is the client's to resolve. */
  readonly expectedVersion?: number;
  readonly retries?: number;
  /**
   * Checks the caller against the current state (its region, its owner) before deciding; throws
   * to refuse. Runs on every attempt, so a retry sees the same checks.
   */
  readonly authorize?: (state: S) => void;
  /** A transaction the caller holds (a consumer's inbox transaction); see `WorkflowOptions.tx`. */
  readonly tx?: Queryable;
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
  const hex = sha256Hex(`${commandId}#${index}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export const newCommandId = (): string => randomUUID();

/** A stream folded into its decider's state, with its version (-1 when it does not exist). */
export const loadAggregate = async <S, E extends DecidedEvent>(
  store: EventStore,
  decider: Pick<Decider<Command, S, E>, 'initialState' | 'evolve'>,
  streamId: string,
): Promise<{ state: S; version: number; events: readonly RecordedEvent[] }> => {
  const events = await store.readStream(streamId);
  const state = events.reduce((folded, event) => decider.evolve(folded, toDecided<E>(event)), decider.initialState());
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
  for (const event of await store.readCategory(category, options)) {
    const current = folded.get(event.streamId) ?? {
      streamId: event.streamId,
      state: decider.initialState(),
      version: NO_STREAM_VERSION,
    };
    folded.set(event.streamId, {
      streamId: event.streamId,
      state: decider.evolve(current.state, toDecided<E>(event)),
      version: event.streamPosition,
    });
  }
  return [...folded.values()];
};

/**
 * Many streams of one aggregate folded from one read, by stream id (a stream that does not exist is
 * at its initial state, version -1). Personal fields stay sealed: what a bulk check decides on.
 */
export const loadStreams = async <S, E extends DecidedEvent>(
  store: EventStore,
  decider: Pick<Decider<Command, S, E>, 'initialState' | 'evolve'>,
  streamIds: readonly string[],
): Promise<Map<string, { state: S; version: number }>> => {
  const { streams } = await readStreams(store, streamIds, []);
  return new Map(
    [...streams].map(([streamId, { events, version }]) => [
      streamId,
      {
        state: events.reduce((folded, event) => decider.evolve(folded, toDecided<E>(event)), decider.initialState()),
        version,
      },
    ]),
  );
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
  return events.map((event, index) => ({
    eventId: eventIdFor(command.metadata.commandId, index),
    type: event.type,
    data: event.data as Record<string, unknown>,
    schemaVersion: event.schemaVersion ?? 1,
    metadata,
    ...(event.personal ? { personal: event.personal } : {}),
  }));
};

/**
 * How many times a workflow is decided again after a version conflict. Each conflict means another
 * writer committed first, so this only bounds how many races in a row one writer may lose: twelve
 * approvals racing for one envelope need eleven.
 */
export const DEFAULT_RETRIES = 20;

export interface WorkflowOptions {
  readonly retries?: number;
  /**
   * A transaction the caller holds (a consumer's inbox transaction): the streams are read, locked and
   * appended in it, and nothing is retried here; a failure rolls the caller's transaction back and
   * retrying the whole of it is the caller's work.
   */
  readonly tx?: Queryable;
  /**
   * Streams the caller has just found not to exist, in a read of its own (an import checks its whole
   * file before it writes): the first decision takes them as empty and their steps' commands as not
   * applied, rather than reading them again. A command's first event is stored in its own stream, so
   * a stream created since (by anyone, this command included) fails its append's expected version,
   * and the workflow is then read and decided again as usual. Not with `tx`, whose reads also lock.
   */
  readonly absent?: ReadonlySet<string>;
}

export interface WorkflowResult {
  /**
   * A stream the workflow touched, after it: its state, the events decided on it, and its version.
   * A stream that holds personal fields is read again, once, up to the version decided on, for its
   * state to show them opened: the workflow decided on them sealed, as the rows hold them.
   */
  stream<C extends Command, S, E extends DecidedEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
  ): Promise<HandleResult<S, E>>;
  /** How many events were stored (0 when every command had been applied already, or decided nothing). */
  readonly written: number;
}

/**
 * The one write pipeline. Reads every stream the workflow needs in one round trip (one more per
 * level of follow-ups), decides each step against its own stream's state, and appends every
 * stream's new events in one transaction at the versions it read. When a concurrent writer moved
 * any of them first, it reads them all again and decides again; a stream whose version the client
 * named fails at once, as the client's conflict to resolve.
 */
export const handleWorkflow = async (
  store: EventStore,
  workflow: Workflow,
  options: WorkflowOptions = {},
): Promise<WorkflowResult> => {
  const { tx } = options;
  const retries = tx ? 0 : (options.retries ?? DEFAULT_RETRIES);
  if (tx && options.absent)
    throw new Error("a workflow in a caller's transaction reads its streams itself (no `absent`)");
  for (let attempt = 0; ; attempt += 1) {
    const absent = attempt === 0 ? options.absent : undefined;
    const { streams, sealed } = await decideReading(store, workflow, tx, absent).catch((error: unknown) => {
      // A refusal is made on a read of this workflow's own: the caller's may be out of date.
      if (absent && error instanceof DomainError) return decideReading(store, workflow, tx);
      throw error;
    });
    const changed = streams.filter((stream) => stream.commands.some((decision) => decision.events.length > 0));
    const appends: StreamAppend[] = changed.map((stream) => ({
      streamId: stream.streamId,
      events: stream.commands.flatMap((decision) => toNewEvents(decision.command, decision.events)),
      expected: stream.readVersion,
    }));
    try {
      const results = await appendWithModels(store, appends, modelled(changed), tx);
      const versions = new Map(
        changed.map((stream, index) => [stream.streamId, results[index]?.nextExpectedVersion ?? stream.readVersion]),
      );
      return resultOf(
        store,
        streams,
        sealed,
        versions,
        results.reduce((written, result) => written + result.written, 0),
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < retries) continue;
      throw error;
    }
  }
};

/** The changed streams whose decider keeps a query model, grouped by model. */
const modelled = (changed: readonly DecidedStream[]): Map<QueryModel<unknown>, DecidedStream[]> => {
  const byModel = new Map<QueryModel<unknown>, DecidedStream[]>();
  for (const stream of changed) {
    const model = (stream.decider as ModelledDecider<Command, unknown, DecidedEvent>).queryModel;
    if (!model) continue;
    const streams = byModel.get(model);
    if (streams) streams.push(stream);
    else byModel.set(model, [stream]);
  }
  return byModel;
};

/**
 * Appends, and writes the query-model rows of the streams it changed in the same transaction: a
 * list read after the answer shows the write. Without a model, the append alone (one round trip).
 */
/** The query-model tables each store has been seen to hold: a table, once made, is never dropped but to be made again. */
const tablesSeen = new WeakMap<EventStore, Set<string>>();

/**
 * The models whose tables exist. A store written without the service that keeps a model (a tool, a
 * test, a service deployed before the model) has no table yet: its rows are left out, and the table
 * is built from the store, these streams included, when ensureQueryModel first makes it.
 */
const presentModels = async (
  store: EventStore,
  models: ReadonlyMap<QueryModel<unknown>, readonly DecidedStream[]>,
  tx?: Queryable,
): Promise<ReadonlyMap<QueryModel<unknown>, readonly DecidedStream[]>> => {
  const seen = tablesSeen.get(store) ?? new Set<string>();
  tablesSeen.set(store, seen);
  const unknown = [...models.keys()].filter((m) => !seen.has(m.table)).map((m) => m.table);
  if (unknown.length > 0) {
    const { rows } = await (tx ?? store.db).query<{ name: string }>(
      `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL`,
      [unknown],
    );
    for (const { name } of rows) seen.add(name);
  }
  return new Map([...models].filter(([model]) => seen.has(model.table)));
};

const appendWithModels = async (
  store: EventStore,
  appends: readonly StreamAppend[],
  wanted: ReadonlyMap<QueryModel<unknown>, readonly DecidedStream[]>,
  tx?: Queryable,
): Promise<AppendResult[]> => {
  if (appends.length === 0) return [];
  const models = wanted.size === 0 ? wanted : await presentModels(store, wanted, tx);
  if (models.size === 0) return store.appendMany(appends, tx);
  // Each stream's version after the append: the version read and the events decided on it.
  const after = new Map(appends.map((a) => [a.streamId, (a.expected as number) + a.events.length]));
  const rows = [...models].map(([model, streams]) =>
    queryRowsOf(
      model,
      streams.map((s) => ({ streamId: s.streamId, state: s.state, version: after.get(s.streamId) ?? s.readVersion })),
    ),
  );
  if (tx) {
    const results = await store.appendMany(appends, tx);
    for (const r of rows) await storeQueryRows(tx, r);
    return results;
  }
  // Sealed and serialised first: the transaction holds only the append's call and the rows' statements.
  const prepared = await store.prepareAppend(appends);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await store.db.transaction(async (q) => {
        const results = await store.appendMany(prepared, q);
        for (const r of rows) await storeQueryRows(q, r);
        return results;
      });
    } catch (error) {
      // Two writers of the same new event ids: the next attempt finds them stored and answers a repeat.
      const { code } = error as { code?: string };
      if (attempt < 5 && (code === '23505' || code === '40001' || code === '40P01')) continue;
      throw error;
    }
  }
};

/**
 * Decides the workflow, reading what it asks for, all of it at once, until nothing is missing; the
 * streams known to be absent, and the commands of the steps on them, are not read.
 */
const decideReading = async (
  store: EventStore,
  workflow: Workflow,
  tx?: Queryable,
  absent?: ReadonlySet<string>,
): Promise<{ streams: readonly DecidedStream[]; sealed: ReadonlySet<string> }> => {
  const streams = new Map<string, StoredStream>();
  const applied = new Map<string, string | null>();
  const sealed = new Set<string>();
  if (absent) {
    for (const item of workflow) {
      if (typeof item === 'function' || !absent.has(item.streamId)) continue;
      streams.set(item.streamId, { events: [], version: NO_STREAM_VERSION });
      applied.set(item.command.metadata.commandId, null);
    }
  }
  for (;;) {
    const outcome = decideWorkflow(workflow, {
      stream: (streamId) => streams.get(streamId),
      applied: (commandId) => applied.get(commandId),
    });
    if (outcome.kind === 'decided') return { streams: outcome.streams, sealed };
    const probes = outcome.commandIds.map((commandId) => ({ commandId, eventId: eventIdFor(commandId, 0) }));
    const read = await readStreams(
      store,
      outcome.streamIds,
      probes.map((probe) => probe.eventId),
      tx,
    );
    for (const streamId of outcome.streamIds) {
      const found = read.streams.get(streamId) ?? { events: [], version: NO_STREAM_VERSION };
      if (found.events.some((event) => sealedSubjects(event.data).size > 0)) sealed.add(streamId);
      streams.set(streamId, { events: found.events.map(toDecided), version: found.version });
    }
    for (const probe of probes) applied.set(probe.commandId, read.stored.get(probe.eventId) ?? null);
  }
};

const resultOf = (
  store: EventStore,
  streams: readonly DecidedStream[],
  sealed: ReadonlySet<string>,
  versions: ReadonlyMap<string, number>,
  written: number,
): WorkflowResult => {
  const byId = new Map(streams.map((stream) => [stream.streamId, stream]));
  return {
    written,
    stream: async <C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, streamId: string) => {
      const found = byId.get(streamId);
      if (!found) throw new Error(`the workflow did not touch stream ${streamId}`);
      if (found.decider !== decider) throw new Error(`stream ${streamId} was decided by another decider`);
      const events = found.commands.flatMap((decision) => decision.events) as unknown as readonly E[];
      const version = versions.get(streamId) ?? found.readVersion;
      // The decider of the stream is the one asked for, so its state is this decider's (see `step`).
      const state = found.state as S;
      if (!sealed.has(streamId)) return { state, events, version };
      const opened = await store.readStream(streamId, { maxCount: found.readVersion + 1 });
      // Inside a caller's transaction the stream may hold events not committed yet, which this read
      // cannot see: the state then stays as decided, personal fields sealed.
      if (opened.length !== found.readVersion + 1) return { state, events, version };
      const before = opened.map((event) => toDecided<E>(event)).reduce(decider.evolve, decider.initialState());
      return { state: events.reduce(decider.evolve, before), events, version };
    },
  };
};

/**
 * The one command handler: a workflow of one step. It reads the stream, folds it, decides, and
 * appends at the version read; when a concurrent writer got there first it reads again and decides
 * again, unless the client named the version it expected.
 */
export const handleCommand = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  options: HandleOptions<S> = {},
): Promise<HandleResult<S, E>> => {
  const { expectedVersion, authorize, retries, tx } = options;
  const only = step({
    decider,
    streamId,
    command,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    ...(authorize ? { authorize } : {}),
  });
  const result = await handleWorkflow(store, [only], {
    ...(retries !== undefined ? { retries } : {}),
    ...(tx ? { tx } : {}),
  });
  return result.stream(decider, streamId);
};

const toDecided = <E extends DecidedEvent>(event: RecordedEvent): E =>
  ({ type: event.type, data: event.data, schemaVersion: event.schemaVersion }) as unknown as E;
