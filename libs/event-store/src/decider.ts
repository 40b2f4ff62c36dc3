/** A message is plain data: commands are imperative, events past tense. */
export interface Message<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/**
 * Facts that a decider must not look up itself: who asks, when, and any ids it needs. Keeping them
 * in the command makes `decide` a pure function of its input.
 */
export interface CommandMetadata {
  readonly now: string;
  readonly actor: string;
  readonly roles: readonly string[];
  readonly region?: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly commandId: string;
}

export interface Command<T extends string = string, D = unknown> extends Message<T, D> {
  readonly metadata: CommandMetadata;
}

/** Marks which top-level fields of an event's data are personal, and whose they are. */
export interface PersonalData {
  readonly subjectId: string;
  readonly fields: readonly string[];
}

export interface DecidedEvent<T extends string = string, D = unknown> extends Message<T, D> {
  readonly schemaVersion?: number;
  readonly personal?: PersonalData;
}

export interface Decider<C extends Command, S, E extends DecidedEvent> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: E) => S;
  readonly decide: (command: C, state: S) => readonly E[];
}

export const fold = <S, E>(evolve: (s: S, e: E) => S, initial: S, events: readonly E[]): S =>
  events.reduce(evolve, initial);
