import { givenStreams, START } from '@tashghil/event-store';
import { offerDecider } from '../offer/offer.decider';
import { publishedOffer, registeredSeeker } from '../placement/files.fixture';
import { placementStreamId } from '../placement/placement.decider';
import { placementIdFor } from '../placement/proposal';
import { seekerDecider } from '../seeker/seeker.decider';
import type { ActiveSeeker, OpenOffer, RunInputs } from './run-inputs';
import { proposalsForOffer } from './streaming.workflow';

const seeker = (seekerId: string, occupation: string): ActiveSeeker => {
  const s = registeredSeeker(seekerId, { occupations: [occupation] }).reduce(
    seekerDecider.evolve,
    seekerDecider.initialState(),
  );
  if (s.status === 'none') throw new Error('registered');
  return s;
};
const opened = (positions: number): OpenOffer => {
  const o = publishedOffer('of-1', { occupation: '7231', positions }).reduce(
    offerDecider.evolve,
    offerDecider.initialState(),
  );
  if (o.status === 'none') throw new Error('published');
  return o;
};
const inputs = (positions: number, seekers: ActiveSeeker[]): RunInputs => ({
  asOf: START,
  seekers,
  offers: [opened(positions)],
  placementRates: {},
});
const cause = {
  now: '2024-02-12T15:00:00.000Z',
  actor: 'matching-streaming',
  roles: ['admin'],
  correlationId: 'c',
  causationId: 'published-event',
};
const proposed = (events: Record<string, readonly { type: string; data: unknown }[]>) =>
  Object.values(events).map((es) => (es[0]?.data as { seekerId: string }).seekerId);

describe('streaming proposals for a newly published offer', () => {
  const mechanics = ['sk-a', 'sk-b', 'sk-c', 'sk-d'].map((id) => seeker(id, '7231'));

  it('proposes the best seekers who share its occupation group, three per open position', () => {
    const cook = seeker('sk-cook', '5120');
    const decided = givenStreams({})
      .when(proposalsForOffer(inputs(1, [...mechanics, cook]), 'of-1', '2024-02-12', cause))
      .events();
    expect(proposed(decided)).toEqual(['sk-a', 'sk-b', 'sk-c']);
    expect(decided[placementStreamId(placementIdFor('sk-a', 'of-1', 'stream-of-1'))]).toMatchObject([
      { type: 'PlacementProposed', data: { runId: 'stream-of-1', offerId: 'of-1' } },
    ]);
  });

  it('proposes nothing twice when the event comes again', () => {
    const workflow = proposalsForOffer(inputs(1, mechanics), 'of-1', '2024-02-12', cause);
    const decided = givenStreams({}).when(workflow).events();
    const applied = Object.fromEntries(
      ['sk-a', 'sk-b', 'sk-c'].map((s) => [
        `stream:of-1:${s}`,
        placementStreamId(placementIdFor(s, 'of-1', 'stream-of-1')),
      ]),
    );
    givenStreams(decided, { applied }).when(workflow).then({});
  });

  it('proposes nothing for an offer the inputs do not hold open', () => {
    expect(proposalsForOffer(inputs(1, mechanics), 'of-unknown', '2024-02-12', cause)).toEqual([]);
  });
});
