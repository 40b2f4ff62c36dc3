import type { ChildProcess } from 'node:child_process';
import {
  call,
  freePort,
  openServerDatabase,
  spawnService,
  stopProcess,
  tokenFor,
  waitReady,
  type TestDatabase,
} from '@tashghil/testing';

const admin = tokenFor({ sub: 'admin-e2e', roles: ['admin'] });
const committee = (region: string) => tokenFor({ sub: `committee-${region}`, roles: ['committee'], region });

const until = async <T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe('the committee report in the distributed mode: conventions and reporting processes, PostgreSQL and Kafka', () => {
  let database: TestDatabase;
  const processes: ChildProcess[] = [];
  let conventions = '';
  let reporting = '';

  beforeAll(async () => {
    database = await openServerDatabase();
    const [p1, p2] = [await freePort(), await freePort()];
    const env = { KAFKA_TOPIC_PREFIX: `report-${Date.now()}.` };
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

  it('projects targets set in the conventions service, and a rebuild from the store gives the same tables', async () => {
    const set = await call(conventions, 'PUT', '/programme-targets/MA-10/awrach/2022', admin, {
      components: [
        { component: 'temporary_works', targetJobs: 3_800 },
        { component: 'lasting_integration', targetJobs: 1_000, budgetCentimes: 2_700_000_000 },
      ],
      reference: 'Comité régional du 22 avril 2022',
      effectiveDate: '2022-04-22',
    });
    expect(set.status).toBe(201);
    const report = await until(async () => {
      const r = await call(reporting, 'GET', '/reports/committee?region=MA-10', committee('MA-10'));
      const targets = r.body.targets as { line: string; targetJobs: number }[] | undefined;
      return targets && targets.length === 2 ? r.body : undefined;
    });
    expect(report.targets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 'temporary_works', targetJobs: 3_800, achievedJobs: 0 }),
        expect.objectContaining({ line: 'lasting_integration', targetJobs: 1_000 }),
      ]),
    );
    expect(report.budget).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 'lasting_integration',
          budgetCentimes: 2_700_000_000,
          committedCentimes: 0,
          releasedCentimes: 0,
        }),
      ]),
    );
    // Nobody counted yet, and the report says on what basis it would count them.
    expect(report.beneficiaries).toMatchObject({ total: 0, byComponent: [], basis: { counted: [], hiresLeftOut: 0 } });
    expect(report.beneficiaries).toMatchObject({ basis: { rule: { ar: expect.stringMatching(/[\u0600-\u06ff]/) } } });

    const live = await call(reporting, 'GET', '/reports/read-model', admin);
    expect(live.status).toBe(200);
    // A rebuild is a job: 202 at once, then its status resource until it is done.
    const started = await call(reporting, 'POST', '/reports/read-model/rebuild', admin);
    expect(started).toMatchObject({ status: 202, body: { state: 'running' } });
    const job = `/reports/read-model/rebuilds/${String(started.body.id)}`;
    const rebuilt = await until(async () => {
      const r = await call(reporting, 'GET', job, admin);
      return r.body.state === 'running' ? undefined : r.body;
    });
    expect(rebuilt).toMatchObject({ state: 'done', result: { previous: live.body.schema } });
    expect((rebuilt.result as { checksums: unknown }).checksums).toEqual(live.body.checksums);
    const after = await call(reporting, 'GET', '/reports/committee?region=MA-10', committee('MA-10'));
    expect(after.body.targets).toEqual(report.targets);
  });

  it('exports the same report as CSV and as a PDF pack', async () => {
    const get = (path: string) =>
      fetch(`${reporting}${path}`, { headers: { authorization: `Bearer ${committee('MA-10')}` } });
    const csv = await get('/reports/committee.csv?region=MA-10');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('rapport-MA-10-live.csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('section,region,item,detail,measure,value');
    expect(text).toMatch(/temporary_works.*,3800\r\n/);
    const pdf = await get('/reports/committee.pdf?region=MA-10');
    expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const arabic = await get('/reports/committee.pdf?region=MA-10&lang=ar');
    expect(arabic.status).toBe(200);
    expect(arabic.headers.get('content-disposition')).toContain('rapport-MA-10-live-ar.pdf');
    expect(Buffer.from(await arabic.arrayBuffer()).toString('latin1')).toContain('/Lang (ar-MA)');
    expect((await get('/reports/committee.pdf?region=MA-10&lang=en')).status).toBe(400);
    expect((await get('/reports/committee.csv?region=MA-09')).status).toBe(403);
  });

  it('answers the report as of a day before the targets with none of them', async () => {
    const r = await call(reporting, 'GET', '/reports/committee?region=MA-10&asOf=2000-01-01', committee('MA-10'));
    expect(r).toMatchObject({
      status: 200,
      body: { asOf: '2000-01-01', targets: [], basis: { kind: 'as_of', events: 0 } },
    });
  });

  it('keeps each region to its own report, the national one to auditors, and names bad fields', async () => {
    expect((await call(reporting, 'GET', '/reports/committee?region=MA-09', committee('MA-10'))).status).toBe(403);
    expect((await call(reporting, 'GET', '/reports/committee', committee('MA-10'))).body).toMatchObject({
      scope: { region: 'MA-10' },
    });
    expect(
      (await call(reporting, 'GET', '/reports/committee', tokenFor({ sub: 'a', roles: ['auditor'] }))).body,
    ).toMatchObject({ scope: { region: null } });
    expect((await call(reporting, 'GET', '/reports/committee')).status).toBe(401);
    expect(
      (await call(reporting, 'POST', '/reports/read-model/rebuild', tokenFor({ sub: 'a', roles: ['auditor'] }))).status,
    ).toBe(403);
    const bad = await call(reporting, 'GET', '/reports/committee?region=MA-16&asOf=2022-13-01', admin);
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['asOf', 'region']);
  });
});
