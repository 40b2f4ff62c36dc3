import { sampleValue, type RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded, tokenFor } from '@tashghil/testing';
import { matchingService } from '../service';

describe('the duration of each batch run on /metrics', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startEmbedded(matchingService);
  });
  afterAll(() => service.stop());

  const runs = async (): Promise<number | undefined> =>
    sampleValue(await (await fetch(`${service.url}/metrics`)).text(), 'matching_run_duration_seconds_count', {
      service: 'matching',
    });

  it('observes a run once it completed, and not a refused one', async () => {
    expect(await runs()).toBeUndefined();
    expect((await call(service.url, 'POST', '/matching-runs', officer('MA-10'), { runId: 'run-refused' })).status).toBe(
      403,
    );
    expect(await runs()).toBeUndefined();
    const admin = tokenFor({ sub: 'pipeline', roles: ['admin'] });
    const run = await call(service.url, 'POST', '/matching-runs', admin, { runId: 'run-timed', beta: 0.5 });
    expect(run.status).toBe(202);
    const deadline = Date.now() + 30_000;
    while ((await call(service.url, 'GET', '/matching-runs/run-timed', admin)).body.status !== 'completed') {
      if (Date.now() > deadline) throw new Error('the run did not complete');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await runs()).toBe(1);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(sampleValue(text, 'matching_run_duration_seconds_bucket', { service: 'matching', le: '+Inf' })).toBe(1);
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/matching-runs',
        status: '202',
      }),
    ).toBe(1);
  });
});
