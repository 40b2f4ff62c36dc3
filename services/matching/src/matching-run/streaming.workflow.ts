import { step, type CommandMetadata, type Workflow } from '@tashghil/event-store';
import { placementDecider, placementStreamId } from '../placement/placement.decider';
import { proposalFor } from '../placement/proposal';
import type { RunInputs } from './run-inputs';
import { scoreMatch } from './scoring';

/** How many seekers a newly opened offer is proposed, per position: enough for refusals and interviews. */
export const STREAM_PROPOSALS_PER_POSITION = 3;
export const STREAM_MAX_PROPOSALS = 50;

/**
 * Streaming mode's reaction to an offer published or opened to other regions: the best available
 * seekers it is open to, who share at least its major occupation group as in batch runs, proposed at
 * once, best first. One run id per offer, whichever step opened it, and each command's id derived
 * from the offer and the seeker: a seeker is proposed an offer once, and a redelivered event
 * proposes nothing twice.
 */
export const proposalsForOffer = (
  inputs: RunInputs,
  offerId: string,
  on: string,
  metadata: Omit<CommandMetadata, 'commandId'>,
): Workflow => {
  const offer = inputs.offers.find((o) => o.offerId === offerId);
  if (!offer) return [];
  const open = (region: string) =>
    region === offer.region || offer.openToOtherRegions || offer.abroadCountry !== undefined;
  const runId = `stream-${offerId}`;
  return inputs.seekers
    .filter((s) => open(s.region))
    .map((s) => ({ s, score: scoreMatch(s, offer, on) }))
    .filter(
      (x): x is { s: typeof x.s; score: NonNullable<typeof x.score> } =>
        x.score !== undefined && x.score.parts.occupation > 0,
    )
    .sort((a, b) => b.score.total - a.score.total || (a.s.seekerId < b.s.seekerId ? -1 : 1))
    .slice(0, Math.min(STREAM_MAX_PROPOSALS, (offer.positions - offer.filled) * STREAM_PROPOSALS_PER_POSITION))
    .flatMap(({ s }) => {
      const proposal = proposalFor(s, offer, on, runId);
      if (!proposal) return [];
      return [
        step({
          decider: placementDecider,
          streamId: placementStreamId(proposal.placementId),
          command: {
            type: 'ProposePlacement',
            data: proposal,
            metadata: { ...metadata, commandId: `stream:${offerId}:${s.seekerId}` },
          },
        }),
      ];
    });
};
