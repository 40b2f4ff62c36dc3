import { testBackends, type TestDatabase } from '@tashghil/event-store';
import { today, type RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded, tokenFor, type HttpAnswer } from '@tashghil/testing';
import { conventionsService } from '../service';

const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
const employer = tokenFor({ sub: 'emp', roles: ['employer'], org: 'emp-a' });

/** Conventions as [id, region, period, signed]: one whose period ended, one running, one to come, two drafts. */
const CONVENTIONS = [
  ['c-past', 'MA-09', { start: '2020-01-01', end: '2022-12-31' }, true],
  ['c-now', 'MA-09', { start: '2024-01-01', end: '2099-12-31' }, true],
  ['c-future', 'MA-10', { start: '2098-01-01', end: '2099-12-31' }, true],
  ['c-draft', 'MA-10', { start: '2025-01-01', end: '2027-12-31' }, false],
  ['c-other', 'MA-01', { start: '2025-01-01', end: '2027-12-31' }, false],
] as const;

const idsOf = (answer: HttpAnswer, key = 'conventions', id = 'conventionId'): string[] =>
  (answer.body[key] as Array<Record<string, string>>).map((x) => x[id] ?? '');

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'the conventions service’s lists on %s',
  (_n, backend) => {
    let database: TestDatabase | undefined;
    let service: RunningService;

    const send = async (method: string, path: string, body: unknown, token = admin): Promise<HttpAnswer> => {
      const answer = await call(service.url, method, path, token, body);
      expect({ path, status: answer.status < 300 }).toEqual({ path, status: true });
      return answer;
    };
    const get = (path: string, token = admin) => call(service.url, 'GET', path, token);

    beforeAll(async () => {
      if (backend.name === 'postgres') database = await backend.open();
      service = await startEmbedded(conventionsService, database?.url ? { DATABASE_URL: database.url } : {});
      for (const [conventionId, region, period, signed] of CONVENTIONS) {
        await send('POST', '/conventions', { conventionId, region, title: `Convention ${conventionId}`, period });
        if (!signed) continue;
        const path = `/conventions/${conventionId}`;
        await send('POST', `${path}/parties`, { partyId: 'wali', name: 'Wali (fictif)', role: 'wali', mustSign: true });
        await send('POST', `${path}/measures`, {
          measureId: 'tahfiz',
          programmeLine: 'tahfiz',
          target: { total: 10 },
          budget: { stateCentimes: 100_000, regionCentimes: 50_000 },
        });
        await send('POST', `${path}/signatures`, {
          role: 'wali',
          signatory: 'Wali',
          date: period.start,
          place: 'Agadir',
        });
      }
      for (const [committeeId, region, kind] of [
        ['gon-regional', 'MA-10', 'regional'],
        ['sm-regional', 'MA-09', 'regional'],
        ['gon-technical', 'MA-10', 'technical'],
      ] as const) {
        await send('POST', '/committees', {
          committeeId,
          region,
          programme: region === 'MA-10' ? 'awrach-2022' : 'idmaj-2022',
          kind,
          ...(kind === 'technical' ? { parentCommitteeId: 'gon-regional' } : {}),
          chair: { name: 'Présidence (fictive)', role: 'wali' },
          secretary: { name: 'Secrétariat (fictif)', role: 'anapec' },
          members: [],
        });
      }
      for (const [region, year] of [
        ['MA-10', 2022],
        ['MA-09', 2023],
        ['MA-10', 2023],
      ] as const) {
        await send('PUT', `/programme-targets/${region}/awrach/${year}`, {
          components: [{ component: 'temporary_works', targetJobs: 100 * (year - 2020) }],
          reference: 'Comité régional (test)',
          effectiveDate: `${year}-04-22`,
        });
      }
    });
    afterAll(async () => {
      await service.stop();
      await database?.dispose();
    });

    it('pages conventions to the last page in region then id order, each phase as of today', async () => {
      const seen: Array<{ conventionId: string; phase: string }> = [];
      let path: string | undefined = '/conventions?limit=2';
      while (path) {
        const page = await get(path);
        expect(page.status).toBe(200);
        seen.push(...(page.body.conventions as Array<{ conventionId: string; phase: string }>));
        path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
        expect(path === undefined).toBe(page.body.next === null);
      }
      expect(seen.map((c) => [c.conventionId, c.phase])).toEqual([
        ['c-other', 'draft'],
        ['c-now', 'active'],
        ['c-past', 'period-ended'],
        ['c-draft', 'draft'],
        ['c-future', 'signed'],
      ]);
      const full = (await get('/conventions/c-now')).body;
      expect(seen[1]).toEqual({
        conventionId: 'c-now',
        region: 'MA-09',
        regionName: full.regionName,
        title: 'Convention c-now',
        period: full.period,
        status: 'signed',
        phase: 'active',
        totals: full.totals,
        version: full.version,
      });
    });

    it('filters conventions by status and by the phase they are in today', async () => {
      expect(today() < '2098-01-01').toBe(true);
      expect(idsOf(await get('/conventions?phase=active'))).toEqual(['c-now']);
      expect(idsOf(await get('/conventions?phase=period-ended'))).toEqual(['c-past']);
      expect(idsOf(await get('/conventions?phase=signed'))).toEqual(['c-future']);
      expect(idsOf(await get('/conventions?phase=draft'))).toEqual(['c-other', 'c-draft']);
      expect(idsOf(await get('/conventions?status=signed&region=MA-09'))).toEqual(['c-now', 'c-past']);
    });

    it('shows a change in the very next list, and each caller only its region', async () => {
      const edited = await send('PATCH', '/conventions/c-draft', { title: 'Convention revue' }, officer('MA-10'));
      expect((await get('/conventions?region=MA-10', officer('MA-10'))).body.conventions).toEqual([
        expect.objectContaining({ conventionId: 'c-draft', title: 'Convention revue', version: edited.body.version }),
        expect.objectContaining({ conventionId: 'c-future' }),
      ]);
      expect(idsOf(await get('/conventions', officer('MA-09')))).toEqual(['c-now', 'c-past']);
      expect(idsOf(await get('/conventions?region=MA-10', officer('MA-09')))).toEqual([]);
      expect(idsOf(await get('/conventions', employer))).toEqual([]);
    });

    it('lists committees by region, programme and kind, with a meeting just held', async () => {
      const ids = (a: HttpAnswer) => idsOf(a, 'committees', 'committeeId');
      expect(ids(await get('/committees'))).toEqual(['sm-regional', 'gon-regional', 'gon-technical']);
      expect(ids(await get('/committees?kind=technical'))).toEqual(['gon-technical']);
      expect(ids(await get('/committees?programme=idmaj-2022'))).toEqual(['sm-regional']);
      expect(ids(await get('/committees', officer('MA-09')))).toEqual(['sm-regional']);
      expect((await get('/committees?region=MA-10', officer('MA-09'))).status).toBe(403);
      await send('POST', '/committees/gon-regional/meetings', {
        meetingId: 'premiere',
        date: '2022-04-22',
        place: 'Guelmim',
        agenda: ['Programme Awrach 2022'],
        attendance: [{ name: 'Présidence (fictive)', role: 'wali', present: true }],
      });
      expect((await get('/committees?region=MA-10&kind=regional', officer('MA-10'))).body.committees).toEqual([
        expect.objectContaining({ committeeId: 'gon-regional', meetings: 1, decisions: 0 }),
      ]);
    });

    it('lists programme targets by region, programme and year, page by page', async () => {
      const keys = (a: HttpAnswer) =>
        (a.body.targets as Array<{ region: string; year: number }>).map((t) => `${t.region}/${t.year}`);
      expect(keys(await get('/programme-targets'))).toEqual(['MA-09/2023', 'MA-10/2022', 'MA-10/2023']);
      expect(keys(await get('/programme-targets?year=2023&programme=awrach'))).toEqual(['MA-09/2023', 'MA-10/2023']);
      const first = await get('/programme-targets?region=MA-10&limit=1');
      expect(keys(first)).toEqual(['MA-10/2022']);
      const second = await get(`/programme-targets?region=MA-10&limit=1&cursor=${String(first.body.next)}`);
      expect({ keys: keys(second), next: second.body.next }).toEqual({ keys: ['MA-10/2023'], next: null });
      expect(keys(await get('/programme-targets', officer('MA-09')))).toEqual(['MA-09/2023']);
      expect((await get('/programme-targets?region=MA-10', officer('MA-09'))).status).toBe(403);
      const revised = await send('PUT', '/programme-targets/MA-10/awrach/2022', {
        components: [{ component: 'temporary_works', targetJobs: 3800 }],
        reference: 'Comité régional (révision)',
        effectiveDate: '2022-06-01',
      });
      expect((await get('/programme-targets?region=MA-10&year=2022')).body.targets).toEqual([revised.body]);
    });

    it('refuses a limit or a cursor that is not one with 400 naming the field', async () => {
      const committeesCursor = String((await get('/committees?limit=1')).body.next);
      for (const [path, field] of [
        ['/conventions?limit=501', 'limit'],
        ['/conventions?phase=soon', 'phase'],
        ['/committees?cursor=%%%', 'cursor'],
        [`/programme-targets?cursor=${committeesCursor}`, 'cursor'],
        ['/programme-targets?limit=-1', 'limit'],
      ] as const) {
        const answer = await get(path);
        const paths = new Set((answer.body.errors as Array<{ path: string }> | undefined)?.map((e) => e.path));
        expect({ path, status: answer.status, paths: [...paths] }).toEqual({ path, status: 400, paths: [field] });
      }
    });

    it('documents each list’s paging and filters in OpenAPI', async () => {
      const doc = (await (await fetch(`${service.url}/docs/openapi.json`)).json()) as {
        paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }>;
      };
      const params = (path: string) => (doc.paths[path]?.get?.parameters ?? []).map((p) => p.name).sort();
      const paging = ['cursor', 'limit', 'updatedSince'];
      expect(params('/conventions')).toEqual([...paging, 'phase', 'region', 'status'].sort());
      expect(params('/committees')).toEqual([...paging, 'kind', 'programme', 'region'].sort());
      expect(params('/programme-targets')).toEqual([...paging, 'programme', 'region', 'year'].sort());
    });
  },
);
