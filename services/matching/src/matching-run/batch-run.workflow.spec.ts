import { givenStreams, START } from '@tashghil/event-store';
import { offerDecider, type OfferEvent } from '../offer/offer.decider';
import { at, publishedOffer, registeredSeeker } from '../placement/files.fixture';
import { placementStreamId } from '../placement/placement.decider';
import { placementIdFor } from '../placement/proposal';
import { seekerDecider, type SeekerEvent } from '../seeker/seeker.decider';
import { batchRun, runProposals, runRecord } from './batch-run.workflow';
import { matchingRunStreamId } from './matching-run.decider';
import type { ActiveSeeker, OpenOffer, RunInputs } from './run-inputs';
import { runMatching } from './run-matching';

const seeker = (events: SeekerEvent[]): ActiveSeeker => {
  const s = events.reduce(seekerDecider.evolve, seekerDecider.initialState());
  if (s.status === 'none') throw new Error('registered');
  return s;
};
const offer = (events: OfferEvent[]): OpenOffer => {
  const o = events.reduce(offerDecider.evolve, offerDecider.initialState());
  if (o.status === 'none') throw new Error('published');
  return o;
};
const inputs: RunInputs = {
  asOf: START,
  seekers: [registeredSeeker('sk-1'), registeredSeeker('sk-2'), registeredSeeker('sk-3')].map(seeker),
  offers: [offer(publishedOffer('of-1'))],
  placementRates: {},
};
const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 50 };
const metadata = at('2024-03-01', 'run-request');
const record = runRecord('run-1', parameters, inputs, runMatching(inputs, parameters));

describe('a national batch run', () => {
  it('records the run and proposes each of its assignments, together', () => {
    // Two positions for three equal seekers: two proposals.
    expect(record.proposals).toHaveLength(2);
    const decided = givenStreams({})
      .when(batchRun(record, inputs, metadata))
      .events();
    const placements = record.proposals.map((p) => placementStreamId(p.placementId));
    expect(Object.keys(decided).sort()).toEqual([matchingRunStreamId('run-1'), ...placements].sort());
    expect(decided[matchingRunStreamId('run-1')]).toMatchObject([
      { type: 'MatchingRunCompleted', data: { runId: 'run-1', objective: record.objective } },
    ]);
    for (const p of record.proposals) {
      expect(p.placementId).toBe(placementIdFor(p.seekerId, p.offerId, 'run-1'));
      expect(decided[placementStreamId(p.placementId)]).toMatchObject([
        { type: 'PlacementProposed', data: { runId: 'run-1', seekerId: p.seekerId, offerId: 'of-1', score: p.score } },
      ]);
    }
  });

  it('is refused whole when the run was recorded already', () => {
    const recorded = givenStreams({})
      .when(batchRun(record, inputs, metadata))
      .events();
    givenStreams(recorded)
      .when(batchRun(record, inputs, at('2024-03-02', 'again')))
      .thenThrows('RUN_ALREADY_RECORDED');
  });

  it('proposes a recorded run’s assignments again as already applied', () => {
    const recorded = givenStreams({})
      .when(batchRun(record, inputs, metadata))
      .events();
    const applied = Object.fromEntries(
      record.proposals.map((p) => [`run:run-1:${p.seekerId}`, placementStreamId(p.placementId)]),
    );
    givenStreams(recorded, { applied })
      .when(runProposals(record, inputs, metadata))
      .then({});
  });
});
