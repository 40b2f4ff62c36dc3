import { givenStreams } from '@tashghil/event-store';
import { offerDecider } from '../offer/offer.decider';
import { publishedOffer, registeredSeeker } from '../placement/files.fixture';
import { placementStreamId } from '../placement/placement.decider';
import { placementIdFor } from '../placement/proposal';
import { seekerDecider } from '../seeker/seeker.decider';
import type { ActiveSeeker, OpenOffer } from './run-inputs';
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
      .when(proposalsForOffer(opened(1), [...mechanics, cook], '2024-02-12', cause))
      .events();
    expect(proposed(decided)).toEqual(['sk-a', 'sk-b', 'sk-c']);
    expect(decided[placementStreamId(placementIdFor('sk-a', 'of-1', 'stream-of-1'))]).toMatchObject([
      { type: 'PlacementProposed', data: { runId: 'stream-of-1', offerId: 'of-1' } },
    ]);
  });

  it('proposes nothing twice when the event comes again', () => {
    const workflow = proposalsForOffer(opened(1), mechanics, '2024-02-12', cause);
    const decided = givenStreams({}).when(workflow).events();
    const applied = Object.fromEntries(
      ['sk-a', 'sk-b', 'sk-c'].map((s) => [
        `stream:of-1:${s}`,
        placementStreamId(placementIdFor(s, 'of-1', 'stream-of-1')),
      ]),
    );
    givenStreams(decided, { applied }).when(workflow).then({});
  });

  it('proposes no seeker of another region to an offer not open to them, nor one beyond their mobility', () => {
    const away = seeker('sk-away', '7231');
    const elsewhere = { ...away, region: 'MA-06' as const, province: 'Casablanca', mobility: 'any_region' as const };
    expect(proposalsForOffer(opened(1), [elsewhere], '2024-02-12', cause)).toEqual([]);
    expect(
      proposalsForOffer({ ...opened(1), openToOtherRegions: true }, [elsewhere], '2024-02-12', cause),
    ).toHaveLength(1);
    const stayHome = { ...elsewhere, mobility: 'own_region' as const };
    expect(proposalsForOffer({ ...opened(1), openToOtherRegions: true }, [stayHome], '2024-02-12', cause)).toEqual([]);
  });
});
