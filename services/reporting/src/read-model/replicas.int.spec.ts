import { randomUUID } from 'node:crypto';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EVENT_STORE, openStore, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import { LOGGER, READINESS, ReadinessModule, type Readiness } from '@tashghil/service-kit';
import pino from 'pino';
import { REPORTING_MIGRATIONS } from '../migrations';
import { ReportController } from '../report/report.controller';
import { generatedHistory } from './generated-history.fixture';
import { ReadModelBuilder, READ_MODEL_POLL_MS } from './read-model-builder';
import { RebuildJobs } from './rebuild-jobs';

/**
 * Two reporting replicas started together on one database, each a Nest app of its own with its
 * own store client: both come up at once (neither waits for a build to start), exactly one builds,
 * the other says whom it waits for, and then both serve the same report.
 */
describe.each(testBackends().map((b) => [b.name, b] as const))('two reporting replicas on %s', (_n, backend) => {
  let database: TestDatabase;
  const apps: INestApplication[] = [];
  const built: string[] = [];
  let now = new Date('2022-01-01T00:00:00.000Z');

  const replica = async (name: string): Promise<INestApplication> => {
    const store: EventStore = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS]);
    const log = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          if (line.includes('read model built from the store')) built.push(name);
        },
      },
    );
    @Global()
    @Module({
      imports: [ReadinessModule],
      controllers: [ReportController],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: LOGGER, useValue: log },
        { provide: READ_MODEL_POLL_MS, useValue: 100 },
        ReadModelBuilder,
        RebuildJobs,
      ],
    })
    class ReplicaModule {}
    const app = await NestFactory.create(ReplicaModule, { logger: false });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    database = await backend.open();
    const store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS], { clock: () => now });
    for (const e of generatedHistory(3, 8)) {
      now = new Date(e.at);
      await store.append(e.streamId, [{ eventId: randomUUID(), type: e.type, data: e.data }]);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database.dispose();
  });

  it('both start at once, one builds while the other waits, and both serve', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    await Promise.all([a.init(), b.init()]);
    const readiness = (app: INestApplication) => app.get<Readiness>(READINESS).run();
    // Started, not yet ready: each says why.
    for (const app of [a, b]) expect((await readiness(app)).read_model).toMatch(/^down: /);
    await Promise.all([a.get(ReadModelBuilder).ready(), b.get(ReadModelBuilder).ready()]);
    expect(built).toHaveLength(1);
    const { rows } = await database.db.query<{ id: number; state: string }>(
      `SELECT id, state FROM reporting.generations ORDER BY id`,
    );
    expect(rows).toEqual([{ id: 1, state: 'active' }]);
    for (const app of [a, b]) expect(await readiness(app)).toEqual({ read_model: 'up' });
    const [ra, rb] = await Promise.all([
      a.get(ReportController).report('MA-10', undefined),
      b.get(ReportController).report('MA-10', undefined),
    ]);
    expect(ra.basis.events).toBeGreaterThan(500);
    const { generatedAt: _a, ...fa } = ra;
    const { generatedAt: _b, ...fb } = rb;
    expect(fa).toEqual(fb);
  });

  it('runs a manual rebuild as a job, refuses a second while it runs, and reports on it from either replica', async () => {
    const [a, b] = apps;
    if (!a || !b) throw new Error('the replicas did not start');
    const jobs = a.get(RebuildJobs);
    const job = await jobs.start('admin-1');
    expect(job).toMatchObject({ state: 'running', requestedBy: 'admin-1' });
    await expect(b.get(RebuildJobs).start('admin-2')).rejects.toMatchObject({ code: 'READ_MODEL_BUILD_RUNNING' });
    await jobs.settled();
    const done = await b.get(RebuildJobs).get(job.id);
    expect(done).toMatchObject({ state: 'done', result: { previous: 'reporting_g1', schema: 'reporting_g2' } });
    expect(done.done).toBe(done.total);
    await expect(b.get(RebuildJobs).get(randomUUID())).rejects.toMatchObject({ code: 'REBUILD_NOT_FOUND' });
    // The retired generation is gone once no reader can be in it.
    const { rows } = await database.db.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname ~ '^reporting_g[0-9]+$' ORDER BY 1`,
    );
    expect(rows.map((r) => r.nspname)).toEqual(['reporting_g2']);
  });

  it('never drops a build under a live lease, and fences a build whose lease was taken over', async () => {
    const [a] = apps;
    if (!a) throw new Error('the replicas did not start');
    const store = a.get<EventStore>(EVENT_STORE);
    const { acquireBuildLease, releaseBuildLease } = await import('./build-lease');
    const { rebuild } = await import('./generations');
    const first = await acquireBuildLease(store.db, 'stalled');
    if (!first) throw new Error('the lease was not free');
    await expect(rebuild(store)).rejects.toMatchObject({ code: 'READ_MODEL_BUILD_RUNNING' });
    // The stalled holder's lease runs out; another takes it, and the stalled one can no longer switch.
    await store.db.query(`UPDATE reporting.build_lease SET expires_at = now() - interval '1 second'`);
    const second = await acquireBuildLease(store.db, 'taker');
    expect(second?.token).toBe((first.token ?? 0) + 1);
    await expect(rebuild(store, { lease: first })).rejects.toMatchObject({ code: 'READ_MODEL_LEASE_LOST' });
    if (second) await releaseBuildLease(store.db, second);
    const { rows } = await store.db.query(`SELECT 1 FROM reporting.generations WHERE state = 'building'`);
    expect(rows).toEqual([]);
  });
});
