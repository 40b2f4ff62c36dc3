import {
  handleCommand,
  handleWorkflow,
  openStore,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import { generateDemo } from '../demo/demo-generator';
import { recordBatchRun, recordedRun } from '../demo/demo-run';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { ensureMatchingQueryModels } from '../service';
import { chunkWorkflow, digestOf, lookupsOf, runChunks, runStep } from './batch-run.workflow';
import { meta, seedFiles } from './files.spec-helper';
import { replayMatchingRun } from './replay';
import { loadRunInputs } from './run-inputs';

describe.each(testBackends().map((b) => [b.name, b] as const))('replaying a recorded run (%s)', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 20 };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureMatchingQueryModels(store);
    await seedFiles(store, 11, 40, 10);
    await recordBatchRun(store, 'replay-good', parameters, meta('run'));
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
    expect(replay).toMatchObject({
      runId: 'replay-good',
      sameInputs: true,
      sameResult: true,
      differingProposals: 0,
      proposals: { chunksIntact: true, sameDigest: true },
    });
    expect(replay.objective.replayed).toBe(replay.objective.recorded);
    expect(replay.objective.recorded).toBeGreaterThan(0);
  });

  it('tells a run whose stored proposals are not the ones its digest covers', async () => {
    const good = await recordedRun(store, 'replay-good');
    if (!good) throw new Error('the good run was not recorded');
    // The good run's record under another id, its chunks written without their last proposal.
    const runId = 'replay-tampered';
    const inputs = await loadRunInputs(store, good.solution.asOf);
    const proposals = good.proposals.slice(0, -1);
    const chunks = runChunks(runId, proposals, good.solution.chunkSize);
    await handleWorkflow(store, [
      runStep(runId, { type: 'RequestMatchingRun', data: { runId, parameters } }, meta('t-1')),
      runStep(
        runId,
        {
          type: 'RecordRunSolution',
          data: {
            ...good.solution,
            proposalsDigest: digestOf(runChunks(runId, good.proposals, good.solution.chunkSize)),
          },
        },
        meta('t-2'),
      ),
    ]);
    for (const chunk of chunks)
      await handleWorkflow(
        store,
        chunkWorkflow({ runId, parameters }, chunk, lookupsOf(inputs), meta(`t-c${chunk.chunk}`)),
      );
    await handleWorkflow(store, [runStep(runId, { type: 'CompleteMatchingRun', data: {} }, meta('t-3'))]);
    const replay = await replayMatchingRun(store, runId);
    expect(replay).toMatchObject({
      sameInputs: true,
      sameResult: false,
      differingProposals: 2,
      proposals: { chunksIntact: false, sameDigest: true, recorded: good.proposals.length - 1 },
    });
  });

  it('answers RUN_NOT_FOUND for a run nobody recorded', async () => {
    await expect(replayMatchingRun(store, 'no-such-run')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });
});
