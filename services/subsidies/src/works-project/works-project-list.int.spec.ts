import { randomUUID } from 'node:crypto';
import { handleCommand, testBackends, type TestDatabase } from '@tashghil/event-store';
import type { RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded, tokenFor, type HttpAnswer } from '@tashghil/testing';
import { envelopeDecider, envelopeStreamId, type SetEnvelopeLimits } from '../envelope/envelope.decider';
import { subsidiesService } from '../service';

const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
const committee = tokenFor({ sub: 'ct-ma10', roles: ['committee'], region: 'MA-10' });

/** Sites as [id, region, province, kind]. */
const SITES = [
  ['w-4', 'MA-10', 'Tan-Tan', 'small'],
  ['w-1', 'MA-10', 'Guelmim', 'large'],
  ['w-3', 'MA-09', 'Tiznit', 'small'],
  ['w-2', 'MA-10', 'Guelmim', 'small'],
  ['w-5', 'MA-10', 'Assa-Zag', 'small'],
] as const;

// 4 jobs, June to September 2022, at the SMIG (see works-project.int.spec.ts).
const proposal = (projectId: string, region: string, province: string, kind: string) => ({
  projectId,
  region,
  province,
  promoter: { kind: 'association', id: `asso-${projectId}`, name: 'Association (fictive)' },
  kind,
  title: 'Entretien des seguias',
  jobs: 4,
  months: 4,
  start: '2022-06-01',
  end: '2022-09-30',
  monthlyWageCentimes: 282_871,
  proposedOn: '2022-05-20',
});

const idsOf = (answer: HttpAnswer): string[] =>
  (answer.body.projects as Array<{ projectId: string }>).map((p) => p.projectId);

describe.each(testBackends().map((b) => [b.name, b] as const))('the works sites list on %s', (_n, backend) => {
  let database: TestDatabase | undefined;
  let service: RunningService;

  beforeAll(async () => {
    if (backend.name === 'postgres') database = await backend.open();
    service = await startEmbedded(subsidiesService, database?.url ? { DATABASE_URL: database.url } : {});
    for (const [id, region, province, kind] of SITES) {
      expect(
        (await call(service.url, 'POST', '/works-projects', admin, proposal(id, region, province, kind))).status,
      ).toBe(201);
    }
  });
  afterAll(async () => {
    await service.stop();
    await database?.dispose();
  });

  const get = (path: string, token = admin) => call(service.url, 'GET', path, token);

  it('pages the sites to the last page in region then id order, with the filters kept in the Link', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/works-projects?kind=small&limit=2';
    while (path) {
      const page = await get(path);
      expect(page.status).toBe(200);
      seen.push(...idsOf(page));
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      expect(path === undefined).toBe(page.body.next === null);
    }
    expect(seen).toEqual(['w-3', 'w-2', 'w-4', 'w-5']);
    expect(idsOf(await get('/works-projects?province=Guelmim'))).toEqual(['w-1', 'w-2']);
    expect(idsOf(await get('/works-projects?region=MA-10&status=proposed&kind=large'))).toEqual(['w-1']);
  });

  it('lists a region’s sites to its officers only, and none to a promoter, as before', async () => {
    expect(idsOf(await get('/works-projects', officer('MA-09')))).toEqual(['w-3']);
    expect((await get('/works-projects?region=MA-10', officer('MA-09'))).status).toBe(403);
    const promoter = tokenFor({ sub: 'asso', roles: ['association'], org: 'asso-w-3' });
    expect(idsOf(await get('/works-projects', promoter))).toEqual([]);
    expect((await get('/works-projects/w-3', promoter)).status).toBe(200);
  });

  it('shows an approval and a launch in the next list and the tracking, counted from the query model', async () => {
    for (const year of [2022, 2023]) {
      const limits: SetEnvelopeLimits = {
        type: 'SetEnvelopeLimits',
        data: {
          region: 'MA-10',
          programme: 'awrach',
          year,
          revision: 1,
          sourceEventId: randomUUID(),
          reference: 'test',
          components: [{ component: 'temporary_works', targetJobs: 3800 }],
        },
        metadata: {
          now: `${year}-01-02T10:00:00.000Z`,
          actor: 'conventions',
          roles: ['admin'],
          correlationId: 'list',
          commandId: randomUUID(),
        },
      };
      await handleCommand(service.runtime.store, envelopeDecider, envelopeStreamId(limits.data), limits);
    }
    for (const id of ['w-1', 'w-2', 'w-5']) {
      const decided = await call(service.url, 'POST', `/works-projects/${id}/decision`, committee, {
        outcome: 'approved',
        decisionNumber: `CT-${id}`,
        date: id === 'w-5' ? '2023-01-10' : '2022-05-25',
      });
      expect(decided.status).toBe(200);
    }
    expect(idsOf(await get('/works-projects?status=approved', committee))).toEqual(['w-1', 'w-2', 'w-5']);
    const launched = await call(service.url, 'POST', '/works-projects/w-2/launch', officer('MA-10'), {
      on: '2022-06-01',
    });
    expect(launched.status).toBe(200);
    expect(await get('/works-projects?status=launched', committee)).toMatchObject({
      body: { projects: [{ projectId: 'w-2', status: 'launched', jobs: 4, version: launched.body.version }] },
    });
    const tracking = await get('/works-projects/tracking?region=MA-10&year=2022', committee);
    const none = { sites: 0, jobs: 0 };
    const one = { sites: 1, jobs: 4 };
    expect(tracking.body).toEqual({
      region: 'MA-10',
      regionName: { fr: 'Guelmim-Oued Noun', ar: expect.any(String) },
      year: 2022,
      provinces: [{ province: 'Guelmim', programmed: { sites: 2, jobs: 8 }, launched: one, completed: none }],
      total: { programmed: { sites: 2, jobs: 8 }, launched: one, completed: none },
    });
    const empty = await get('/works-projects/tracking?region=MA-10&year=2021', committee);
    expect(empty.body).toMatchObject({ provinces: [], total: { programmed: none, launched: none, completed: none } });
  });
});
