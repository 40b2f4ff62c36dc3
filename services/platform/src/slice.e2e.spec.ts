import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openServerDatabase, type TestDatabase } from '@tashghil/event-store';
import { call, draftBody, officer, waitForConvention } from './slice-checks';

const root = join(__dirname, '../../..');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

const startProcess = (service: string, port: number, databaseUrl: string): ChildProcess =>
  spawn(process.execPath, ['-r', '@swc-node/register', join(root, `services/${service}/src/main.ts`)], {
    cwd: root,
    env: {
      ...process.env, TASHGHIL_MODE: 'distributed', DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', PORT: String(port), LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

const waitReady = async (base: string, ms = 60_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base} did not become ready`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('the slice in the distributed mode: two processes, the PostgreSQL server and Kafka', () => {
  let database: TestDatabase;
  const processes: ChildProcess[] = [];
  let conventions = '';
  let reporting = '';

  beforeAll(async () => {
    database = await openServerDatabase();
    const [p1, p2] = [await freePort(), await freePort()];
    processes.push(startProcess('conventions', p1, database.url ?? ''), startProcess('reporting', p2, database.url ?? ''));
    conventions = `http://127.0.0.1:${p1}`;
    reporting = `http://127.0.0.1:${p2}`;
    await Promise.all([waitReady(conventions), waitReady(reporting)]);
  });
  afterAll(async () => {
    for (const p of processes) {
      p.kill('SIGTERM');
      await new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));
    }
    await database.dispose();
  });

  it('carries a drafted convention from the conventions service to the reporting service through Kafka', async () => {
    const token = officer('MA-10');
    const created = await call(conventions, 'POST', '/conventions', token, draftBody('guelmim-2025', 'MA-10'));
    expect(created.status).toBe(201);
    await waitForConvention(reporting, token, 'MA-10', 'guelmim-2025', 60_000);
    const again = await call(conventions, 'POST', '/conventions', token, draftBody('guelmim-2025', 'MA-10'));
    expect(again).toMatchObject({ status: 409, body: { code: 'CONVENTION_ALREADY_EXISTS' } });
    const bad = await call(conventions, 'POST', '/conventions', token, { ...draftBody('guelmim-2026', 'MA-10'), region: 'MA-16' });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ path: 'region' }] } });
    const other = await call(conventions, 'POST', '/conventions', officer('MA-01'), draftBody('guelmim-2026', 'MA-10'));
    expect(other.status).toBe(403);
    const { rows } = await database.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM msg.inbox WHERE consumer = 'reporting'`);
    expect(rows[0]?.n).toBe('1');
  });

  it('reports the database and the broker as ready on each service', async () => {
    for (const base of [conventions, reporting]) {
      const ready = await call(base, 'GET', '/health/ready');
      expect(ready.body).toEqual({ status: 'ready', checks: { database: 'up', broker: 'up' } });
    }
  });
});
