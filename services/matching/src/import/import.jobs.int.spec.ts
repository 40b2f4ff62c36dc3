import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, testBackends, type TestDatabase } from '@tashghil/event-store';
import { startService, type RunningService } from '@tashghil/service-kit';
import { officer, tokenFor } from '@tashghil/testing';
import { matchingService } from '../service';
import { SYNC_ROWS } from './import.controller';
import { importStreamId } from './import.decider';
import { ImportJobs } from './import.jobs';

const HEADER =
  'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email';
const fileOf = (tag: string, rows: number, bad?: number): string =>
  [
    HEADER,
    ...Array.from(
      { length: rows },
      (_, i) =>
        `${tag}-${i},2021-02-01,MA-09,Tiznit,female,${i === bad ? '1995-02-30' : '1995-05-05'},vocational,,7231,` +
        `diagnostic|mécanique,ar|fr,non,oui,rural,own_region,"Personne, fictive ${i}",ZZ${100_000 + i},,`,
    ),
  ].join('\n');
const ROWS = SYNC_ROWS + 500;

interface ImportView {
  readonly importId: string;
  readonly status: string;
  readonly rowsDone: number;
  readonly rowsTotal: number;
  readonly rowsToImport: number;
}

describe.each(testBackends().map((b) => [b.name, b] as const))('a large CSV import, on %s', (_n, backend) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-import-'));
  let database: TestDatabase | undefined;
  let service: RunningService;
  const token = officer('MA-09');
  const post = (csv: string, key: string) =>
    fetch(`${service.url}/imports/seekers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'idempotency-key': key },
      body: csv,
    }).then(async (r) => ({
      status: r.status,
      location: r.headers.get('location'),
      body: (await r.json()) as ImportView & Record<string, unknown>,
    }));
  const follow = (id: string, bearer = token) =>
    fetch(`${service.url}/imports/${id}`, { headers: { authorization: `Bearer ${bearer}` } }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as ImportView & Record<string, unknown>,
    }));
  const settled = async (id: string): Promise<ImportView> => {
    for (;;) {
      const { body } = await follow(id);
      if (body.status !== 'running') return body;
      await sleep(100);
    }
  };
  const stored = async (tag: string) => {
    const { rows } = await service.runtime.db.query<{ events: string; streams: string }>(
      `SELECT count(*)::text AS events, count(DISTINCT stream_id)::text AS streams FROM es.events
        WHERE category = 'matching.seeker' AND stream_id LIKE $1`,
      [`matching.seeker-${tag}-%`],
    );
    return { events: Number(rows[0]?.events), streams: Number(rows[0]?.streams) };
  };

  beforeAll(async () => {
    if (backend.name === 'postgres') database = await backend.open();
    service = await startService(matchingService, {
      TASHGHIL_MODE: 'embedded',
      TASHGHIL_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      MATCHING_STREAMING: 'false',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    });
  });
  afterAll(async () => {
    await service.stop();
    await database?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => service.app.get(ImportJobs).configure({ stopAfterChunks: undefined }));

  it('answers 202 with an import resource, and completes off the request', async () => {
    const answer = await post(fileOf('async-a', ROWS), 'async-a');
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'running', rowsTotal: ROWS, rowsToImport: ROWS, skipped: [] });
    expect(answer.location).toBe(`/imports/${answer.body.importId}`);
    expect(await settled(answer.body.importId)).toMatchObject({ status: 'completed', rowsDone: ROWS });
    expect(await stored('async-a')).toEqual({ events: ROWS, streams: ROWS });
    // The same file under the same key is the same import, done: nothing more is written.
    const again = await post(fileOf('async-a', ROWS), 'async-a');
    expect(again).toMatchObject({ status: 200, body: { importId: answer.body.importId, status: 'completed' } });
    expect(await stored('async-a')).toEqual({ events: ROWS, streams: ROWS });
  });

  it('resumes an interrupted import when the file is sent again with its key, writing each seeker once', async () => {
    service.app.get(ImportJobs).configure({ stopAfterChunks: 2 });
    const csv = fileOf('async-b', ROWS);
    const first = await post(csv, 'async-b');
    expect(first.status).toBe(202);
    const stopped = await settled(first.body.importId);
    expect(stopped.status).toBe('interrupted');
    expect(stopped.rowsDone).toBeGreaterThan(0);
    expect(stopped.rowsDone).toBeLessThan(ROWS);
    expect(await stored('async-b')).toEqual({ events: stopped.rowsDone, streams: stopped.rowsDone });

    service.app.get(ImportJobs).configure({ stopAfterChunks: undefined });
    const resumed = await post(csv, 'async-b');
    expect(resumed).toMatchObject({ status: 202, body: { importId: first.body.importId } });
    expect(await settled(first.body.importId)).toMatchObject({ status: 'completed', rowsDone: ROWS });
    expect(await stored('async-b')).toEqual({ events: ROWS, streams: ROWS });
    const history = await service.runtime.store.readStream(importStreamId(first.body.importId));
    const resumption = history.find((e) => e.type === 'ImportResumed');
    expect(resumption?.data).toMatchObject({ alreadyDone: stopped.rowsDone, rowsToImport: ROWS });
  });

  it('stores nothing from a large file with a bad row, and refuses the same key with another file', async () => {
    const refused = await post(fileOf('async-c', ROWS, 1_700), 'async-c');
    expect(refused).toMatchObject({ status: 400, body: { code: 'IMPORT_REJECTED' } });
    expect((refused.body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['line 1702: birthDate']);
    expect(await stored('async-c')).toEqual({ events: 0, streams: 0 });

    const other = await post(fileOf('async-d', ROWS), 'async-a');
    expect(other).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await stored('async-d')).toEqual({ events: 0, streams: 0 });
  });

  it('shows an import to the regions it wrote to, and to no other', async () => {
    const answer = await post(fileOf('async-e', ROWS), 'async-e');
    await settled(answer.body.importId);
    expect((await follow(answer.body.importId, officer('MA-04'))).status).toBe(403);
    expect((await follow(answer.body.importId, tokenFor({ sub: 'a', roles: ['auditor'] }))).status).toBe(200);
    expect((await follow(`seeker-${'0'.repeat(32)}`)).status).toBe(404);
    expect((await follow('not-an-import')).status).toBe(400);
  });
});
