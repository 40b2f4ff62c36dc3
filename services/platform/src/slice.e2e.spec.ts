import type { ChildProcess } from 'node:child_process';
import {
  freePort,
  openServerDatabase,
  spawnService,
  stopProcess,
  waitReady,
  type TestDatabase,
} from '@tashghil/testing';
import { call, draftBody, officer, waitForConvention } from './slice-checks';

describe('the slice in the distributed mode: two processes, the PostgreSQL server and Kafka', () => {
  let database: TestDatabase;
  const processes: ChildProcess[] = [];
  let conventions = '';
  let reporting = '';

  beforeAll(async () => {
    database = await openServerDatabase();
    const [p1, p2] = [await freePort(), await freePort()];
    // A topic prefix of its own keeps this run from reading what earlier runs left on the broker.
    const env = { KAFKA_TOPIC_PREFIX: `slice-${Date.now()}.` };
    processes.push(
      spawnService('conventions', p1, database.url ?? '', env),
      spawnService('reporting', p2, database.url ?? '', env),
    );
    conventions = `http://127.0.0.1:${p1}`;
    reporting = `http://127.0.0.1:${p2}`;
    await Promise.all([waitReady(conventions), waitReady(reporting)]);
  });
  afterAll(async () => {
    for (const p of processes) await stopProcess(p);
    await database.dispose();
  });

  it('carries a drafted convention from the conventions service to the reporting service through Kafka', async () => {
    const token = officer('MA-10');
    const created = await call(conventions, 'POST', '/conventions', token, draftBody('guelmim-2025', 'MA-10'));
    expect(created.status).toBe(201);
    await waitForConvention(reporting, token, 'MA-10', 'guelmim-2025', 60_000);
    const again = await call(conventions, 'POST', '/conventions', token, draftBody('guelmim-2025', 'MA-10'));
    expect(again).toMatchObject({ status: 409, body: { code: 'CONVENTION_ALREADY_EXISTS' } });
    const bad = await call(conventions, 'POST', '/conventions', token, {
      ...draftBody('guelmim-2026', 'MA-10'),
      region: 'MA-16',
    });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ path: 'region' }] } });
    const other = await call(conventions, 'POST', '/conventions', officer('MA-01'), draftBody('guelmim-2026', 'MA-10'));
    expect(other.status).toBe(403);
    const { rows } = await database.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM msg.inbox WHERE consumer = 'reporting'`,
    );
    expect(rows[0]?.n).toBe('1');
  });

  it('reports the database and the broker as ready on each service, and the read model on reporting', async () => {
    const checks = { database: 'up', broker: 'up', projection: 'up' };
    expect((await call(conventions, 'GET', '/health/ready')).body).toEqual({ status: 'ready', checks });
    expect((await call(reporting, 'GET', '/health/ready')).body).toEqual({
      status: 'ready',
      checks: { ...checks, read_model: 'up' },
    });
  });
});
