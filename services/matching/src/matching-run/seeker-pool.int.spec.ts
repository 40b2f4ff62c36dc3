import {
  handleWorkflow,
  openStore,
  step,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { ensureMatchingQueryModels } from '../service';
import { meta } from './files.spec-helper';
import { randomInputs } from './random-inputs.spec-helper';
import type { ActiveSeeker } from './run-inputs';
import { bestSeekersFor } from './seeker-pool';
import { rankForOffer } from './streaming.workflow';

describe.each(testBackends().map((b) => [b.name, b] as const))('the seeker pool of an offer (%s)', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  const on = '2024-03-01';
  const inputs = randomInputs(23, 500, 80);
  // Each skill listed once: a skill listed twice counts twice in scoreMatch, beyond the bound the pool
  // reads by. Every third seeker types a skill in capitals, accents included (CÂBLAGE), which the
  // database's own lower() would not fold the way scoring does.
  const seekers: ActiveSeeker[] = inputs.seekers.map((s, i) => ({
    ...s,
    skills: [...new Map(s.skills.map((k) => [k.toLowerCase(), k])).values()].map((k, j) =>
      i % 3 === 0 && j === 0 ? k.toUpperCase() : k,
    ),
  }));

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureMatchingQueryModels(store);
    await handleWorkflow(
      store,
      seekers.map((s, i) => {
        const { status: _s, placement: _p, ...data } = s;
        return step({
          decider: seekerDecider,
          streamId: seekerStreamId(s.seekerId),
          command: { type: 'RegisterSeeker', data, metadata: meta(`pool-${i}`) },
        });
      }),
    );
  });
  afterAll(() => database.dispose());

  it.each([3, 12])('holds exactly the best %i of the whole pool for every offer, in order', async (limit) => {
    let proposed = 0;
    for (const offer of inputs.offers) {
      const want = rankForOffer(offer, seekers, on, limit).map((x) => [x.seeker.seekerId, x.score]);
      const got = (await bestSeekersFor(store.db, offer, on, limit)).map((x) => [x.seeker.seekerId, x.score]);
      expect(got).toEqual(want);
      proposed += got.length;
    }
    expect(proposed).toBeGreaterThan(inputs.offers.length);
  });
});
