import { handleCommand, openStore, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { generateDemo } from '../demo/demo-generator';
import { recordBatchRun, recordedRun } from '../demo/demo-run';
import { offerDecider, offerStreamId, type OfferCommand } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { matchingRunDecider, matchingRunStreamId, type RunRecord } from './matching-run.decider';
import { replayMatchingRun } from './replay';

const meta = (key: string) => ({
  now: '2024-03-01T09:00:00.000Z',
  actor: 'test',
  roles: ['admin'],
  correlationId: 'c',
  commandId: key,
});

describe.each(testBackends().map((b) => [b.name, b] as const))('replaying a recorded run (%s)', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    const { seekers, offers } = generateDemo(11, 40, 10);
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
      for (const [i, step] of steps.entries())
        await handleCommand(store, offerDecider, offerStreamId(o.offerId), {
          ...step,
          metadata: meta(`o:${o.offerId}:${i}`),
        } as OfferCommand);
    }
    await recordBatchRun(store, 'replay-good', { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 20 }, meta('run'));
  });
  afterAll(() => database.dispose());

  it('gives the same result from the recorded inputs, even after later writes', async () => {
    const [late] = generateDemo(12, 1, 0).seekers;
    if (!late) throw new Error('the generator made no seeker');
    await handleCommand(store, seekerDecider, seekerStreamId('late-seeker'), {
      type: 'RegisterSeeker',
      data: { ...late, seekerId: 'late-seeker' },
      metadata: meta('late'),
    });
    const replay = await replayMatchingRun(store, 'replay-good');
    expect(replay).toMatchObject({ runId: 'replay-good', sameInputs: true, sameResult: true, differingProposals: 0 });
    expect(replay.objective.replayed).toBe(replay.objective.recorded);
    expect(replay.objective.recorded).toBeGreaterThan(0);
  });

  it('tells a run whose recorded proposals are not what the engine gives', async () => {
    const good = await recordedRun(store, 'replay-good');
    if (!good) throw new Error('the good run was not recorded');
    const { status: _s, recordedAt: _a, recordedBy: _b, ...record } = good;
    const dropped = record.proposals.at(-1);
    if (!dropped) throw new Error('the good run proposed nothing');
    const tampered: RunRecord = {
      ...record,
      runId: 'replay-tampered',
      proposals: record.proposals.slice(0, -1),
      objective: record.objective - dropped.weight,
    };
    await handleCommand(store, matchingRunDecider, matchingRunStreamId('replay-tampered'), {
      type: 'RecordMatchingRun',
      data: tampered,
      metadata: meta('tampered'),
    });
    const replay = await replayMatchingRun(store, 'replay-tampered');
    expect(replay).toMatchObject({ sameInputs: true, sameResult: false, differingProposals: 2 });
    expect(replay.objective).toEqual({ recorded: record.objective - dropped.weight, replayed: record.objective });
  });

  it('answers RUN_NOT_FOUND for a run nobody recorded', async () => {
    await expect(replayMatchingRun(store, 'no-such-run')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });
});
