import { givenStreams, START } from '@tashghil/event-store';
import { offerDecider, type OfferEvent } from '../offer/offer.decider';
import { at, publishedOffer, registeredSeeker } from '../placement/files.fixture';
import { placementStreamId } from '../placement/placement.decider';
import { placementIdFor } from '../placement/proposal';
import { seekerDecider, type SeekerEvent } from '../seeker/seeker.decider';
import { chunkWorkflow, digestOf, lookupsOf, runChunks } from './batch-run.workflow';
import type { ActiveSeeker, OpenOffer, RunInputs } from './run-inputs';
import { runMatching } from './run-matching';
import { chunkDigest, proposalsDigest, runChunkStreamId } from './run-proposals.decider';

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
  seekers: ['sk-1', 'sk-2', 'sk-3', 'sk-4', 'sk-5'].map((id) => seeker(registeredSeeker(id))),
  offers: [offer(publishedOffer('of-1', { positions: 4 }))],
  placementRates: {},
};
const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 50 };
const metadata = at('2024-03-01', 'run-request');
const outcome = runMatching(inputs, parameters);
const run = { runId: 'run-1', parameters };

describe('a national batch run’s proposals, in chunks', () => {
  it('cuts the proposals into chunks of the size asked, each with its digest, and a digest over them', () => {
    // Four positions for five equal seekers: four proposals, in chunks of three.
    expect(outcome.proposals).toHaveLength(4);
    const chunks = runChunks('run-1', outcome.proposals, 3);
    expect(chunks.map((c) => c.proposals.length)).toEqual([3, 1]);
    expect(chunks.map((c) => c.digest)).toEqual(chunks.map((c) => chunkDigest(c.proposals)));
    expect(digestOf(chunks)).toBe(proposalsDigest(chunks.map((c) => c.digest)));
    expect(digestOf(runChunks('run-1', outcome.proposals.slice(1), 3))).not.toBe(digestOf(chunks));
  });

  it('stores each chunk with the placements it proposes, together', () => {
    const [first] = runChunks('run-1', outcome.proposals, 3);
    if (!first) throw new Error('no chunk');
    const decided = givenStreams({})
      .when(chunkWorkflow(run, first, lookupsOf(inputs), metadata))
      .events();
    const placements = first.proposals.map((p) => placementStreamId(p.placementId));
    expect(Object.keys(decided).sort()).toEqual([runChunkStreamId('run-1', 0), ...placements].sort());
    expect(decided[runChunkStreamId('run-1', 0)]).toMatchObject([
      { type: 'MatchingRunProposalsRecorded', data: { runId: 'run-1', chunk: 0, digest: first.digest } },
    ]);
    for (const p of first.proposals) {
      expect(p.placementId).toBe(placementIdFor(p.seekerId, p.offerId, 'run-1'));
      expect(decided[placementStreamId(p.placementId)]).toMatchObject([
        { type: 'PlacementProposed', data: { runId: 'run-1', seekerId: p.seekerId, offerId: 'of-1', score: p.score } },
      ]);
    }
  });

  it('finds a chunk stored again, after a crash, already applied: nothing twice', () => {
    const [first] = runChunks('run-1', outcome.proposals, 3);
    if (!first) throw new Error('no chunk');
    const workflow = chunkWorkflow(run, first, lookupsOf(inputs), metadata);
    const stored = givenStreams({}).when(workflow).events();
    const applied = Object.fromEntries([
      [`run:run-1:chunk:0`, runChunkStreamId('run-1', 0)],
      ...first.proposals.map((p) => [`run:run-1:${p.seekerId}`, placementStreamId(p.placementId)]),
    ]);
    givenStreams(stored, { applied }).when(workflow).then({});
  });
});
