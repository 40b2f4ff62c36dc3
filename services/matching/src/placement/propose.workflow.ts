import { IllegalStateError, NotFoundError, step, type CommandMetadata, type Workflow } from '@tashghil/event-store';
import { offerDecider, offerStreamId } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { placementDecider, placementStreamId, type Proposal } from './placement.decider';
import { proposalFor } from './proposal';

/** Checks the caller against the regions a placement joins; throws to refuse. */
export type PlacementAccess = (p: Pick<Proposal, 'origin' | 'destination'>) => void;

/**
 * An officer proposes a seeker for an offer, outside a batch run: the seeker must be available, the
 * offer published and open to the seeker's region, and within the seeker's reach; the proposal keeps
 * the parts of its score. The caller is checked against both files' regions before their states are
 * judged, since the answers would tell a caller of another region how they stand.
 */
export const proposePlacement = (
  seekerId: string,
  offerId: string,
  metadata: CommandMetadata,
  authorize: PlacementAccess,
): Workflow => [
  (read) => {
    const seeker = read.state(seekerDecider, seekerStreamId(seekerId));
    const offer = read.state(offerDecider, offerStreamId(offerId));
    if (seeker.status === 'none') throw new NotFoundError('SEEKER_NOT_FOUND', `no seeker ${seekerId}`);
    if (offer.status === 'none') throw new NotFoundError('OFFER_NOT_FOUND', `no offer ${offerId}`);
    authorize({
      origin: { region: seeker.region, province: seeker.province },
      destination: { region: offer.region, province: offer.province },
    });
    if (seeker.status !== 'registered')
      throw new IllegalStateError('SEEKER_NOT_AVAILABLE', `the seeker is ${seeker.status}`);
    if (offer.status !== 'published')
      throw new IllegalStateError('OFFER_NOT_PUBLISHED', `the offer is ${offer.status}`);
    if (seeker.region !== offer.region && !offer.openToOtherRegions && !offer.abroadCountry) {
      throw new IllegalStateError(
        'OFFER_NOT_OPEN_TO_REGION',
        `the offer is open to ${offer.region} only until ${offer.opensToOtherRegionsOn ?? 'it opens'}`,
      );
    }
    const proposal = proposalFor(seeker, offer, metadata.now.slice(0, 10));
    if (!proposal)
      throw new IllegalStateError(
        'BEYOND_SEEKER_MOBILITY',
        `the offer is farther than the seeker will go (${seeker.mobility})`,
      );
    return [
      step({
        decider: placementDecider,
        streamId: placementStreamId(proposal.placementId),
        command: { type: 'ProposePlacement', data: proposal, metadata },
        authorize: (s) => authorize(s.status === 'none' ? proposal : s),
      }),
    ];
  },
];
