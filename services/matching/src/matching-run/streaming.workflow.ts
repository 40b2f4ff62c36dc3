import { step, type CommandMetadata, type Workflow } from '@tashghil/event-store';
import { placementDecider, placementStreamId } from '../placement/placement.decider';
import { proposalFor } from '../placement/proposal';
import type { ActiveSeeker, OpenOffer } from './run-inputs';
import { totalsFor, type SeekerForScoring } from './scoring';

/** How many seekers a newly opened offer is proposed, per position: enough for refusals and interviews. */
export const STREAM_PROPOSALS_PER_POSITION = 3;
export const STREAM_MAX_PROPOSALS = 50;

/** How many seekers an offer is proposed to at once. */
export const streamLimit = (offer: OpenOffer): number =>
  Math.min(STREAM_MAX_PROPOSALS, (offer.positions - offer.filled) * STREAM_PROPOSALS_PER_POSITION);

/**
 * The seekers an offer may be proposed to, best first: open to the seeker's region (its own, opened
 * to all, or abroad), within the seeker's mobility, sharing at least the occupation's major group;
 * ties by seeker id. Answers at most `limit`, each with its score.
 */
export const rankForOffer = <S extends SeekerForScoring & { readonly seekerId: string }>(
  offer: OpenOffer,
  seekers: readonly S[],
  on: string,
  limit: number,
): Array<{ seeker: S; score: number }> => {
  const totalOf = totalsFor(offer, on);
  return seekers
    .filter((s) => s.region === offer.region || offer.openToOtherRegions || offer.abroadCountry !== undefined)
    .map((seeker) => ({ seeker, found: totalOf(seeker) }))
    .flatMap(({ seeker, found }) =>
      found !== undefined && found.occupation > 0 ? [{ seeker, score: found.total }] : [],
    )
    .sort((a, b) => b.score - a.score || (a.seeker.seekerId < b.seeker.seekerId ? -1 : 1))
    .slice(0, limit);
};

/**
 * Streaming mode's reaction to an offer published or opened to other regions: the best available
 * seekers it is open to (see rankForOffer), proposed at once, best first. One run id per offer,
 * whichever step opened it, and each command's id derived from the offer and the seeker: a seeker is
 * proposed an offer once, and a redelivered event proposes nothing twice.
 */
export const proposalsForOffer = (
  offer: OpenOffer,
  seekers: readonly ActiveSeeker[],
  on: string,
  metadata: Omit<CommandMetadata, 'commandId'>,
): Workflow => {
  const runId = `stream-${offer.offerId}`;
  return rankForOffer(offer, seekers, on, streamLimit(offer)).flatMap(({ seeker }) => {
    const proposal = proposalFor(seeker, offer, on, runId);
    if (!proposal) return [];
    return [
      step({
        decider: placementDecider,
        streamId: placementStreamId(proposal.placementId),
        command: {
          type: 'ProposePlacement',
          data: proposal,
          metadata: { ...metadata, commandId: `stream:${offer.offerId}:${seeker.seekerId}` },
        },
      }),
    ];
  });
};
