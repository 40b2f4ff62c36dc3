import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends, type TestDatabase } from '@tashghil/event-store';
import { startService, type RunningService } from '@tashghil/service-kit';
import { call, officer, tokenFor } from '@tashghil/testing';
import { matchingService } from '../service';

const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
const auditor = tokenFor({ sub: 'auditor', roles: ['auditor'] });
const employer = (org: string) => tokenFor({ sub: `employer-${org}`, roles: ['employer'], org });

const REGIONS = ['MA-09', 'MA-10'] as const;
const OCCUPATIONS = ['7231', '8160', '5120'] as const;
const EDUCATION = ['primary', 'vocational', 'licence'] as const;
const MOBILITY = ['own_region', 'any_region'] as const;

interface Seeded {
  readonly seekerId: string;
  readonly region: string;
  readonly province: string;
  readonly occupations: string[];
  readonly education: string;
  readonly mobility: string;
  readonly registeredOn: string;
}

const seeker = (i: number): Seeded => ({
  seekerId: `ls-${String(i).padStart(3, '0')}`,
  region: REGIONS[i % 2] as string,
  province: i % 2 ? 'Guelmim' : i % 3 ? 'Tiznit' : 'Agadir',
  occupations: i % 4 === 0 ? ['7231', '5120'] : [OCCUPATIONS[i % 3] as string],
  education: EDUCATION[i % 3] as string,
  mobility: MOBILITY[Math.floor(i / 2) % 2] as string,
  // Several seekers a day, so the stream id breaks ties in the order.
  registeredOn: `2021-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 3)).padStart(2, '0')}`,
});

const registerBody = (s: Seeded) => ({
  ...s,
  gender: 'female',
  birthDate: '1994-06-15',
  skills: ['conduite'],
  languages: ['ar'],
  disability: false,
  pandemicJobLoss: false,
  area: 'urban',
  fullName: `Personne Fictive ${s.seekerId}`,
  cin: 'ZZ998877',
  phone: '+212600112233',
});

const offerBody = (offerId: string, region: string, org: string, occupation: string, mass = false) => ({
  offerId,
  employer: { kind: 'company', id: org, name: `Société ${org}`, sector: 'agri-food' },
  region,
  province: region === 'MA-09' ? 'Tiznit' : 'Guelmim',
  occupation,
  positions: 3,
  requiredEducation: 'primary',
  skills: ['conduite'],
  contractType: 'permanent',
  mass,
  validUntil: '2099-12-31',
});

type Item = Record<string, unknown>;

