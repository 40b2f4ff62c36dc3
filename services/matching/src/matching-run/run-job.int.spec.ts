import {
  handleCommand,
  handleWorkflow,
  openStore,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import { generateDemo } from '../demo/demo-generator';
import { recordBatchRun } from '../demo/demo-run';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';
import { ensureMatchingQueryModels } from '../service';
import { runStep } from './batch-run.workflow';
import { meta, seedFiles } from './files.spec-helper';
import { replayMatchingRun } from './replay';
import { executeRun, type RunPhase } from './run-job';
import { runChunkStreamId } from './run-proposals.decider';
import { solveRun } from './solve';

describe.each(testBackends().map((b) => [b.name, b] as const))('a batch run as a job (%s)', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 20 };
  const who = { actor: 'matching-run', roles: ['admin'], correlationId: 'c' };

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureMatchingQueryModels(store);
    await seedFiles(store, 5, 80, 20);
    // Creates q.matching_runs as the service does at start-up.
    await recordBatchRun(store, 'first', parameters, meta('first'));
  });
  afterAll(() => database.dispose());

  it('resumes a run interrupted while storing its chunks, and records no proposal twice', async () => {
    await handleWorkflow(store, [
      runStep('crash-1', { type: 'RequestMatchingRun', data: { runId: 'crash-1', parameters } }, meta('crash-1')),
    ]);
    const phases: RunPhase[] = [];
    let chunksStored = 0;
    await expect(
      executeRun(store, 'crash-1', {
        solve: async (request, progress) => solveRun(request, progress),
        metadata: who,
        chunkSize: 4,
        progress: (phase, done) => {
          if (phases.at(-1) !== phase) phases.push(phase);
          if (phase === 'recording' && done === 2) {
            chunksStored = done;
            throw new Error('the process dies here');
          }
        },
      }),
    ).rejects.toThrow('the process dies here');
    expect(phases).toEqual(['reading inputs', 'candidates', 'solving', 'recording']);
    expect(chunksStored).toBe(2);
    // A later write does not change what the resumed run reads: it reads at its recorded checkpoint.
    const [late] = generateDemo(99, 1, 0).seekers;
    if (!late) throw new Error('no seeker');
    await handleCommand(store, seekerDecider, seekerStreamId('late-one'), {
      type: 'RegisterSeeker',
      data: { ...late, seekerId: 'late-one' },
      metadata: meta('late-one'),
    });

    const end = await executeRun(store, 'crash-1', { solve: async (request) => solveRun(request), metadata: who });
    expect(end.status).toBe('completed');
    if (end.status !== 'completed') return;
    expect(end.solution.chunkSize).toBe(4);
    expect(end.solution.chunks).toBe(Math.ceil(end.solution.proposals / 4));
    expect(end.solution.certificate).toEqual({ dualBound: end.solution.objective, optimal: true });
    for (let k = 0; k < end.solution.chunks; k += 1)
      expect(await store.readStream(runChunkStreamId('crash-1', k))).toHaveLength(1);
    const { events } = await store.readAll({ limit: 10_000, categories: ['matching.placement'] });
    const proposed = events.filter((e) => e.type === 'PlacementProposed' && e.data.runId === 'crash-1');
    expect(proposed).toHaveLength(end.solution.proposals);
    expect(new Set(proposed.map((e) => e.streamId)).size).toBe(proposed.length);
    expect(await replayMatchingRun(store, 'crash-1')).toMatchObject({
      sameInputs: true,
      sameResult: true,
      proposals: { chunksIntact: true, sameDigest: true },
    });
  });

  it('records a run whose caps the engine refuses as failed, with the engine’s code', async () => {
    await handleWorkflow(store, [
      runStep(
        'refused',
        { type: 'RequestMatchingRun', data: { runId: 'refused', parameters: { ...parameters, abroadCap: -5 } } },
        meta('refused'),
      ),
    ]);
    const end = await executeRun(store, 'refused', { solve: async (request) => solveRun(request), metadata: who });
    expect(end).toMatchObject({ status: 'failed', failure: { code: 'CAP_INVALID' } });
  });
});
