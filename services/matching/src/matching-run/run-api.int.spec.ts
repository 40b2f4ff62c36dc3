import { handleWorkflow } from '@tashghil/event-store';
import type { RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded, tokenFor } from '@tashghil/testing';
import { matchingService } from '../service';
import { runStep } from './batch-run.workflow';
import { meta, seedFiles } from './files.spec-helper';
import { MatchingRunJobs, RUN_JOBS_TABLE } from './run-jobs';

describe('POST /matching-runs: a job answered at once, run off the request', () => {
  let service: RunningService;
  const admin = tokenFor({ sub: 'pipeline', roles: ['admin'] });
  const get = (path: string) => call(service.url, 'GET', path, admin);

  beforeAll(async () => {
    service = await startEmbedded(matchingService);
    service.app.get(MatchingRunJobs).configure({ chunkSize: 7, sweepMs: 200, leaseMs: 1500 });
    await seedFiles(service.runtime.store, 3, 120, 25);
  });
  afterAll(() => service.stop());

  /** The run's resource once it ended, and every phase seen on the way; /health/live answers throughout. */
  const untilEnded = async (runId: string) => {
    const phases: string[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await get(`/matching-runs/${runId}`);
      if (phases.at(-1) !== body.phase) phases.push(String(body.phase));
      if (body.status === 'completed' || body.status === 'failed') return { body, phases };
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
      if (Date.now() > deadline) throw new Error(`run ${runId} still ${String(body.phase)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('answers 202 with the run’s resource, which shows its phase and, at the end, its result', async () => {
    const started = await call(service.url, 'POST', '/matching-runs', admin, { runId: 'job-1', on: '2024-03-01' });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/matching-runs/job-1');
    expect(started.body).toMatchObject({ runId: 'job-1', status: 'requested', parameters: { on: '2024-03-01' } });
    const { body, phases } = await untilEnded('job-1');
    expect(phases.at(-1)).toBe('completed');
    expect(body).toMatchObject({
      status: 'completed',
      solution: { certificate: { optimal: true }, engine: expect.any(String), proposalsDigest: expect.any(String) },
    });
    const solution = body.solution as {
      objective: number;
      proposals: number;
      chunks: number;
      improvementOverGreedy: number;
    };
    expect(solution.objective).toBeGreaterThan(0);
    expect(solution.improvementOverGreedy).toBeGreaterThanOrEqual(0);
    expect(solution.chunks).toBe(Math.ceil(solution.proposals / 7));
    expect(JSON.stringify(body)).not.toContain('seekerId');

    // The same run again is refused; its proposals, page by page, are the run's, each seeker once.
    expect((await call(service.url, 'POST', '/matching-runs', admin, { runId: 'job-1' })).status).toBe(409);
    const seen: Array<{ seekerId: string; placementId: string }> = [];
    let path: string | undefined = '/matching-runs/job-1/proposals?limit=10';
    while (path) {
      const page = await get(path);
      expect(page.status).toBe(200);
      seen.push(...(page.body.proposals as typeof seen));
      const link = page.headers.get('link');
      path = page.body.next ? /<([^>]+)>/.exec(link ?? '')?.[1] : undefined;
    }
    expect(seen).toHaveLength(solution.proposals);
    expect(new Set(seen.map((p) => p.seekerId)).size).toBe(seen.length);

    const replay = await call(service.url, 'POST', '/matching-runs/job-1/replay', admin);
    expect(replay.body).toMatchObject({ sameInputs: true, sameResult: true, proposals: { chunksIntact: true } });
  });

  it('takes up by itself a run nobody runs, and one whose holder went quiet', async () => {
    const store = service.runtime.store;
    const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 10 };
    // Requested as a process would before dying, with no claim; and one claimed by a process that died.
    await handleWorkflow(store, [
      runStep('orphan', { type: 'RequestMatchingRun', data: { runId: 'orphan', parameters } }, meta('orphan')),
      runStep('stale', { type: 'RequestMatchingRun', data: { runId: 'stale', parameters } }, meta('stale')),
    ]);
    await store.db.query(
      `INSERT INTO ${RUN_JOBS_TABLE} (run_id, holder, phase, heartbeat_at) VALUES ('stale', 'dead:1', 'solving', now() - interval '1 hour')`,
    );
    expect((await untilEnded('orphan')).body.status).toBe('completed');
    const stale = await untilEnded('stale');
    expect(stale.body.status).toBe('completed');
    const { rows } = await store.db.query<{ attempts: number }>(
      `SELECT attempts FROM ${RUN_JOBS_TABLE} WHERE run_id = 'stale'`,
    );
    expect(rows[0]?.attempts).toBe(2);
  });

  it('lists the runs newest first, by keyset pages', async () => {
    const first = await get('/matching-runs?limit=2');
    expect(first.status).toBe(200);
    const runs = first.body.runs as Array<{ runId: string; status: string }>;
    expect(runs).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await get(`/matching-runs?limit=2&cursor=${String(first.body.next)}`);
    const all = [...runs, ...(second.body.runs as typeof runs)].map((r) => r.runId);
    expect(new Set(all).size).toBe(3);
    expect(all.sort()).toEqual(['job-1', 'orphan', 'stale']);
    expect((await get('/matching-runs?status=failed')).body.runs).toEqual([]);
    expect((await call(service.url, 'GET', '/matching-runs', officer('MA-10'))).status).toBe(403);
  });
});