describe.each(testBackends().map((b) => [b.name, b] as const))('the matching lists on %s', (_n, backend) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-lists-'));
  let database: TestDatabase | undefined;
  let service: RunningService;
  const seeded: Seeded[] = [];

  const get = (path: string, token = admin) => call(service.url, 'GET', path, token);
  const post = async (path: string, body?: unknown, token = admin) => {
    const answer = await call(service.url, 'POST', path, token, body);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };
  /** Every page of a list, following `next`; `between` runs after each page (writes racing the client). */
  const allPages = async (path: string, key: string, token = admin, between?: (page: number) => Promise<void>) => {
    const items: Item[] = [];
    let url: string | null = path;
    for (let page = 0; url; page += 1) {
      const answer = await get(url, token);
      expect(answer.status).toBe(200);
      items.push(...(answer.body[key] as Item[]));
      const next = answer.body.next as string | null;
      const link = answer.headers.get('link');
      if (next) {
        expect(link).toContain(`cursor=${next}`);
        url = `${path}${path.includes('?') ? '&' : '?'}cursor=${next}`;
      } else {
        expect(link).toBeNull();
        url = null;
      }
      await between?.(page);
      if (page > 100) throw new Error('the pages never end');
    }
    return items;
  };
  const ids = (items: readonly Item[], key: string) => items.map((x) => String(x[key]));
  const newestFirst = (a: Seeded, b: Seeded) =>
    a.registeredOn === b.registeredOn ? (a.seekerId < b.seekerId ? 1 : -1) : a.registeredOn < b.registeredOn ? 1 : -1;

  beforeAll(async () => {
    if (backend.name === 'postgres') database = await backend.open();
    service = await startService(matchingService, {
      TASHGHIL_MODE: 'embedded',
      TASHGHIL_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      TASHGHIL_RATE_LIMIT: '0',
      // Streaming proposals would add placements behind the suite's back.
      MATCHING_STREAMING: 'false',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    });
    for (let i = 0; i < 40; i += 1) {
      const s = seeker(i);
      await post('/seekers', registerBody(s));
      seeded.push(s);
    }
    await post(`/seekers/${seeker(3).seekerId}/withdraw`, { reason: 'a trouvé un emploi' });
    const offers: Array<[string, string, string, string, boolean]> = [
      ['lo-1', 'MA-09', 'emp-a', '7231', false],
      ['lo-2', 'MA-09', 'emp-b', '8160', false],
      ['lo-3', 'MA-10', 'emp-a', '8160', true],
      ['lo-4', 'MA-10', 'emp-b', '5120', false],
    ];
    for (const [id, region, org, occupation, mass] of offers) {
      await post('/offers', offerBody(id, region, org, occupation, mass));
      if (id !== 'lo-4') {
        await post(`/offers/${id}/validate`, {});
        await post(`/offers/${id}/publish`);
      }
    }
  }, 300_000);

  afterAll(async () => {
    await service?.stop();
    await database?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists a seeker in the answer after the one that registered them, with nothing personal in it', async () => {
    const fresh = {
      ...seeker(900),
      seekerId: 'ls-fresh',
      occupations: ['6111'],
      registeredOn: new Date().toISOString().slice(0, 10),
    };
    await post('/seekers', registerBody(fresh), officer(fresh.region));
    const first = await get(`/seekers?limit=1&region=${fresh.region}`, officer(fresh.region));
    expect(first.body.seekers).toEqual([
      expect.objectContaining({ seekerId: 'ls-fresh', status: 'registered', province: fresh.province, version: 0 }),
    ]);
    const text = JSON.stringify(first.body);
    for (const personal of ['Personne Fictive', 'ZZ998877', '+212600112233', '1994-06-15', 'female'])
      expect(text).not.toContain(personal);
    await call(service.url, 'PATCH', '/seekers/ls-fresh', officer(fresh.region), { province: 'Sidi Ifni' });
    const after = await get(`/seekers?limit=1&region=${fresh.region}`, officer(fresh.region));
    expect(after.body.seekers).toEqual([expect.objectContaining({ seekerId: 'ls-fresh', province: 'Sidi Ifni' })]);
    await post('/seekers/ls-fresh/withdraw', { reason: 'retiré du test' }, officer(fresh.region));
  });

  it('filters seekers on each column, newest registration first, stream id breaking ties', async () => {
    const expectIds = async (query: string, keep: (s: Seeded) => boolean) => {
      const listed = await allPages(`/seekers?limit=500&${query}`, 'seekers');
      const wanted = seeded.filter(keep).sort(newestFirst);
      expect(ids(listed, 'seekerId')).toEqual(wanted.map((s) => s.seekerId));
    };
    const ours = (s: Seeded) => s.seekerId.startsWith('ls-') && s.seekerId !== 'ls-fresh';
    await expectIds('region=MA-10&registeredTo=2030-01-01', (s) => ours(s) && s.region === 'MA-10');
    await expectIds('province=Tiznit', (s) => s.province === 'Tiznit');
    await expectIds('occupations=5120', (s) => s.occupations.includes('5120'));
    await expectIds('occupations=8160,5120', (s) => s.occupations.some((o) => ['8160', '5120'].includes(o)));
    await expectIds(
      'education=licence&mobility=any_region',
      (s) => s.education === 'licence' && s.mobility === 'any_region',
    );
    await expectIds(
      'registeredFrom=2021-06-01&registeredTo=2021-08-31',
      (s) => s.registeredOn >= '2021-06-01' && s.registeredOn <= '2021-08-31',
    );
    const withdrawn = await get('/seekers?status=withdrawn&region=MA-10');
    expect(ids(withdrawn.body.seekers as Item[], 'seekerId')).toEqual([seeker(3).seekerId]);
  });

  it('lists only what changed since an instant', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await call(service.url, 'PATCH', `/seekers/${seeker(8).seekerId}`, admin, { province: 'Agadir' });
    const changed = await get(`/seekers?updatedSince=${encodeURIComponent(since)}`);
    expect(ids(changed.body.seekers as Item[], 'seekerId')).toEqual([seeker(8).seekerId]);
  });

  it('pages to the last page while others write, showing every row that was there once, none twice', async () => {
    const before = await allPages('/seekers?limit=500', 'seekers');
    let n = 0;
    const during = await allPages('/seekers?limit=6', 'seekers', admin, async (page) => {
      // A newer and an older registration, and a change to a row on a page already read.
      for (const registeredOn of ['2021-12-31', '2020-01-01']) {
        n += 1;
        await post('/seekers', registerBody({ ...seeker(500 + n), seekerId: `lsw-${page}-${n}`, registeredOn }));
      }
      await call(service.url, 'PATCH', `/seekers/${seeker(page).seekerId}`, admin, { province: `Province ${page}` });
    });
    const seen = ids(during, 'seekerId');
    expect(new Set(seen).size).toBe(seen.length);
    const missing = ids(before, 'seekerId').filter((id) => !seen.includes(id));
    expect(missing).toEqual([]);
    const days = during.map((x) => String(x.registeredOn));
    expect(days).toEqual([...days].sort().reverse());
  });

  it('shows a region-scoped caller their region only, an employer no seeker, an auditor all', async () => {
    const own = await allPages('/seekers?limit=7', 'seekers', officer('MA-09'));
    expect(own.length).toBeGreaterThan(10);
    expect(own.filter((s) => s.region !== 'MA-09')).toEqual([]);
    const committee = tokenFor({ sub: 'c', roles: ['committee'], region: 'MA-10' });
    expect(((await get('/seekers?region=MA-09', committee)).body.seekers as Item[]).length).toBe(0);
    expect((await get('/seekers', employer('emp-a'))).body).toEqual({ seekers: [], next: null });
    const all = await get('/seekers?limit=500', auditor);
    expect(new Set((all.body.seekers as Item[]).map((s) => s.region))).toEqual(new Set(REGIONS));
  });

  it('filters offers, and shows an employer its own offers only, an officer their region only', async () => {
    expect(ids((await get('/offers?region=MA-09')).body.offers as Item[], 'offerId')).toEqual(['lo-2', 'lo-1']);
    expect(ids((await get('/offers?occupation=8160')).body.offers as Item[], 'offerId')).toEqual(['lo-3', 'lo-2']);
    expect(ids((await get('/offers?mass=true')).body.offers as Item[], 'offerId')).toEqual(['lo-3']);
    expect(ids((await get('/offers?status=received')).body.offers as Item[], 'offerId')).toEqual(['lo-4']);
    expect(ids((await get('/offers?employer=emp-b&status=published')).body.offers as Item[], 'offerId')).toEqual([
      'lo-2',
    ]);
    const mine = await get('/offers', employer('emp-a'));
    expect(ids(mine.body.offers as Item[], 'offerId')).toEqual(['lo-3', 'lo-1']);
    expect((mine.body.offers as Item[])[0]).toMatchObject({
      employer: { id: 'emp-a', kind: 'company', sector: 'agri-food' },
      mass: true,
      openToOtherRegions: true,
      positions: 3,
      filled: 0,
    });
    expect(JSON.stringify(mine.body)).not.toContain('Société');
    expect(ids((await get('/offers?employer=emp-b', employer('emp-a'))).body.offers as Item[], 'offerId')).toEqual([]);
    const officerOf10 = await get('/offers', officer('MA-10'));
    expect(ids(officerOf10.body.offers as Item[], 'offerId')).toEqual(['lo-4', 'lo-3']);
  });

  it('lists a placement to the officers of both its regions, and no one else of a region', async () => {
    // A seeker of MA-09 who goes anywhere, for the mass offer of MA-10; and one within MA-09.
    const far = seeded.find(
      (s) => s.region === 'MA-09' && s.mobility === 'any_region' && s.occupations.includes('8160'),
    );
    const near = seeded.find(
      (s) => s.region === 'MA-09' && s.occupations.includes('7231') && s.seekerId !== seeker(3).seekerId,
    );
    if (!far || !near) throw new Error('the seeded seekers lack a candidate');
    const inter = await post('/placements', { seekerId: far.seekerId, offerId: 'lo-3' });
    const local = await post('/placements', { seekerId: near.seekerId, offerId: 'lo-1' }, officer('MA-09'));
    const interId = String(inter.body.placementId);
    const localId = String(local.body.placementId);
    const listed = async (token: string, query = '') =>
      ids((await get(`/placements${query}`, token)).body.placements as Item[], 'placementId').sort();
    expect(await listed(officer('MA-09'))).toEqual([interId, localId].sort());
    expect(await listed(officer('MA-10'))).toEqual([interId]);
    expect(await listed(officer('MA-01'))).toEqual([]);
    expect(await listed(employer('emp-a'))).toEqual([]);
    expect(await listed(auditor, '?flow=other_region')).toEqual([interId]);
    expect(await listed(admin, `?offer=lo-1&status=proposed&originRegion=MA-09`)).toEqual([localId]);
    expect(await listed(admin, `?seeker=${far.seekerId}&destinationRegion=MA-10`)).toEqual([interId]);
    await post(`/placements/${localId}/answer`, { accepted: true }, officer('MA-09'));
    const answered = await get(`/placements?status=accepted&region=MA-09`, officer('MA-09'));
    expect(answered.body.placements).toEqual([
      expect.objectContaining({ placementId: localId, status: 'accepted', seekerId: near.seekerId, version: 1 }),
    ]);
    expect(JSON.stringify(answered.body)).not.toMatch(/ageBand|gender|disability/);
  });

  it('answers a bad limit, cursor or filter with 400 problem+json naming each bad field', async () => {
    const bad = async (query: string, paths: string[], list = 'seekers') => {
      const answer = await get(`/${list}?${query}`);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'INVALID_INPUT' });
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((answer.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(paths.sort());
    };
    await bad('limit=0', ['limit']);
    await bad('limit=501&region=MA-99', ['limit', 'region']);
    await bad('limit=ten&updatedSince=yesterday', ['limit', 'updatedSince']);
    await bad('cursor=not-a-cursor', ['cursor']);
    await bad('updatedSince=0000-01-01T00:00:00Z', ['updatedSince'], 'placements');
    await bad('occupations=12,7231', ['occupations.0']);
    await bad('region=MA-09&region=MA-10', ['region']);
    await bad('mass=yes&status=open', ['mass', 'status'], 'offers');
    await bad('proposedFrom=2022-02-30', ['proposedFrom'], 'placements');
    const offersPage = await get('/offers?limit=1');
    await bad(`cursor=${String(offersPage.body.next)}`, ['cursor']);
    for (const key of [
      [7, 'x'],
      ['2021-01-01', 'matching.seeker-\u0000'],
    ]) {
      const forged = Buffer.from(JSON.stringify(['seekers', ...key])).toString('base64url');
      await bad(`cursor=${forged}`, ['cursor']);
    }
  });
});
