import { step, type Command, type DecidedEvent, type StepInput, type Workflow } from '@tashghil/event-store';
import {
  envelopeDecider,
  envelopeStreamId,
  type ReleasePlaces,
  type ReservePlaces,
  type RevisePlaces,
} from './envelope.decider';

/**
 * The envelope's command that follows a file's command: it carries the file command's metadata and a
 * command id derived from it, so a repeated file command finds its envelope step already applied.
 */
const following = (file: Command) => ({
  on: file.metadata.now.slice(0, 10),
  metadata: { ...file.metadata, commandId: `${file.metadata.commandId}:envelope` },
});

/**
 * A file's command (a committee's approval), then the places it takes from its region's envelope,
 * which are known once the command is decided. Both are appended in one transaction at the versions
 * read, so of two approvals racing for the last place the second finds the envelope moved, decides
 * again and is refused: the envelope is never overdrawn, on PGlite or on a server with any number of
 * processes. A command that takes no places (a rejection) leaves the envelope alone.
 */
export const reservingPlaces = <C extends Command, S, E extends DecidedEvent>(
  file: StepInput<C, S, E>,
  reservation: (after: S) => Omit<ReservePlaces['data'], 'on'> | undefined,
): Workflow => [
  step(file),
  (read) => {
    const asked = reservation(read.state(file.decider, file.streamId));
    if (!asked) return [];
    const { on, metadata } = following(file.command);
    const command: ReservePlaces = { type: 'ReservePlaces', data: { ...asked, on }, metadata };
    return [step({ decider: envelopeDecider, streamId: envelopeStreamId(asked), command })];
  },
];

/**
 * A command that ends a file's claim (a grant's contract ending early), then its places given back to
 * the envelope in the same transaction: no report ever sees the job ended and its place still taken,
 * or the place free and the job still running.
 */
export const releasingPlaces = <C extends Command, S, E extends DecidedEvent>(
  file: StepInput<C, S, E>,
  release: (after: S) => Omit<ReleasePlaces['data'], 'on'> | undefined,
): Workflow => [
  step(file),
  (read) => {
    const given = release(read.state(file.decider, file.streamId));
    if (!given) return [];
    const { on, metadata } = following(file.command);
    const command: ReleasePlaces = { type: 'ReleasePlaces', data: { ...given, on }, metadata };
    return [step({ decider: envelopeDecider, streamId: envelopeStreamId(given), command })];
  },
];

/**
 * A command that may re-price a file (a works site's launch or payroll meeting a SMIG change), then
 * its reservation moved to the new amount in the same transaction, so the envelope never holds less
 * than the files it funds will cost.
 */
export const revisingPlaces = <C extends Command, S, E extends DecidedEvent>(
  file: StepInput<C, S, E>,
  revision: (decided: readonly E[]) => Omit<RevisePlaces['data'], 'on'> | undefined,
): Workflow => [
  step(file),
  (read) => {
    const revised = revision(read.decided(file.decider, file.streamId));
    if (!revised) return [];
    const { on, metadata } = following(file.command);
    const command: RevisePlaces = { type: 'RevisePlaces', data: { ...revised, on }, metadata };
    return [step({ decider: envelopeDecider, streamId: envelopeStreamId(revised), command })];
  },
];
