import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conventionsService } from '@tashghil/conventions';
import { matchingService } from '@tashghil/matching';
import { reportingService } from '@tashghil/reporting';
import { startService, type Role, type RunningService, type ServiceSpec } from '@tashghil/service-kit';
import { subsidiesService } from '@tashghil/subsidies';
import { testBackends, type TestDatabase } from '@tashghil/testing';
import {
  discoverFixtures,
  forgedToken,
  OTHER_EMPLOYER,
  regionOutside,
  runJobs,
  send,
  tokenAs,
  type Answer,
  type Fixtures,
} from './access-fixtures.spec-helper';
import { ACCESS_MATRIX, DRAFT, type Entry, type Row } from './access-matrix.spec-helper';
import { platformService } from './service';

interface Caller {
  readonly label: string;
  readonly token: (f: Fixtures) => string;
  /** On a list, the rows this caller may see. */
  readonly sees?: (f: Fixtures) => (row: Row) => boolean;
}

const officerOf =
  (region: (f: Fixtures) => string, role: Role = 'officer'): Caller['token'] =>
  (f) =>
    tokenAs(role, { region: region(f) });
const ownRegion =
  (e: Entry) =>
  (f: Fixtures): string =>
    e.regions?.(f)[0] ?? f.home;
const foreignRegion =
  (e: Entry) =>
  (f: Fixtures): string =>
    regionOutside(e.regions?.(f) ?? [f.home]);
const writers = (e: Entry): readonly Role[] => e.writers ?? ['officer', 'admin'];
/** The region-bound role that may send the command: an officer, or a committee member where only committees decide. */
const regionalWriter = (e: Entry): Role => (writers(e).includes('officer') ? 'officer' : 'committee');

const auditor: Caller = { label: 'an auditor', token: () => tokenAs('auditor') };
const admin: Caller = { label: 'an admin', token: () => tokenAs('admin') };
const otherEmployer: Caller = {
  label: 'an employer of another organisation',
  token: () => tokenAs('employer', { org: OTHER_EMPLOYER }),
  sees: () => (r) => r.owner === OTHER_EMPLOYER,
};
const owner = (e: Entry): Caller => ({
  label: 'the employer owning the file',
  token: (f) => tokenAs('employer', { org: e.owner?.of(f) ?? '' }),
});

/** Everyone the rule turns away from this operation. */
const refusedCallers = (e: Entry): Caller[] => {
  if (e.kind === 'public' || e.scope === 'any') return [];
  const callers: Caller[] = [];
  if (e.kind === 'write') callers.push(auditor);
  if (e.scope === 'region') {
    const role = e.kind === 'write' ? regionalWriter(e) : 'officer';
    callers.push({
      label: `a ${role} of another region`,
      token: officerOf(foreignRegion(e), role),
      sees: (f) => (r) => r.region === foreignRegion(e)(f),
    });
    if (e.kind === 'write') {
      for (const r of (['officer', 'committee'] as const).filter((x) => !writers(e).includes(x))) {
        callers.push({ label: `a ${r} of the file’s own region`, token: officerOf(ownRegion(e), r) });
      }
    }
  }
  if (e.scope === 'national') {
    callers.push(
      { label: 'an officer', token: officerOf((f) => f.home) },
      { label: 'a committee member', token: officerOf((f) => f.home, 'committee') },
    );
  }
  callers.push(otherEmployer);
  if (e.owner && !e.owner.may) callers.push(owner(e));
  return callers;
};

/** Who the rule lets through: each gets neither 401 nor 403, so a refusal above can be told from a broken request. */
const permittedCallers = (e: Entry): Caller[] => {
  if (e.kind === 'public') return [];
  if (e.scope === 'any') return [otherEmployer, auditor, { label: 'an officer', token: officerOf((f) => f.home) }];
  if (e.scope === 'national') return e.kind === 'write' ? [admin] : [admin, auditor];
  const ownerToo = e.owner?.may ? [owner(e)] : [];
  if (e.kind === 'write')
    return [
      { label: `a ${regionalWriter(e)} of the file’s region`, token: officerOf(ownRegion(e), regionalWriter(e)) },
      ...ownerToo,
    ];
  // A placement has two regions, the seeker's and the offer's, and an officer of either reaches it.
  const second: Caller = {
    label: 'an officer of the file’s last region',
    token: (f) => tokenAs('officer', { region: e.regions?.(f).at(-1) ?? f.home }),
  };
  return [
    { label: 'an officer of the file’s region', token: officerOf(ownRegion(e)) },
    second,
    { label: 'a committee member of the file’s region', token: officerOf(ownRegion(e), 'committee') },
    auditor,
    admin,
    ...ownerToo,
  ];
};

