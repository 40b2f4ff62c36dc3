import type { SeekerHiredV1 } from '@tashghil/contracts';
import { step, type CommandMetadata, type Workflow } from '@tashghil/event-store';
import { hireDecider, hireStreamId } from './hire.decider';

/**
 * Reacting to a SeekerHired from the matching service: the hire is noted under its placement, so an
 * employer can apply for a grant by naming the placement rather than typing the contract and the
 * person's categories again.
 */
export const noticeHire = (hire: SeekerHiredV1, sourceEventId: string, metadata: CommandMetadata): Workflow => [
  step({
    decider: hireDecider,
    streamId: hireStreamId(hire.placementId),
    command: { type: 'NoteHire', data: { ...hire, sourceEventId }, metadata },
  }),
];
