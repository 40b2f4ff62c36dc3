import { ForbiddenError, givenStreams } from '@tashghil/event-store';
import { offerDecider, offerStreamId } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId, type SeekerEvent } from '../seeker/seeker.decider';
import { at, publishedOffer, registeredSeeker } from './files.fixture';
import { placementStreamId } from './placement.decider';
import { placementIdFor, proposalFor } from './proposal';
import { proposePlacement, type PlacementAccess } from './propose.workflow';

const anyone: PlacementAccess = () => undefined;
const metadata = at('2024-03-01', 'propose-1');
const propose = (authorize = anyone) => proposePlacement('sk-1', 'of-1', metadata, authorize);
const seeker = registeredSeeker('sk-1');
const offer = publishedOffer('of-1');
const files = { [seekerStreamId('sk-1')]: seeker, [offerStreamId('of-1')]: offer };

describe('an officer’s proposal', () => {
  it('proposes the seeker for the offer with the parts of the score, under the pair’s own id', () => {
    const seekerState = seeker.reduce(seekerDecider.evolve, seekerDecider.initialState());
    const offerState = offer.reduce(offerDecider.evolve, offerDecider.initialState());
    if (seekerState.status === 'none' || offerState.status === 'none') throw new Error('the fixture files exist');
    const proposal = proposalFor(seekerState, offerState, '2024-03-01');
    expect(proposal?.placementId).toBe(placementIdFor('sk-1', 'of-1'));
    givenStreams(files)
      .when(propose())
      .then({
        [placementStreamId(placementIdFor('sk-1', 'of-1'))]: [
          { type: 'PlacementProposed', schemaVersion: 1, data: { ...proposal, on: '2024-03-01' } },
        ],
      });
  });

  it('answers a missing file before anything else', () => {
    givenStreams({ [offerStreamId('of-1')]: offer })
      .when(propose())
      .thenThrows('SEEKER_NOT_FOUND');
    givenStreams({ [seekerStreamId('sk-1')]: seeker })
      .when(propose())
      .thenThrows('OFFER_NOT_FOUND');
  });

  it('checks the caller against both regions before telling how the files stand', () => {
    const withdrawn: SeekerEvent[] = [
      ...seeker,
      { type: 'SeekerWithdrawn', data: { seekerId: 'sk-1', reason: 'a trouvé un emploi', on: '2024-02-20' } },
    ];
    const refuse: PlacementAccess = () => {
      throw new ForbiddenError('REGION_NOT_ALLOWED', 'another region');
    };
    givenStreams({ ...files, [seekerStreamId('sk-1')]: withdrawn })
      .when(propose(refuse))
      .thenThrows('REGION_NOT_ALLOWED');
    givenStreams({ ...files, [seekerStreamId('sk-1')]: withdrawn })
      .when(propose())
      .thenThrows('SEEKER_NOT_AVAILABLE');
  });

  it('needs the offer published, open to the seeker’s region, and within the seeker’s reach', () => {
    givenStreams({ ...files, [offerStreamId('of-1')]: offer.slice(0, 1) })
      .when(propose())
      .thenThrows('OFFER_NOT_PUBLISHED');
    givenStreams({
      ...files,
      [offerStreamId('of-1')]: publishedOffer('of-1', { region: 'MA-01', province: 'Tanger-Assilah' }),
    })
      .when(propose())
      .thenThrows('OFFER_NOT_OPEN_TO_REGION');
    givenStreams({
      ...files,
      [seekerStreamId('sk-1')]: registeredSeeker('sk-1', { mobility: 'own_province', province: 'Tiznit' }),
    })
      .when(propose())
      .thenThrows('BEYOND_SEEKER_MOBILITY');
  });
});
