import { handleCommand, openStore, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { generateDemo } from '../demo/demo-generator';
import { offerDecider, offerStreamId, type OfferCommand } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { ensureMatchingQueryModels } from '../service';
import { loadRunInputs } from './run-inputs';
import { runMatching, type RunParameters } from './run-matching';

const meta = (key: string) => ({
  now: '2024-03-01T09:00:00.000Z',
  actor: 'test',
  roles: ['admin'],
  correlationId: 'c',
  commandId: key,
});

describe.each(testBackends().map((b) => [b.name, b] as const))('a batch run on the store (%s)', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  const parameters: RunParameters = {
    on: '2024-03-01',
    beta: 0.5,
    candidatesPerSeeker: 20,
    maxPlacedIntoDest: { 'MA-09': 40 },
  };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureMatchingQueryModels(store);
    const { seekers, offers } = generateDemo(7, 120, 25);
    for (const s of seekers)
      await handleCommand(store, seekerDecider, seekerStreamId(s.seekerId), {
        type: 'RegisterSeeker',
        data: s,
        metadata: meta(`s:${s.seekerId}`),
      });
    for (const o of offers) {
      const steps: Array<Pick<OfferCommand, 'type' | 'data'>> = [
        { type: 'ReceiveOffer', data: o },
        { type: 'ValidateOffer', data: {} },
        { type: 'PublishOffer', data: { openAfterDays: 15 } },
      ];
      for (const [i, step] of steps.entries()) {
        await handleCommand(store, offerDecider, offerStreamId(o.offerId), {
          ...step,
          metadata: meta(`o:${o.offerId}:${i}`),
        } as OfferCommand);
      }
    }
  });
  afterAll(() => database.dispose());

  it('proposes within every capacity and cap, at least as well as greedy, and replays identically', async () => {
    const inputs = await loadRunInputs(store);
    expect(inputs.seekers).toHaveLength(120);
    const outcome = runMatching(inputs, parameters);
    expect(outcome.placed).toBeGreaterThan(0);
    expect(outcome.objective).toBeGreaterThanOrEqual(outcome.greedyObjective);
    const load = new Map<string, number>();
    for (const p of outcome.proposals) load.set(p.offerId, (load.get(p.offerId) ?? 0) + 1);
    for (const o of inputs.offers) expect(load.get(o.offerId) ?? 0).toBeLessThanOrEqual(o.positions);
    const intoSoussMassa = outcome.proposals.filter(
      (p) => inputs.offers.find((o) => o.offerId === p.offerId)?.region === 'MA-09',
    ).length;
    expect(intoSoussMassa).toBeLessThanOrEqual(40);
    expect(new Set(outcome.proposals.map((p) => p.seekerId)).size).toBe(outcome.proposals.length);

    // Later writes do not change what a replay at the recorded checkpoint sees.
    await handleCommand(store, seekerDecider, seekerStreamId('demo-seeker-0001'), {
      type: 'WithdrawSeeker',
      data: { reason: 'moved' },
      metadata: meta('late'),
    });
    const replayed = runMatching(await loadRunInputs(store, inputs.asOf), parameters);
    expect(replayed.inputsHash).toBe(outcome.inputsHash);
    expect(replayed.proposals.map((p) => [p.seekerId, p.offerId])).toEqual(
      outcome.proposals.map((p) => [p.seekerId, p.offerId]),
    );
    // Reads stop below the server's snapshot horizon: a transaction of another suite on the same
    // server may hide the withdrawal for a moment.
    let latest = await loadRunInputs(store);
    for (let tries = 0; latest.seekers.length === 120 && tries < 100; tries += 1) {
      await new Promise((r) => setTimeout(r, 100));
      latest = await loadRunInputs(store);
    }
    const now = runMatching(latest, parameters);
    expect(now.inputsHash).not.toBe(outcome.inputsHash);
  });
});
