import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openStore, PgliteSqlClient, testBackends, type TestDatabase } from '@tashghil/event-store';
import { listDeadLetters, MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import { REPORTING_MIGRATIONS, reportingService } from '@tashghil/reporting';
import { startService } from '@tashghil/service-kit';
import { tokenFor } from '@tashghil/testing';
import { EXIT, runOps, type OpsOptions } from './ops';
import { applied, CONSUMER, fix, setTargets, targetsService, until } from './ops-fixture.spec-helper';
import { progressTo } from './progress';

const silent = () => new Writable({ write: (_c, _e, done) => done() });

const run = async (env: NodeJS.ProcessEnv, options: OpsOptions, ...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOps(
    argv,
    env,
    (s) => out.push(s),
    (s) => err.push(s),
    { progress: progressTo({ isTTY: false, write: () => true }), ...options },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('tashghil ops in the embedded mode, on a stopped platform’s PGlite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tashghil-ops-'));
  const env = { TASHGHIL_DATA_DIR: dir };
  const ops = (...argv: string[]) => run(env, { service: targetsService }, ...argv);
  const withDb = async <T>(work: (db: PgliteSqlClient) => Promise<T>): Promise<T> => {
    const db = await PgliteSqlClient.open(dir);
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };
  let eventId = '';

  beforeAll(async () => {
    const service = await startService(
      targetsService,
      { TASHGHIL_MODE: 'embedded', TASHGHIL_DATA_DIR: dir, PORT: '0', TASHGHIL_DEMO: 'false', LOG_LEVEL: 'error' },
      { logDestination: silent() },
    );
    try {
      eventId = await setTargets(service.runtime.store);
      await until('the dead letter', async () =>
        (await listDeadLetters(service.runtime.db)).length > 0 ? true : undefined,
      );
    } finally {
      await service.stop();
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the dead letter, and replays it after the fix through the consumer started here, once', async () => {
    const listed = await ops('dead-letters', '--json');
    const [dead] = (JSON.parse(listed.out) as { deadLetters: Array<{ id: string; eventId: string; consumer: string }> })
      .deadLetters;
    expect(dead).toMatchObject({ eventId, consumer: CONSUMER });
    const id = dead?.id ?? '';

    // Still broken: the replay fails again and becomes a new dead letter naming the first. The bus
    // of this process numbers its offsets past the earlier run's, so the new row is kept, not dropped
    // on the first one's place.
    const early = await ops('replay', id);
    expect(early.code).toBe(EXIT.broken);
    expect(early.out).toMatch(
      new RegExp(`^#${id}: republished to tashghil.conventions .*: FAILED AGAIN: dead letter #(\\d+)$`, 'm'),
    );
    const again = /FAILED AGAIN: dead letter #(\d+)/.exec(early.out)?.[1] ?? '';
    expect(again).not.toBe(id);
    const waiting = (await ops('dead-letters')).out;
    expect(waiting).toMatch(new RegExp(`^#${again} .*\\(a replay of #${id}\\)`, 'm'));
    expect(waiting).not.toMatch(new RegExp(`^#${id} `, 'm'));
    const retry = again;

    await withDb(fix);
    const replayed = await ops('replay', retry);
    expect(replayed).toMatchObject({
      code: EXIT.ok,
      out: expect.stringMatching(
        new RegExp(`^#${retry}: republished to tashghil.conventions .*: applied by ${CONSUMER}$`),
      ),
    });
    expect(await withDb(applied)).toEqual([eventId]);
    expect((await ops('dead-letters')).out).toBe('no dead letters waiting');
    expect((await ops('replay', retry)).code).toBe(EXIT.broken);

    const consumers = await ops('consumers');
    expect(consumers.code).toBe(EXIT.ok);
    expect(consumers.out).toMatch(
      new RegExp(`^consumer ${CONSUMER}: 0 stored events not yet applied, 0 dead letters waiting$`, 'm'),
    );
    expect(consumers.out).toMatch(/^no broker \(embedded mode\)/m);
    expect(consumers.out).toMatch(/^relay conventions: at position 1 .*; 0 events behind$/m);
  });
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'tashghil ops rebuild, directly on the store (%s)',
  (_n, backend) => {
    let database: TestDatabase;
    const ops = (...argv: string[]) => run({}, { database: database.db }, ...argv);

    beforeAll(async () => {
      database = await backend.open();
      const store = await openStore(database, [...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS]);
      await setTargets(store);
    });
    afterAll(() => database.dispose());

    it('builds a generation, then rebuilds it with the same checksums, and says so', async () => {
      const first = await ops('rebuild', '--json');
      expect(first.code).toBe(EXIT.ok);
      const built = JSON.parse(first.out) as {
        schema: string;
        previous: string | null;
        events: number;
        before: unknown;
        after: Record<string, string>;
      };
      expect(built).toMatchObject({ via: 'direct', previous: null, before: null, events: 1 });
      const again = await ops('rebuild');
      expect(again.code).toBe(EXIT.ok);
      expect(again.out).toMatch(
        new RegExp(`^rebuilt here: reporting_g\\d+ from 1 events .*; it replaced ${built.schema}$`, 'm'),
      );
      expect(again.out).toMatch(/every table holds the same rows as before$/);
      expect(again.out).not.toMatch(/DIFFERS/);
    });

    it('refuses while a generation is being built, and asks for a token with --url', async () => {
      await database.db.query(
        `INSERT INTO reporting.generations (schema_name, layout, state) VALUES ('reporting_g999', 1, 'building')`,
      );
      const refused = await ops('rebuild');
      expect(refused).toMatchObject({
        code: EXIT.broken,
        err: expect.stringMatching(/^ops rebuild: generation reporting_g999 is being built .*add --force/),
      });
      expect(await ops('rebuild', '--url', 'http://127.0.0.1:3002')).toMatchObject({
        code: EXIT.usage,
        err: expect.stringMatching(/needs an admin token/),
      });
      await database.db.query(`DELETE FROM reporting.generations WHERE schema_name = 'reporting_g999'`);
    });
  },
);

describe('tashghil ops rebuild --url, through a running reporting service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tashghil-ops-rebuild-'));
  let service: Awaited<ReturnType<typeof startService>>;
  const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
  const ops = (...argv: string[]) => run({}, {}, ...argv);

  beforeAll(async () => {
    service = await startService(
      reportingService,
      { TASHGHIL_MODE: 'embedded', TASHGHIL_DATA_DIR: dir, PORT: '0', TASHGHIL_DEMO: 'false', LOG_LEVEL: 'error' },
      { logDestination: silent() },
    );
    await setTargets(service.runtime.store);
  }, 120_000);
  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the service’s rebuild job, follows it to its end, and compares the checksums', async () => {
    const live = (await (
      await fetch(`${service.url}/reports/read-model`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as { schema: string };
    const rebuilt = await ops('rebuild', '--url', service.url, '--token', admin, '--json');
    expect(rebuilt.code).toBe(EXIT.ok);
    const r = JSON.parse(rebuilt.out) as { schema: string; after: Record<string, string> };
    expect(r).toMatchObject({ via: 'http', previous: live.schema, schema: expect.stringMatching(/^reporting_g\d+$/) });
    expect(r.schema).not.toBe(live.schema);
    expect(Object.keys(r.after).length).toBeGreaterThan(0);
    const text = await ops('rebuild', '--url', service.url, '--token', admin);
    expect(text.out).toMatch(
      new RegExp(`^rebuilt by the reporting service: reporting_g\\d+ .*it replaced ${r.schema}$`, 'm'),
    );
  });

  it('exits 1 with the service’s answer when the token may not rebuild', async () => {
    const refused = await ops('rebuild', '--url', service.url, '--token', tokenFor({ sub: 'a', roles: ['auditor'] }));
    expect(refused).toMatchObject({
      code: EXIT.broken,
      err: expect.stringMatching(/^ops rebuild: POST \/reports\/read-model\/rebuild answered 403/),
    });
  });
});
