import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '@tashghil/service-kit';
import { call, tokenFor } from '@tashghil/testing';
import fc from 'fast-check';
import {
  followJob,
  operationsOf,
  problemFault,
  requestFor,
  send,
  type Answer,
  type FuzzRequest,
  type Operation,
} from './http-fuzz.spec-helper';
import { mutate, type Schema } from './json-schema-values.spec-helper';
import { platformService } from './service';

/** Cases per operation; TASHGHIL_FUZZ_RUNS=200 for a longer hunt, TASHGHIL_FUZZ_SEED to replay a failure's seed. */
const RUNS = Number(process.env.TASHGHIL_FUZZ_RUNS ?? 20);
const SEED = process.env.TASHGHIL_FUZZ_SEED ? { seed: Number(process.env.TASHGHIL_FUZZ_SEED) } : {};

type Seed = readonly [method: string, path: string, body: Record<string, unknown> | null];
/**
 * A small world, so that generated requests naming its ids reach the deciders and not only a 404;
 * the same one infra/fuzz/schemathesis.sh seeds.
 */
const SEEDS = JSON.parse(readFileSync(join(__dirname, '../../../infra/fuzz/seeds.json'), 'utf8')) as readonly Seed[];
const seedBody = (path: string): Record<string, unknown> => SEEDS.find(([, p]) => p === path)?.[2] ?? {};

/** Valid bodies for the commands the seeds do not cover; the seeds' own bodies serve for theirs. */
const EXAMPLES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  [
    'PATCH /conventions/{id}',
    {
      title: 'Convention fuzz modifiée',
      period: { start: '2022-01-01', end: '2024-12-31' },
      legalBasis: ['Loi 47-18'],
    },
  ],
  [
    'PATCH /conventions/{id}/measures/{measureId}',
    {
      label: 'Chantiers',
      target: { total: 120, byYear: { 2022: 60, 2023: 60 } },
      budget: { stateCentimes: 5_000, regionCentimes: 1_000 },
    },
  ],
  [
    'POST /conventions/{id}/signatures',
    { role: 'wali', partyId: 'wilaya', signatory: 'Le Wali', date: '2022-02-01', place: 'Guelmim' },
  ],
  [
    'POST /conventions/{id}/amendments',
    {
      effectiveDate: '2022-06-01',
      reason: 'revue',
      period: { start: '2022-01-01', end: '2024-12-31' },
      measures: [{ measureId: 'fuzz-measure', target: { total: 150 } }],
    },
  ],
  ['POST /conventions/{id}/close', { date: '2023-12-31', reason: 'terme' }],
  [
    'PUT /committees/{id}/members',
    {
      chair: { name: 'Le Wali', role: 'chair' },
      secretary: { name: 'ANAPEC', role: 'secretary' },
      members: [{ name: 'Région', role: 'member', organisation: 'Conseil' }],
    },
  ],
  ['POST /seekers/{id}/withdraw', { reason: 'a trouvé un emploi' }],
  ['POST /seekers/{id}/erase', { reason: 'demande de la personne' }],
  ['POST /offers/{id}/reject', { reason: 'incomplète' }],
  ['POST /offers/{id}/close', { reason: 'pourvue' }],
  ['POST /placements/{id}/answer', { accepted: true, reason: 'ok' }],
  ['POST /placements/{id}/interview', { date: '2022-06-10' }],
  [
    'POST /placements/{id}/hire',
    { contractType: 'permanent', startDate: '2022-07-01', contractMonths: 24, monthlyWageCentimes: 300_000 },
  ],
  ['POST /placements/{id}/reject', { reason: 'a refusé' }],
  ['POST /parameters/{name}/values', { effectiveFrom: '2023-01-01', value: 1_650, reference: 'Décret 2-23-xxx' }],
  [
    'POST /schemes/{id}/eligibility',
    {
      stage: 'hire',
      on: '2022-06-01',
      facts: {
        'person.monthsRegistered': 14,
        'employer.kind': 'company',
        'contract.months': 24,
        'person.pandemicJobLoss': true,
      },
    },
  ],
  [
    'POST /grants/{id}/decision',
    { outcome: 'approved', decisionNumber: 'CRS-9', date: '2022-06-01', committeeId: 'fuzz-committee' },
  ],
  ['POST /grants/{id}/cnss-declarations', { months: [{ month: '2022-06', days: 26, wageCentimes: 300_000 }] }],
  ['POST /grants/{id}/payments', { month: '2022-06', paidOn: '2022-07-10' }],
  ['POST /grants/{id}/contract-end', { lastDay: '2022-09-15', reason: 'démission' }],
  [
    'POST /works-projects/{id}/decision',
    { outcome: 'approved', decisionNumber: 'CRS-2', date: '2022-04-22', committeeId: 'fuzz-committee' },
  ],
  ['POST /works-projects/{id}/launch', { on: '2022-05-02' }],
  [
    'POST /works-projects/{id}/beneficiaries',
    {
      beneficiaryId: 'fuzz-beneficiary',
      source: 'direct',
      identity: { fullName: 'Ahmed Ait', cin: 'JB1234' },
      on: '2022-05-02',
      monthlyWageCentimes: 300_000,
      categories: {
        gender: 'male',
        ageBand: '25_34',
        disability: false,
        hasDiploma: false,
        area: 'rural',
        longTermUnemployed: true,
      },
    },
  ],
  ['POST /works-projects/{id}/payroll', { month: '2022-05', lines: [{ beneficiaryId: 'fuzz-beneficiary', days: 20 }] }],
  ['POST /works-projects/{id}/completion', { on: '2022-07-31' }],
  // The CSV imports: one row, by column.
  [
    'POST /imports/seekers',
    {
      seekerId: '',
      registeredOn: '2021-01-10',
      region: 'MA-10',
      province: 'Guelmim',
      gender: 'female',
      birthDate: '1995-05-01',
      education: 'licence',
      diploma: '',
      occupations: '6111|9312',
      skills: 'irrigation',
      languages: 'ar|fr',
      disability: 'false',
      pandemicJobLoss: 'true',
      area: 'rural',
      mobility: 'own_region',
      fullName: 'Fatima Zahra',
      cin: 'JK123456',
      phone: '',
      email: '',
    },
  ],
  [
    'POST /imports/offers',
    {
      offerId: '',
      employerKind: 'company',
      employerId: 'emp-1',
      employerName: 'Ferme Oued Noun',
      sector: 'agriculture',
      region: 'MA-10',
      province: 'Guelmim',
      abroadCountry: '',
      occupation: '6111',
      positions: '2',
      requiredEducation: 'none',
      skills: 'irrigation',
      contractType: 'permanent',
      mass: 'false',
      validUntil: '2030-12-31',
    },
  ],
];

