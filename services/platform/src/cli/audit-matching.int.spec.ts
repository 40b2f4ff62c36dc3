import {
  handleCommand,
  handleWorkflow,
  openStore,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import {
  chunkWorkflow,
  digestOf,
  ensureMatchingQueryModels,
  generateDemo,
  loadRunInputs,
  lookupsOf,
  offerDecider,
  offerStreamId,
  recordBatchRun,
  recordedRun,
  runChunks,
  runStep,
  seekerDecider,
  seekerStreamId,
  type OfferCommand,
} from '@tashghil/matching';
import { EXIT, runAudit } from './audit';

const meta = (key: string) => ({
  now: '2024-03-01T09:00:00.000Z',
  actor: 'test',
  roles: ['admin'],
  correlationId: 'c',
  commandId: key,
});

describe.each(testBackends().map((b) => [b.name, b] as const))('tashghil audit rerun-matching (%s)', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  const audit = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAudit(
      argv,
      {},
      (s) => out.push(s),
      (s) => err.push(s),
      { database: database.db },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 20 };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureMatchingQueryModels(store);
    const { seekers, offers } = generateDemo(5, 30, 8);
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
    await recordBatchRun(store, 'audit-run', parameters, meta('run'));
  });
  afterAll(() => database.dispose());

  it('re-runs a recorded run from its inputs and finds the same result, even after later writes', async () => {
    const [late] = generateDemo(6, 0, 1).offers;
    if (!late) throw new Error('the generator made no offer');
    await handleCommand(store, offerDecider, offerStreamId('late-offer'), {
      type: 'ReceiveOffer',
      data: { ...late, offerId: 'late-offer' },
      metadata: meta('late'),
    });
    const json = await audit('rerun-matching', 'audit-run', '--json');
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.out)).toMatchObject({
      runId: 'audit-run',
      sameInputs: true,
      sameResult: true,
      differingProposals: 0,
    });
    const text = await audit('rerun-matching', 'audit-run');
    expect(text).toMatchObject({ code: EXIT.ok, out: expect.stringMatching(/^run audit-run: same result/) });
  });

  it('exits 1 for a run whose recorded proposals are not what the engine gives', async () => {
    const good = await recordedRun(store, 'audit-run');
    if (!good) throw new Error('the run was not recorded');
    // The good run's record under another id, its chunks stored without their last proposal: the
    // digest it records covers all of them, so only a replay tells.
    const runId = 'audit-tampered';
    const inputs = await loadRunInputs(store, good.solution.asOf);
    const { chunkSize } = good.solution;
    await handleWorkflow(store, [
      runStep(runId, { type: 'RequestMatchingRun', data: { runId, parameters } }, meta('t-1')),
      runStep(
        runId,
        {
          type: 'RecordRunSolution',
          data: { ...good.solution, proposalsDigest: digestOf(runChunks(runId, good.proposals, chunkSize)) },
        },
        meta('t-2'),
      ),
    ]);
    for (const chunk of runChunks(runId, good.proposals.slice(0, -1), chunkSize))
      await handleWorkflow(
        store,
        chunkWorkflow({ runId, parameters }, chunk, lookupsOf(inputs), meta(`t-c${chunk.chunk}`)),
      );
    await handleWorkflow(store, [runStep(runId, { type: 'CompleteMatchingRun', data: {} }, meta('t-3'))]);
    const json = await audit('rerun-matching', 'audit-tampered', '--json');
    expect(json.code).toBe(EXIT.broken);
    expect(JSON.parse(json.out)).toMatchObject({
      sameInputs: true,
      sameResult: false,
      objective: { recorded: good.solution.objective, replayed: good.solution.objective },
      proposals: { chunksIntact: false, recorded: good.proposals.length - 1, replayed: good.proposals.length },
    });
    expect((await audit('rerun-matching', 'audit-tampered')).out).toMatch(/DIFFERENT result/);
  });

  it('exits 4 for a run nobody recorded, and 2 when no run is named', async () => {
    expect(await audit('rerun-matching', 'no-such-run')).toMatchObject({
      code: EXIT.notFound,
      out: 'no matching run no-such-run',
    });
    expect(JSON.parse((await audit('rerun-matching', 'no-such-run', '--json')).out)).toEqual({
      runId: 'no-such-run',
      found: false,
    });
    expect(await audit('rerun-matching')).toMatchObject({
      code: EXIT.usage,
      err: expect.stringMatching(/^audit rerun-matching: name the run/),
    });
    expect((await audit('rerun-matching', '--help')).out).toMatch(
      /Exit 0 same result, 1 different result, 4 no such run/,
    );
  });
});
