import { ForbiddenError, givenStreams } from '@tashghil/event-store';
import { offerDecider, offerStreamId, type OfferEvent } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId, type SeekerEvent } from '../seeker/seeker.decider';
import { at, publishedOffer, registeredSeeker } from './files.fixture';
import { hire } from './hire.workflow';
import { placementStreamId, type Placement, type PlacementEvent, type RecordHire } from './placement.decider';
import { proposalFor } from './proposal';

const seeker = registeredSeeker('sk-1');
const offer = publishedOffer('of-1');
const fold = <S, E>(d: { initialState: () => S; evolve: (s: S, e: E) => S }, events: readonly E[]): S =>
  events.reduce(d.evolve, d.initialState());
const seekerState = fold(seekerDecider, seeker);
const offerState = fold(offerDecider, offer);
if (seekerState.status === 'none' || offerState.status === 'none') throw new Error('the fixture files exist');
const proposal = proposalFor(seekerState, offerState, '2024-03-01');
if (!proposal) throw new Error('the fixture seeker reaches the fixture offer');
const { placementId } = proposal;
const placement = placementStreamId(placementId);
const interviewing: PlacementEvent[] = [
  { type: 'PlacementProposed', schemaVersion: 1, data: { ...proposal, on: '2024-03-01' } },
  { type: 'ProposalAccepted', data: { placementId, on: '2024-03-02' } },
  { type: 'InterviewScheduled', data: { placementId, on: '2024-03-02', date: '2024-03-05' } },
];
const recordHire: RecordHire = {
  type: 'RecordHire',
  data: { contractType: 'fixed_term', startDate: '2024-04-01', contractMonths: 12, monthlyWageCentimes: 342_000 },
  metadata: at('2024-03-06', 'hire-1'),
};
const files = { [placement]: interviewing, [seekerStreamId('sk-1')]: seeker, [offerStreamId('of-1')]: offer };
const types = (events: Record<string, readonly { type: string }[]>) =>
  Object.fromEntries(Object.entries(events).map(([id, es]) => [id, es.map((e) => e.type)]));

describe('a hire', () => {
  it('records the hire, marks the seeker placed and counts the position on the offer, together', () => {
    const decided = givenStreams(files).when(hire(placementId, recordHire));
    expect(types(decided.events())).toEqual({
      [placement]: ['SeekerHired'],
      [seekerStreamId('sk-1')]: ['SeekerPlaced'],
      [offerStreamId('of-1')]: ['OfferPositionFilled'],
    });
    expect(decided.state(seekerDecider, seekerStreamId('sk-1'))).toMatchObject({
      status: 'placed',
      placement: { placementId, offerId: 'of-1', startDate: '2024-04-01' },
    });
    expect(decided.state(offerDecider, offerStreamId('of-1'))).toMatchObject({ filled: 1 });
  });

  it('is refused whole when the seeker’s file refuses it', () => {
    const erased: SeekerEvent[] = [
      ...seeker,
      { type: 'SeekerErased', data: { seekerId: 'sk-1', reason: 'demande de la personne', on: '2024-03-04' } },
    ];
    givenStreams({ ...files, [seekerStreamId('sk-1')]: erased })
      .when(hire(placementId, recordHire))
      .thenThrows('SEEKER_ERASED');
  });

  it('is refused before an interview, and on a placement nobody proposed', () => {
    givenStreams({ ...files, [placement]: interviewing.slice(0, 2) })
      .when(hire(placementId, recordHire))
      .thenThrows('PLACEMENT_WRONG_STATE');
    givenStreams({}).when(hire(placementId, recordHire)).thenThrows('PLACEMENT_NOT_FOUND');
  });

  it('answers a repeated hire as done, its follow-ups included', () => {
    const hired = givenStreams(files).when(hire(placementId, recordHire)).events();
    const after = Object.fromEntries(
      Object.entries(files).map(([id, events]) => [id, [...events, ...(hired[id] ?? [])]]),
    ) as Record<string, readonly (PlacementEvent | SeekerEvent | OfferEvent)[]>;
    givenStreams(after, {
      applied: {
        'hire-1': placement,
        [`hire:${placementId}:seeker`]: seekerStreamId('sk-1'),
        [`hire:${placementId}:offer`]: offerStreamId('of-1'),
      },
    })
      .when(hire(placementId, recordHire))
      .then({});
  });

  it('checks the caller against the placement as it stands before deciding', () => {
    const onlyMa01 = (s: Placement) => {
      if (s.status !== 'none' && s.destination.region !== 'MA-01')
        throw new ForbiddenError('REGION_NOT_ALLOWED', `not ${s.destination.region}`);
    };
    givenStreams(files)
      .when(hire(placementId, recordHire, { authorize: onlyMa01 }))
      .thenThrows('REGION_NOT_ALLOWED');
  });
});
