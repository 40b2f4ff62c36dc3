import type { Command, DecidedEvent, Decider } from './decider';
import { IdempotencyConflictError, WrongExpectedVersionError } from './errors';

/** One command for one stream, decided by that stream's decider. */
export interface StepInput<C extends Command, S, E extends DecidedEvent> {
  readonly decider: Decider<C, S, E>;
  readonly streamId: string;
  readonly command: C;
  /** The version the client last saw of this stream (If-Match); a conflict on it is the client's to resolve. */
  readonly expectedVersion?: number;
  /** Checks the caller against the stream's state before the command is decided; throws to refuse. */
  readonly authorize?: (state: S) => void;
}

declare const STEP: unique symbol;

/** A step of a workflow, its types erased so that steps of different deciders share one list. */
export type Step = StepInput<Command, unknown, DecidedEvent> & { readonly [STEP]: true };

/**
 * Steps of many deciders share a list, so their types are erased here, once. A stream's state is only
 * ever folded and decided by the decider of the first step that touched it, which `decideWorkflow`
 * checks by identity, so the erased types always meet again the decider that made them.
 */
export const step = <C extends Command, S, E extends DecidedEvent>(input: StepInput<C, S, E>): Step =>
  input as unknown as Step;

/** What the steps before a follow-up left: each stream's state, and what was decided on it. */
export interface Reader {
  /** The stream's state after the steps before; a stream no step touched is read as it is stored. */
  state<C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, streamId: string): S;
  /** The events the steps before decided on the stream, in order. */
  decided<C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, streamId: string): readonly E[];
}

/**
 * Steps that depend on what the steps before them decided (the places an approval takes, which are
 * only known once the approval is decided). Pure: it reads states, and returns more steps.
 */
export type FollowUp = (read: Reader) => Workflow;

/** A decision over several streams: its steps, decided in order, and appended all together or not at all. */
export type Workflow = readonly (Step | FollowUp)[];

/** A stream as the store holds it before the workflow: its events, oldest first, and its version. */
export interface StoredStream {
  readonly events: readonly DecidedEvent[];
  readonly version: number;
}

/** What `decideWorkflow` may look up; `undefined` means "not read yet", and the caller reads it and runs again. */
export interface WorkflowSource {
  readonly stream: (streamId: string) => StoredStream | undefined;
  /**
   * Where the first event of a command is stored, found by the event id its command id derives:
   * a stream id, `null` when it is stored nowhere, or `undefined` when nobody looked yet.
   */
  readonly applied: (commandId: string) => string | null | undefined;
}

/** One stream after the workflow: its state, the version it was read at, and what was decided on it. */
export interface DecidedStream {
  readonly streamId: string;
  readonly state: unknown;
  readonly readVersion: number;
  /** Each step's command with the events it decided, in order; a command already applied decides none. */
  readonly commands: ReadonlyArray<{ readonly command: Command; readonly events: readonly DecidedEvent[] }>;
  readonly decider: object;
}

export type WorkflowOutcome =
  | { readonly kind: 'decided'; readonly streams: readonly DecidedStream[] }
  | { readonly kind: 'read'; readonly streamIds: readonly string[]; readonly commandIds: readonly string[] };

interface Cell {
  readonly streamId: string;
  readonly decider: Decider<Command, unknown, DecidedEvent>;
  readonly readVersion: number;
  state: unknown;
  readonly commands: Array<{ readonly command: Command; readonly events: readonly DecidedEvent[] }>;
}

/** Thrown through a follow-up that read a stream not read yet; never escapes `decideWorkflow`. */
const NOT_READ: unique symbol = Symbol('NOT_READ');

/**
 * The pure heart of every write: decides each step against its stream's state, steps on one stream
 * in order, follow-ups with the states the steps before them left. When a stream or a command's
 * idempotency is not known yet, it answers what is left to read; the caller reads all of it at once
 * and runs it again, so a workflow of thousands of steps costs one read, and a follow-up one more.
 */
export const decideWorkflow = (workflow: Workflow, source: WorkflowSource): WorkflowOutcome => {
  const cells = new Map<string, Cell>();
  const toRead = new Set<string>();
  const toProbe = new Set<string>();
  const seenCommands = new Set<string>();
  let blocked = false;

  const cellFor = (decider: object, streamId: string): Cell | undefined => {
    const known = cells.get(streamId);
    if (known) {
      if (known.decider !== decider) throw new Error(`stream ${streamId} is decided by two different deciders`);
      return known;
    }
    const stored = source.stream(streamId);
    if (!stored) {
      toRead.add(streamId);
      return undefined;
    }
    // The stream's first step names its decider; see `step`.
    const typed = decider as Decider<Command, unknown, DecidedEvent>;
    const cell: Cell = {
      streamId,
      decider: typed,
      readVersion: stored.version,
      state: stored.events.reduce(typed.evolve, typed.initialState()),
      commands: [],
    };
    cells.set(streamId, cell);
    return cell;
  };

  const reader: Reader = {
    state: <C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, streamId: string): S => {
      const cell = cellFor(decider, streamId);
      if (!cell) throw NOT_READ;
      return cell.state as S;
    },
    decided: <C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, streamId: string) => {
      const cell = cellFor(decider, streamId);
      if (!cell) throw NOT_READ;
      return cell.commands.flatMap((decision) => decision.events) as unknown as readonly E[];
    },
  };

  const decideStep = (next: Step): void => {
    const { commandId } = next.command.metadata;
    if (seenCommands.has(commandId)) throw new Error(`two steps of one workflow share the command id ${commandId}`);
    seenCommands.add(commandId);
    const cell = cellFor(next.decider, next.streamId);
    const applied = source.applied(commandId);
    if (applied === undefined) toProbe.add(commandId);
    if (!cell || applied === undefined || blocked || toRead.size > 0) {
      blocked = true;
      return;
    }
    next.authorize?.(cell.state);
    if (applied !== null) {
      // A command already applied (the same command id, e.g. a retried Idempotency-Key) is answered
      // with the current state rather than decided again against its own effects. The same id on
      // another stream is a key reused for another request: answering it as done would report a
      // command that never ran.
      if (applied !== next.streamId) {
        throw new IdempotencyConflictError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used for another request; send a new key',
          { streamId: next.streamId },
        );
      }
      cell.commands.push({ command: next.command, events: [] });
      return;
    }
    if (next.expectedVersion !== undefined && next.expectedVersion !== cell.readVersion) {
      throw new WrongExpectedVersionError(next.streamId, String(next.expectedVersion), cell.readVersion);
    }
    const events = next.decider.decide(next.command, cell.state);
    cell.state = events.reduce(next.decider.evolve, cell.state);
    cell.commands.push({ command: next.command, events });
  };

  const run = (items: Workflow): void => {
    for (const item of items) {
      if (typeof item !== 'function') {
        decideStep(item);
        continue;
      }
      // A follow-up needs every step before it decided; until then the later plain steps are only
      // scanned, so that all they need is read in the same round trip.
      if (blocked) continue;
      let next: Workflow;
      try {
        next = item(reader);
      } catch (error) {
        if (error !== NOT_READ) throw error;
        blocked = true;
        continue;
      }
      run(next);
    }
  };

  run(workflow);
  if (toRead.size > 0 || toProbe.size > 0) return { kind: 'read', streamIds: [...toRead], commandIds: [...toProbe] };
  return { kind: 'decided', streams: [...cells.values()] };
};
