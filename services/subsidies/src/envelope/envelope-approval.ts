import {
  handleCommand,
  loadAggregate,
  toNewEvents,
  type Alongside,
  type Command,
  type DecidedEvent,
  type Decider,
  type EventStore,
  type HandleResult,
} from '@tashghil/event-store';
import {
  EnvelopeExceededError,
  envelopeDecider,
  envelopeStreamId,
  type ReleasePlaces,
  type ReservePlaces,
} from './envelope.decider';

export type OverEnvelopePolicy = 'refuse' | 'waitlist';

export interface ApprovalInput<C extends Command, S, E extends DecidedEvent> {
  readonly store: EventStore;
  readonly decider: Decider<C, S, E>;
  readonly streamId: string;
  readonly command: C;
  /** The places the command takes when it approves; undefined when it does not approve. */
  readonly reservation: (state: S) => Omit<ReservePlaces['data'], 'on'> | undefined;
  /** The command to decide instead when the envelope is full, or undefined to refuse. */
  readonly whenExceeded: (error: EnvelopeExceededError) => C | undefined;
  readonly authorize?: (state: S) => void;
  readonly expectedVersion?: number;
}

/**
 * Decides a committee's approval and takes its places from the envelope in one transaction. The
 * envelope stream is appended at the version that was read, so of two approvals racing for the last
 * place the second finds the stream moved, reads it again and is refused (or waitlisted): the
 * envelope is never overdrawn, on PGlite or on a server with any number of processes. The
 * envelope is always locked before the file, so two approvals never wait on each other in a cycle.
 */
export const approveWithinEnvelope = <C extends Command, S, E extends DecidedEvent>(
  input: ApprovalInput<C, S, E>,
): Promise<HandleResult<S, E>> =>
  handleCommand(input.store, input.decider, input.streamId, input.command, {
    ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
    ...(input.authorize ? { authorize: input.authorize } : {}),
    // Every racing approval but one conflicts on the envelope; each retry is one re-read.
    retries: 20,
    alongside: async ({ before, command, events }): Promise<Alongside<C, E>> => {
      const asked = input.reservation(events.reduce(input.decider.evolve, before));
      if (!asked) return { appends: [] };
      const streamId = envelopeStreamId(asked);
      const envelope = await loadAggregate(input.store, envelopeDecider, streamId);
      const reserve: ReservePlaces = {
        type: 'ReservePlaces',
        data: { ...asked, on: command.metadata.now.slice(0, 10) },
        metadata: { ...command.metadata, commandId: `${command.metadata.commandId}:envelope` },
      };
      try {
        return {
          appends: [
            {
              streamId,
              events: toNewEvents(reserve, envelopeDecider.decide(reserve, envelope.state)),
              expected: envelope.version,
            },
          ],
        };
      } catch (error) {
        const instead = error instanceof EnvelopeExceededError ? input.whenExceeded(error) : undefined;
        if (!instead) throw error;
        return { appends: [], instead: { command: instead, events: input.decider.decide(instead, before) } };
      }
    },
  });

export interface ReleaseInput<C extends Command, S, E extends DecidedEvent> {
  readonly store: EventStore;
  readonly decider: Decider<C, S, E>;
  readonly streamId: string;
  readonly command: C;
  /** What the file gives back once the command's events are applied; undefined when nothing. */
  readonly release: (state: S) => Omit<ReleasePlaces['data'], 'on'> | undefined;
  readonly authorize?: (state: S) => void;
  readonly expectedVersion?: number;
}

/**
 * Decides a command that ends a file's claim (a grant's contract ending early) and gives its places
 * back to the envelope in the same transaction, so no report ever sees the job ended and its place
 * still taken, or the place free and the job still running.
 */
export const releaseWithinEnvelope = <C extends Command, S, E extends DecidedEvent>(
  input: ReleaseInput<C, S, E>,
): Promise<HandleResult<S, E>> =>
  handleCommand(input.store, input.decider, input.streamId, input.command, {
    ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
    ...(input.authorize ? { authorize: input.authorize } : {}),
    retries: 20,
    alongside: async ({ before, command, events }): Promise<Alongside<C, E>> => {
      const given = input.release(events.reduce(input.decider.evolve, before));
      if (!given) return { appends: [] };
      const streamId = envelopeStreamId(given);
      const envelope = await loadAggregate(input.store, envelopeDecider, streamId);
      const release: ReleasePlaces = {
        type: 'ReleasePlaces',
        data: { ...given, on: command.metadata.now.slice(0, 10) },
        metadata: { ...command.metadata, commandId: `${command.metadata.commandId}:envelope` },
      };
      return {
        appends: [
          {
            streamId,
            events: toNewEvents(release, envelopeDecider.decide(release, envelope.state)),
            expected: envelope.version,
          },
        ],
      };
    },
  });
