import { randomUUID } from 'node:crypto';
import { handleCommand, testBackends, type TestDatabase } from '@tashghil/event-store';
import type { RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded, tokenFor, type HttpAnswer } from '@tashghil/testing';
import { envelopeDecider, envelopeStreamId, type SetEnvelopeLimits } from '../envelope/envelope.decider';
import { subsidiesService } from '../service';

const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
const auditor = tokenFor({ sub: 'auditor', roles: ['auditor'] });
const committee = tokenFor({ sub: 'ct-ma10', roles: ['committee'], region: 'MA-10' });
const employer = (org: string) => tokenFor({ sub: `emp-${org}`, roles: ['employer'], org });

/** Grant files as [id, region, employer]: three regions, three employers. */
const FILES = [
  ['g-a1', 'MA-10', 'emp-a'],
  ['g-a2', 'MA-10', 'emp-a'],
  ['g-b1', 'MA-10', 'emp-b'],
  ['g-b2', 'MA-09', 'emp-b'],
  ['g-c1', 'MA-09', 'emp-c'],
  ['g-c2', 'MA-01', 'emp-c'],
  ['g-a3', 'MA-09', 'emp-a'],
] as const;

/** The files in the lists' order: region, then stream id. */
const ordered = (files: ReadonlyArray<readonly [string, string, string]>): string[] =>
  [...files].sort(([a, ra], [b, rb]) => (ra === rb ? (a < b ? -1 : 1) : ra < rb ? -1 : 1)).map(([id]) => id);

// A lasting hire of 10 May 2022 that meets every Awrach 1 rule (see grant.fixture.ts).
const application = (grantId: string, region: string, employerId: string) => ({
  grantId,
  scheme: 'awrach-1',
  region,
  employer: { kind: 'company', id: employerId, name: 'Employeur (fictif)' },
  hire: { seekerId: `sk-${grantId}`, startDate: '2022-05-10', contractMonths: 24, monthlyWageCentimes: 300_000 },
  person: { monthsRegistered: 30, pandemicJobLoss: false, disability: false, hardToPlace: false, priorCnssMonths: 0 },
  beneficiary: {
    province: 'Guelmim',
    categories: {
      gender: 'female',
      ageBand: '25_34',
      disability: false,
      hasDiploma: true,
      area: 'urban',
      longTermUnemployed: true,
    },
  },
  appliedOn: '2022-05-10',
});