/** The ids that exist for each path parameter, by the path's first segment and the parameter's name. */
const KNOWN: Readonly<Record<string, readonly string[]>> = {
  conventions: ['fuzz-convention'],
  committees: ['fuzz-committee'],
  seekers: ['fuzz-seeker'],
  offers: ['fuzz-offer'],
  'works-projects': ['fuzz-works'],
  grants: ['fuzz-grant'],
  parameters: ['smig.hourly', 'awrach1.grant_monthly', 'cnss.capped_salary'],
  schemes: ['awrach-1', 'awrach-2', 'awrach-works'],
  'matching-runs': ['fuzz-run'],
  region: ['MA-10', 'MA-09'],
  programme: ['awrach'],
  year: ['2022', '2023'],
  partyId: ['wilaya'],
  measureId: ['fuzz-measure'],
  meetingId: ['fuzz-meeting'],
  decisionNumber: ['CRS-1'],
};
const placements: string[] = [];
/** The jobs started so far (a rebuild's, an import's), by their resource's collection. */
const jobs = new Map<string, string[]>();
const noteJob = (location: string): void => {
  const collection = location.slice(0, location.lastIndexOf('/'));
  jobs.set(collection, [...(jobs.get(collection) ?? []), location.slice(location.lastIndexOf('/') + 1)]);
};
const examples = new Map<string, Record<string, unknown>>([
  ...EXAMPLES,
  ...SEEDS.filter(([, , body]) => body !== null).map(
    ([method, path, body]) =>
      [
        `${method} ${path.replace(/\/fuzz-[a-z]+/g, '/{id}').replace('/MA-10/awrach/2022', '/{region}/{programme}/{year}')}`,
        body ?? {},
      ] as const,
  ),
]);
const knownFor = (path: string, name: string): readonly string[] => {
  if (path.startsWith('/placements')) return placements;
  const job = jobs.get(path.slice(0, path.lastIndexOf('/')));
  if (job) return job;
  return KNOWN[name] ?? KNOWN[path.split('/')[1] ?? ''] ?? [];
};