const rowsIn = (e: Entry, answer: Answer): readonly Row[] => e.rows?.(answer.body) ?? [];

const SERVICES: readonly ServiceSpec[] = [conventionsService, matchingService, subsidiesService, reportingService];

const operationsOf = async (url: string): Promise<string[]> => {
  const doc = (await (await fetch(`${url}/docs/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
  );
};

// `npm test` runs the matrix on PGlite; the integration run, which lists both backends, adds only the
// server, since the rule under test is the same code on both and the suite takes minutes.
const serverOnlyWhenBoth = (backends: ReturnType<typeof testBackends>) =>
  backends.length > 1 ? backends.filter((b) => b.name !== 'pglite') : backends;

describe.each(serverOnlyWhenBoth(testBackends()).map((b) => [b.name, b] as const))(
  'the access matrix of every endpoint, on %s',
  (_n, backend) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-access-'));
    let database: TestDatabase | undefined;
    let service: RunningService;
    let f: Fixtures;

    const head = async (): Promise<string> =>
      (
        await service.runtime.db.query<{ head: string }>(
          `SELECT coalesce(max(global_position), 0)::text AS head FROM es.events`,
        )
      ).rows[0]?.head ?? '0';
    const appendedUnder = async (correlationId: string): Promise<number> =>
      Number(
        (
          await service.runtime.db.query<{ n: string }>(
            `SELECT count(*)::text AS n FROM es.events WHERE metadata->>'correlationId' = $1`,
            [correlationId],
          )
        ).rows[0]?.n,
      );
    const ask = (method: string, e: Entry, bearer?: string) =>
      send(service.url, method, e.request(f), bearer, `acm-${randomUUID()}`);

    beforeAll(async () => {
      if (backend.name === 'postgres') database = await backend.open();
      service = await startService(platformService, {
        TASHGHIL_MODE: 'embedded',
        TASHGHIL_DATA_DIR: dataDir,
        PORT: '0',
        TASHGHIL_DEMO: 'true',
        LOG_LEVEL: 'silent',
        // Streaming proposals would keep appending behind the suite's back, and "nothing appended" is read off the store's head.
        MATCHING_STREAMING: 'false',
        // Hundreds of tokenless requests from one address would meet the rate limit, which
        // libs/service-kit's HTTP security suite tests on its own.
        TASHGHIL_RATE_LIMIT: '0',
        ...(database?.url ? { DATABASE_URL: database.url } : {}),
      });
      const setUp = tokenAs('admin');
      const draft = {
        conventionId: DRAFT,
        region: 'MA-09',
        title: 'Brouillon de contrôle des accès',
        period: { start: '2024-01-01', end: '2026-12-31' },
      };
      for (const [path, body] of [
        ['/conventions', draft],
        [
          `/conventions/${DRAFT}/parties`,
          { partyId: 'acm-partie', name: 'Wali de la région Souss-Massa', role: 'wali' },
        ],
        [
          `/conventions/${DRAFT}/measures`,
          { measureId: 'acm-mesure', programmeLine: 'tahfiz', target: { total: 100 } },
        ],
      ] as const) {
        const answer = await send(service.url, 'POST', { path, body }, setUp, `acm-setup-${randomUUID()}`);
        if (answer.status !== 201)
          throw new Error(`setting up ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      const jobs = await runJobs(service.url);
      // The relays and consumers finish what the demo set off (the hires the subsidies service notices
      // append events of their own) before any head is compared.
      let last = '';
      for (let stable = 0, tries = 0; stable < 3; tries += 1) {
        if (tries > 600) throw new Error('the store never settled after the demo');
        await new Promise((r) => setTimeout(r, 250));
        const metrics = await (await fetch(`${service.url}/metrics`)).text();
        const lagging = metrics.split('\n').some((l) => /^(projection|relay)_lag_events\{/.test(l) && !/ 0$/.test(l));
        const now = await head();
        stable = !lagging && now === last ? stable + 1 : 0;
        last = now;
      }
      f = await discoverFixtures(service.runtime.store, jobs);
    }, 300_000);

    afterAll(async () => {
      await service?.stop();
      await database?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('has an entry for every operation of the OpenAPI document, and none for an operation it lacks', async () => {
      expect((await operationsOf(service.url)).sort()).toEqual(Object.keys(ACCESS_MATRIX).sort());
    });

    describe('refusals, each leaving the store as it was', () => {
      for (const [key, e] of Object.entries(ACCESS_MATRIX)) {
        const method = key.split(' ')[0] ?? 'GET';
        if (e.kind === 'public') continue;

        it(`${key}: no token is 401 problem+json`, async () => {
          const answer = await ask(method, e);
          expect({ status: answer.status, type: answer.contentType, code: answer.body.code }).toEqual({
            status: 401,
            type: expect.stringMatching(/^application\/problem\+json/),
            code: 'MISSING_TOKEN',
          });
        });

        it(`${key}: a token signed with another secret is 401`, async () => {
          const answer = await ask(method, e, forgedToken());
          expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 401, code: 'INVALID_TOKEN' });
        });

        for (const caller of refusedCallers(e)) {
          it(`${key}: ${caller.label} ${e.rows ? 'sees none of the rows it may not read' : 'is 403 problem+json'}`, async () => {
            const before = await head();
            const correlationId = `acm-${randomUUID()}`;
            const answer = await send(service.url, method, e.request(f), caller.token(f), correlationId);
            if (e.rows) {
              expect(answer.status).toBe(200);
              const sees = caller.sees?.(f) ?? (() => false);
              expect(rowsIn(e, answer).filter((r) => !sees(r))).toEqual([]);
            } else {
              expect({ status: answer.status, type: answer.contentType, code: typeof answer.body.code }).toEqual({
                status: 403,
                type: expect.stringMatching(/^application\/problem\+json/),
                code: 'string',
              });
            }
            if (method !== 'GET') {
              expect(await appendedUnder(correlationId)).toBe(0);
              expect(await head()).toBe(before);
            }
          });
        }
      }
    });

    it('POST /placements: refuses an officer of another region before it judges the files, so the refusal tells nothing of them', async () => {
      const correlationId = `acm-${randomUUID()}`;
      const built = { path: '/placements', body: { seekerId: f.placedSeekerId, offerId: f.offerId } };
      const foreign = await send(
        service.url,
        'POST',
        built,
        tokenAs('officer', { region: regionOutside([f.home]) }),
        correlationId,
      );
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 403, code: 'REGION_OUT_OF_SCOPE' });
      const own = await send(service.url, 'POST', built, tokenAs('officer', { region: f.home }), `acm-${randomUUID()}`);
      expect({ status: own.status, code: own.body.code }).toEqual({ status: 409, code: 'SEEKER_NOT_AVAILABLE' });
      expect(await appendedUnder(correlationId)).toBe(0);
    });

    describe('the callers the rule lets through', () => {
      for (const [key, e] of Object.entries(ACCESS_MATRIX)) {
        const method = key.split(' ')[0] ?? 'GET';
        if (e.kind === 'public') {
          it(`${key}: answers without a token`, async () => {
            expect((await ask(method, e)).status).toBe(200);
          });
          continue;
        }
        for (const caller of permittedCallers(e)) {
          it(`${key}: ${caller.label} is let through`, async () => {
            const answer = await ask(method, e, caller.token(f));
            const allowed = e.kind === 'read' ? [200] : [200, 201, ...(e.accepts ?? [])];
            const outcome = { status: answer.status, code: answer.body.code, detail: answer.body.detail };
            expect(allowed.includes(outcome.status) ? 'let through' : outcome).toBe('let through');
            if (!e.rows) return;
            const rows = rowsIn(e, answer);
            if (caller.label === 'the employer owning the file') {
              expect(rows.length).toBeGreaterThan(0);
              expect(rows.filter((r) => r.owner !== e.owner?.of(f))).toEqual([]);
            } else {
              expect(rows.filter((r) => r.region === ownRegion(e)(f)).length).toBeGreaterThan(0);
            }
          });
        }
      }
    });
  },
);

describe('each service’s own OpenAPI document', () => {
  it.each(SERVICES.map((s) => [s.name, s] as const))(
    '%s: every operation it serves is in the access matrix',
    async (_n, spec) => {
      const dataDir = mkdtempSync(join(tmpdir(), `tashghil-access-${spec.name}-`));
      const running = await startService(spec, {
        TASHGHIL_MODE: 'embedded',
        TASHGHIL_DATA_DIR: dataDir,
        PORT: '0',
        TASHGHIL_DEMO: 'false',
        LOG_LEVEL: 'silent',
      });
      try {
        const operations = await operationsOf(running.url);
        expect(operations.length).toBeGreaterThan(3);
        expect(operations.filter((op) => !(op in ACCESS_MATRIX))).toEqual([]);
      } finally {
        await running.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
