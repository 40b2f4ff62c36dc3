import {
  eventIdFor, loadAggregate, toNewEvents, WrongExpectedVersionError,
  type Command, type DecidedEvent, type Decider, type EventStore, type HandleResult,
} from '@tashghil/event-store';
import { EnvelopeExceededError, envelopeDecider, envelopeStreamId, type ReservePlaces } from './envelope.decider';

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
export const approveWithinEnvelope = async <C extends Command, S, E extends DecidedEvent>(input: ApprovalInput<C, S, E>): Promise<HandleResult<S, E>> => {
  const { store, decider, streamId } = input;
  const retries = input.expectedVersion === undefined ? 20 : 0;
  for (let attempt = 0; ; attempt += 1) {
    const file = await loadAggregate(store, decider, streamId);
    input.authorize?.(file.state);
    if (attempt === 0 && (await store.eventExists(eventIdFor(input.command.metadata.commandId, 0)))) {
      return { state: file.state, events: [], version: file.version };
    }
    if (input.expectedVersion !== undefined && input.expectedVersion !== file.version) {
      throw new WrongExpectedVersionError(streamId, String(input.expectedVersion), file.version);
    }
    let command = input.command;
    let events = decider.decide(command, file.state);
    const after = events.reduce(decider.evolve, file.state);
    const asked = events.length ? input.reservation(after) : undefined;
    let envelopeCommand: ReservePlaces | undefined;
    let envelopeEvents: readonly DecidedEvent[] = [];
    let envelopeVersion = -1;
    let envelopeId = '';
    if (asked) {
      envelopeId = envelopeStreamId(asked);
      const envelope = await loadAggregate(store, envelopeDecider, envelopeId);
      envelopeVersion = envelope.version;
      envelopeCommand = {
        type: 'ReservePlaces',
        data: { ...asked, on: command.metadata.now.slice(0, 10) },
        metadata: { ...command.metadata, commandId: `${command.metadata.commandId}:envelope` },
      };
      try {
        envelopeEvents = envelopeDecider.decide(envelopeCommand, envelope.state);
      } catch (error) {
        const instead = error instanceof EnvelopeExceededError ? input.whenExceeded(error) : undefined;
        if (!instead) throw error;
        command = instead;
        events = decider.decide(command, file.state);
        envelopeCommand = undefined;
      }
    }
    if (events.length === 0) return { state: file.state, events, version: file.version };
    try {
      const version = await store.db.transaction(async (tx) => {
        if (envelopeCommand && envelopeEvents.length) {
          await store.appendInTransaction(tx, envelopeId, toNewEvents(envelopeCommand, envelopeEvents), envelopeVersion);
        }
        const appended = await store.appendInTransaction(tx, streamId, toNewEvents(command, events), file.version);
        return appended.nextExpectedVersion;
      });
      return { state: events.reduce(decider.evolve, file.state), events, version };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < retries) continue;
      throw error;
    }
  }
};