/** Each string of an example body whose schema limits its length (an array's first item stands for all). */
const limitedStrings = (
  schema: Schema | undefined,
  value: unknown,
  path: readonly string[] = [],
): Array<{ path: readonly string[]; max: number }> => {
  if (!schema) return [];
  if (typeof value === 'string')
    return schema.type === 'string' && typeof schema.maxLength === 'number' ? [{ path, max: schema.maxLength }] : [];
  if (Array.isArray(value)) return value.length > 0 ? limitedStrings(schema.items, value[0], [...path, '0']) : [];
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => limitedStrings(schema.properties?.[key], v, [...path, key]));
  return [];
};

describe('every HTTP operation the platform documents, on generated requests', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-http-fuzz-'));
  const env = {
    TASHGHIL_MODE: 'embedded',
    TASHGHIL_DATA_DIR: dataDir,
    PORT: '0',
    TASHGHIL_DEMO: 'false',
    // Streaming proposals would append in the background after each published offer.
    MATCHING_STREAMING: 'false',
    // TASHGHIL_FUZZ_LOG=error shows the cause of a 5xx the fuzz finds.
    LOG_LEVEL: process.env.TASHGHIL_FUZZ_LOG ?? 'silent',
  };
  const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
  const tally = new Map<string, Record<string, number>>();
  let service: RunningService;
  let operations: Operation[] = [];

  const storeMark = async (): Promise<string> => {
    const { rows } = await service.runtime.db.query<{ n: string; last: string | null }>(
      `SELECT count(*)::text AS n, max(global_position)::text AS last FROM es.events`,
    );
    return `${rows[0]?.n ?? '?'}@${rows[0]?.last ?? 'none'}`;
  };

  /** After a write, the consumers it woke may append too; the next refused request must not see their events. */
  const settle = async (): Promise<void> => {
    let last = await storeMark();
    for (let stable = 0, i = 0; stable < 6 && i < 100; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await storeMark();
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
  };

  beforeAll(async () => {
    service = await startService(platformService, env);
    const doc = await call(service.url, 'GET', '/docs/openapi.json', admin);
    operations = operationsOf(doc.body as unknown as Parameters<typeof operationsOf>[0]);
    for (const [method, path, body] of SEEDS) {
      const answer = await call(service.url, method, path, admin, body ?? undefined);
      if (answer.status >= 300)
        throw new Error(`seed ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      if (path === '/placements') placements.push(String(answer.body.placementId));
      // The batch run is a job: the seeds after it find it ended, as the fuzzing does.
      const location = answer.headers.get('location');
      if (answer.status === 202 && location) await followJob(service.url, location, admin);
    }
    await settle();
  }, 180_000);

  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (process.env.TASHGHIL_FUZZ_REPORT)
      writeFileSync(process.env.TASHGHIL_FUZZ_REPORT, JSON.stringify(Object.fromEntries(tally), null, 1));
  });

  const describeAnswer = (r: FuzzRequest, a: Answer): string =>
    `${r.method} ${r.path.slice(0, 300)} [${r.headers['content-type'] ?? '-'}] ${(r.body?.text ?? '').slice(0, 300)} → ${a.status} ${a.contentType} ${a.text.slice(0, 300)}`;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(service.url, 'POST', path, admin, body, headers);

  it('answers an Idempotency-Key reused for another request with 422, and stores nothing', async () => {
    const draft = (conventionId: string) => ({
      conventionId,
      region: 'MA-10',
      title: `Convention ${conventionId}`,
      period: { start: '2022-01-01', end: '2022-12-31' },
    });
    expect((await post('/conventions', draft('pinned-key-a'), { 'idempotency-key': 'pinned-key' })).status).toBe(201);
    expect((await post('/conventions', draft('pinned-key-a'), { 'idempotency-key': 'pinned-key' })).status).toBe(201);
    const before = await storeMark();
    const reused = await post(
      '/committees',
      { ...seedBody('/committees'), committeeId: 'pinned-key-b' },
      { 'idempotency-key': 'pinned-key' },
    );
    expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect((await post('/conventions', draft('pinned-key-c'), { 'idempotency-key': 'pinned-key' })).body).toMatchObject(
      { code: 'IDEMPOTENCY_KEY_REUSED' },
    );
    expect(await storeMark()).toBe(before);
  });

  it("refuses the whole hire, storing nothing, when the seeker's file refuses it", async () => {
    const seeker = { ...seedBody('/seekers'), seekerId: 'pinned-erased', cin: 'JK654321' };
    const offer = { ...seedBody('/offers'), offerId: 'pinned-offer' };
    for (const [path, body] of [
      ['/seekers', seeker],
      ['/offers', offer],
      ['/offers/pinned-offer/validate', undefined],
      ['/offers/pinned-offer/publish', undefined],
    ] as const) {
      expect((await post(path, body)).status).toBeLessThan(300);
    }
    const { body: proposed } = await post('/placements', { seekerId: 'pinned-erased', offerId: 'pinned-offer' });
    const id = String(proposed.placementId);
    expect((await post(`/placements/${id}/answer`, { accepted: true })).status).toBe(200);
    const inDays = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    expect((await post(`/placements/${id}/interview`, { date: inDays(2) })).status).toBe(200);
    expect((await post('/seekers/pinned-erased/erase', { reason: 'demande de la personne' })).status).toBeLessThan(300);
    await settle();
    const before = await storeMark();
    const hire = await post(`/placements/${id}/hire`, {
      contractType: 'permanent',
      startDate: inDays(10),
      contractMonths: 24,
      monthlyWageCentimes: 300_000,
    });
    expect(hire).toMatchObject({ status: 409, body: { code: 'SEEKER_ERASED' } });
    expect(await storeMark()).toBe(before);
    expect((await call(service.url, 'GET', `/placements/${id}`, admin)).body).toMatchObject({ status: 'interviewing' });
  });

  it('documents the operations it is about to fuzz, the paged lists among them', () => {
    expect(operations.length).toBeGreaterThan(70);
    expect(operations.filter((o) => o.body).length).toBeGreaterThan(35);
    const lists = ['/seekers', '/offers', '/placements', '/matching-runs', '/matching-runs/{id}/proposals'];
    for (const path of lists)
      expect(operations.find((o) => o.method === 'GET' && o.path === path)?.query).toEqual(
        expect.arrayContaining(['limit', 'cursor']),
      );
  });

  // One test per documented operation; the list is read from the running service, so it is built
  // in a single test body rather than with it.each.
  it('never answers 5xx, answers every 4xx as problem+json naming its code (and each bad field of an invalid input), and stores nothing for a refused request', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const counts: Record<string, number> = {};
      tally.set(`${op.method} ${op.path}`, counts);
      const details = await fc.check(
        fc.asyncProperty(requestFor(op, knownFor, admin, examples.get(`${op.method} ${op.path}`)), async (r) => {
          const before = await storeMark();
          const answer = await send(service.url, r);
          const after = await storeMark();
          const where = describeAnswer(r, answer);
          if (answer.status >= 500) throw new Error(`5xx: ${where}`);
          if (answer.status >= 400) {
            const wrong = problemFault(answer);
            if (wrong) throw new Error(`${wrong}: ${where}`);
            if (after !== before) throw new Error(`refused, yet the store went from ${before} to ${after}: ${where}`);
            const key = `${answer.status} ${(JSON.parse(answer.text) as { code: string }).code}`;
            counts[key] = (counts[key] ?? 0) + 1;
          } else {
            counts[answer.status] = (counts[answer.status] ?? 0) + 1;
          }
          if (answer.status === 202 && answer.location) {
            noteJob(answer.location);
            await followJob(service.url, answer.location, admin);
          }
          if (answer.status < 400 && (after !== before || answer.status === 202)) {
            await settle();
          }
        }),
        { numRuns: RUNS, ...SEED },
      );
      if (details.failed)
        failures.push(
          `${op.method} ${op.path} (seed ${details.seed}): ${(details.errorInstance as Error | undefined)?.message ?? 'failed'}`.slice(
            0,
            2_000,
          ),
        );
    }
    expect(failures).toEqual([]);
  }, 900_000);

  it('refuses, with 400 naming the field, every documented text one character over its maxLength, even when trimming whitespace would bring it under', async () => {
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const op of operations) {
      const example = examples.get(`${op.method} ${op.path}`);
      if (!example || op.body?.type !== 'application/json') continue;
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => knownFor(op.path, name)[0] ?? name);
      for (const field of limitedStrings(op.body.schema, example)) {
        // A vertical tab and a no-break space: JavaScript's trim removes both (schemathesis, CI 2026-12-07).
        const padded = `\u000b\u00a0${'a'.repeat(field.max - 1)}`;
        const body = mutate(example, field.path, { kind: 'set', value: padded });
        const before = await storeMark();
        const answer = await call(service.url, op.method, path, admin, body);
        const named = ((answer.body.errors ?? []) as Array<{ path: string }>).some(
          (e) => e.path === field.path.join('.'),
        );
        const where = `${op.method} ${path} ${field.path.join('.')} (maxLength ${field.max})`;
        checked.push(where);
        if (answer.status !== 400 || !named)
          wrong.push(`${where} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        if ((await storeMark()) !== before) wrong.push(`${where} stored events`);
      }
    }
    expect(wrong).toEqual([]);
    // The committee decision's reference id, where CI found it, is among the fields checked.
    expect(checked).toContain('POST /committees/fuzz-committee/decisions references.0.id (maxLength 128)');
    expect(checked.length).toBeGreaterThan(30);
  }, 300_000);

  it('names what it could not read in a path that does not decode, an unknown encoding or charset, and broken JSON', async () => {
    const auth = { authorization: `Bearer ${admin}` };
    const json = (extra: Record<string, string>) => ({ ...auth, 'content-type': 'application/json', ...extra });
    const cases: Array<[FuzzRequest, number, string, string]> = [
      [{ method: 'GET', path: '/conventions/%ff', headers: auth }, 400, 'MALFORMED_PATH', 'path'],
      [
        { method: 'POST', path: '/conventions', headers: json({ 'content-encoding': 'x-nope' }), body: { text: '{}' } },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'body',
      ],
      [
        {
          method: 'POST',
          path: '/conventions',
          headers: json({ 'content-type': 'application/json; charset=latin1' }),
          body: { text: '{}' },
        },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'body',
      ],
      [
        { method: 'POST', path: '/conventions', headers: json({ 'content-encoding': 'gzip' }), body: { text: '{}' } },
        400,
        'BAD_BODY',
        'body',
      ],
      [
        { method: 'POST', path: '/conventions', headers: json({}), body: { text: '{"a":' } },
        400,
        'MALFORMED_JSON',
        'body',
      ],
    ];
    const before = await storeMark();
    for (const [r, status, code, path] of cases) {
      const answer = await send(service.url, r);
      expect(problemFault(answer)).toBeUndefined();
      expect({ status: answer.status, ...(JSON.parse(answer.text) as object) }).toMatchObject({
        status,
        code,
        errors: [{ path }],
      });
    }
    expect(await storeMark()).toBe(before);
  });

  it('answers a JSON body over 256 kB with 413 problem+json and stores nothing', async () => {
    const before = await storeMark();
    const big = JSON.stringify({
      conventionId: 'too-big',
      region: 'MA-10',
      title: 'x'.repeat(300_000),
      period: { start: '2022-01-01', end: '2022-12-31' },
    });
    const answer = await send(service.url, {
      method: 'POST',
      path: '/conventions',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: { text: big },
    });
    expect(answer.status).toBe(413);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.text)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await storeMark()).toBe(before);
  });

  it('takes a CSV body over 256 kB, and answers one over 64 MB with 413 problem+json', async () => {
    const csv = (rows: number) =>
      `seekerId,registeredOn\n${Array.from({ length: rows }, (_, i) => `s-${i},2022-13-01`).join('\n')}`;
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' };
    const before = await storeMark();
    const large = await send(service.url, {
      method: 'POST',
      path: '/imports/seekers',
      headers,
      body: { text: csv(20_000) },
    });
    expect(large.status).toBe(400);
    expect(JSON.parse(large.text)).toMatchObject({ code: 'IMPORT_REJECTED' });
    const huge = await send(service.url, {
      method: 'POST',
      path: '/imports/seekers',
      headers,
      // One cell past the limit: refused on its length, before a row of it is read.
      body: { text: `seekerId,registeredOn\ns-0,${'x'.repeat(64 * 1024 * 1024)}` },
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await storeMark()).toBe(before);
  });
});