const idsOf = (answer: HttpAnswer, key = 'grants', id = 'grantId'): string[] =>
  (answer.body[key] as Array<Record<string, string>>).map((g) => g[id] ?? '');

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'the grants and envelopes lists on %s',
  (_n, backend) => {
    let database: TestDatabase | undefined;
    let service: RunningService;

    beforeAll(async () => {
      if (backend.name === 'postgres') database = await backend.open();
      service = await startEmbedded(subsidiesService, database?.url ? { DATABASE_URL: database.url } : {});
      for (const [id, region, org] of FILES) {
        const filed = await call(service.url, 'POST', '/grants', admin, application(id, region, org));
        expect(filed.status).toBe(201);
      }
    });
    afterAll(async () => {
      await service.stop();
      await database?.dispose();
    });

    const get = (path: string, token = admin) => call(service.url, 'GET', path, token);
    const setEnvelope = (region: string, year: number) => {
      const command: SetEnvelopeLimits = {
        type: 'SetEnvelopeLimits',
        data: {
          region,
          programme: 'awrach',
          year,
          revision: 1,
          reference: 'Comité régional (test)',
          sourceEventId: randomUUID(),
          components: [{ component: 'lasting_integration', targetJobs: 10, budgetCentimes: 100_000_000 }],
        },
        metadata: {
          now: `${year}-04-22T10:00:00.000Z`,
          actor: 'conventions',
          roles: ['admin'],
          correlationId: 'list',
          commandId: randomUUID(),
        },
      };
      return handleCommand(service.runtime.store, envelopeDecider, envelopeStreamId(command.data), command);
    };

    it('pages every grant to the last page in region then id order, each page linking the next', async () => {
      const seen: string[] = [];
      let path: string | undefined = '/grants?limit=2';
      let pages = 0;
      while (path) {
        const page = await get(path);
        expect(page.status).toBe(200);
        seen.push(...idsOf(page));
        pages += 1;
        const link = page.headers.get('link');
        if (page.body.next === null) {
          expect(link).toBeNull();
          path = undefined;
        } else {
          expect(link).toBe(`</grants?limit=2&cursor=${String(page.body.next)}>; rel="next"`);
          path = /^<([^>]+)>/.exec(link ?? '')?.[1];
        }
      }
      expect(seen).toEqual(ordered(FILES));
      expect(pages).toBe(4);
    });

    it('filters by region, status, scheme and employer', async () => {
      expect(idsOf(await get('/grants?region=MA-09'))).toEqual(['g-a3', 'g-b2', 'g-c1']);
      expect(idsOf(await get('/grants?employer=emp-a'))).toEqual(['g-a3', 'g-a1', 'g-a2']);
      expect(idsOf(await get('/grants?region=MA-10&employer=emp-b&scheme=awrach-1&status=applied'))).toEqual(['g-b1']);
      expect(idsOf(await get('/grants?scheme=awrach-2'))).toEqual([]);
      expect(idsOf(await get('/grants?status=approved'))).toEqual([]);
    });

    it('shows a decision in the very next list, its months as of today as GET shows them, and its envelope place', async () => {
      await setEnvelope('MA-10', 2022);
      const [{ now }] = (await service.runtime.db.query<{ now: Date }>('SELECT now() AS now')).rows as [{ now: Date }];
      const decided = await call(service.url, 'POST', '/grants/g-b1/decision', committee, {
        outcome: 'approved',
        decisionNumber: 'CT-GON-2022-014',
        date: '2022-05-20',
      });
      expect(decided.status).toBe(200);
      const listed = await get('/grants?status=approved', committee);
      expect(idsOf(listed)).toEqual(['g-b1']);
      const [item] = listed.body.grants as Array<{ schedule: Array<{ status: string }> }>;
      // Every month of a 2022–2024 contract has ended by now, and none was declared to the CNSS.
      expect(item?.schedule.length).toBeGreaterThan(12);
      expect(item?.schedule.every((m) => m.status === 'awaiting_declaration')).toBe(true);
      expect(item).toEqual((await get('/grants/g-b1', committee)).body);
      expect(idsOf(await get(`/grants?updatedSince=${encodeURIComponent(now.toISOString())}`))).toEqual(['g-b1']);
      const envelopes = await get('/envelopes?region=MA-10', committee);
      expect(envelopes.body.envelopes).toEqual([
        expect.objectContaining({
          region: 'MA-10',
          year: 2022,
          files: 1,
          components: [
            expect.objectContaining({ component: 'lasting_integration', reservedJobs: 1, remainingJobs: 9 }),
          ],
        }),
      ]);
      expect(envelopes.body.envelopes).toEqual([(await get('/envelopes/MA-10/awrach/2022', committee)).body]);
    });

    it('shows each caller only what it may read: its region, or an employer its own files', async () => {
      expect(idsOf(await get('/grants', officer('MA-09')))).toEqual(['g-a3', 'g-b2', 'g-c1']);
      expect(idsOf(await get('/grants?region=MA-10', officer('MA-09')))).toEqual([]);
      expect(idsOf(await get('/grants', employer('emp-a')))).toEqual(['g-a3', 'g-a1', 'g-a2']);
      expect(idsOf(await get('/grants?employer=emp-b', employer('emp-a')))).toEqual([]);
      expect(idsOf(await get('/grants', tokenFor({ sub: 'asso', roles: ['association'] })))).toEqual([]);
      expect(idsOf(await get('/grants', auditor))).toEqual(ordered(FILES));
    });

    it('lists envelopes by region, programme and year, each region’s to its own officers', async () => {
      await setEnvelope('MA-09', 2023);
      expect(idsOf(await get('/envelopes'), 'envelopes', 'region')).toEqual(['MA-09', 'MA-10']);
      expect(idsOf(await get('/envelopes?year=2022&programme=awrach'), 'envelopes', 'region')).toEqual(['MA-10']);
      const first = await get('/envelopes?limit=1');
      expect(idsOf(first, 'envelopes', 'region')).toEqual(['MA-09']);
      const second = await get(`/envelopes?limit=1&cursor=${String(first.body.next)}`);
      expect({ ids: idsOf(second, 'envelopes', 'region'), next: second.body.next }).toEqual({
        ids: ['MA-10'],
        next: null,
      });
      expect(idsOf(await get('/envelopes', officer('MA-09')), 'envelopes', 'region')).toEqual(['MA-09']);
      expect((await get('/envelopes?region=MA-10', officer('MA-09'))).status).toBe(403);
      expect(idsOf(await get('/envelopes', employer('emp-a')), 'envelopes', 'region')).toEqual([]);
    });

    it('refuses a limit or a cursor that is not one with 400 naming the field', async () => {
      const envelopesCursor = String((await get('/envelopes?limit=1')).body.next);
      for (const [query, field] of [
        ['limit=501', 'limit'],
        ['limit=0', 'limit'],
        ['limit=ten', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
        [`cursor=${envelopesCursor}`, 'cursor'],
        ['updatedSince=yesterday', 'updatedSince'],
        ['status=paid', 'status'],
      ] as const) {
        const answer = await get(`/grants?${query}`);
        const paths = new Set((answer.body.errors as Array<{ path: string }> | undefined)?.map((e) => e.path));
        expect({ query, status: answer.status, code: answer.body.code, paths: [...paths] }).toEqual({
          query,
          status: 400,
          code: 'INVALID_INPUT',
          paths: [field],
        });
      }
    });

    it('documents each list’s paging and filters in OpenAPI', async () => {
      const doc = (await (await fetch(`${service.url}/docs/openapi.json`)).json()) as {
        paths: Record<string, { get?: { parameters?: Array<{ name: string; in: string }> } }>;
      };
      const params = (path: string) => (doc.paths[path]?.get?.parameters ?? []).map((p) => p.name).sort();
      expect(params('/grants')).toEqual(['cursor', 'employer', 'limit', 'region', 'scheme', 'status', 'updatedSince']);
      expect(params('/envelopes')).toEqual(['cursor', 'limit', 'programme', 'region', 'updatedSince', 'year']);
      expect(params('/works-projects')).toEqual([
        'cursor',
        'kind',
        'limit',
        'province',
        'region',
        'status',
        'updatedSince',
      ]);
    });
  },
);
