import { step, type CommandMetadata, type Workflow } from '@tashghil/event-store';
import { offerDecider, offerStreamId } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { placementDecider, placementStreamId, type Placement, type RecordHire } from './placement.decider';

/** What the caller holds against the placement: the version its client saw, and its access check. */
export interface PlacementGuard {
  readonly expectedVersion?: number;
  readonly authorize?: (state: Placement) => void;
}

/**
 * The employer hires the seeker: the hire recorded on the placement, the seeker marked placed and the
 * position counted on the offer, in one transaction, so a hire the seeker's or the offer's file
 * refuses (an erased seeker, a closed offer) is refused whole and nothing is stored. The follow-ups'
 * command ids are derived from the placement, so a repeated hire finds them applied.
 */
export const hire = (placementId: string, command: RecordHire, guard: PlacementGuard = {}): Workflow => [
  step({ decider: placementDecider, streamId: placementStreamId(placementId), command, ...guard }),
  (read) => {
    const hired = read.state(placementDecider, placementStreamId(placementId));
    if (hired.status !== 'hired' || !hired.hire) return [];
    const follow = (suffix: string): CommandMetadata => ({
      ...command.metadata,
      causationId: command.metadata.commandId,
      commandId: `hire:${placementId}:${suffix}`,
    });
    return [
      step({
        decider: seekerDecider,
        streamId: seekerStreamId(hired.seekerId),
        command: {
          type: 'RecordSeekerHired',
          data: { offerId: hired.offerId, placementId, startDate: hired.hire.startDate },
          metadata: follow('seeker'),
        },
      }),
      step({
        decider: offerDecider,
        streamId: offerStreamId(hired.offerId),
        command: { type: 'RecordPositionFilled', data: { placementId }, metadata: follow('offer') },
      }),
    ];
  },
];
