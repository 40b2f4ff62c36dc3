import type { RunningService } from '@tashghil/service-kit';
import { officer, startEmbedded, tokenFor } from '@tashghil/testing';
import { matchingService } from '../service';

const HEADER =
  'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email';
const row = (id: string, overrides: Partial<Record<string, string>> = {}): string => {
  const v: Record<string, string> = {
    seekerId: id,
    registeredOn: '2021-02-01',
    region: 'MA-09',
    province: 'Tiznit',
    gender: 'female',
    birthDate: '1995-05-05',
    education: 'vocational',
    diploma: '',
    occupations: '7231',
    skills: 'diagnostic|mécanique',
    languages: 'ar|fr',
    disability: 'non',
    pandemicJobLoss: 'oui',
    area: 'rural',
    mobility: 'own_region',
    fullName: '"Personne, fictive"',
    cin: 'ZZ1234',
    phone: '',
    email: '',
    ...overrides,
  };
  return HEADER.split(',')
    .map((h) => v[h] ?? '')
    .join(',');
};

describe('importing seekers from CSV (embedded)', () => {
  let service: RunningService;
  const post = (csv: string, query = '', token = officer('MA-09')) =>
    fetch(`${service.url}/imports/seekers${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const count = async () =>
    (await service.runtime.store.readAll({ limit: 100_000, categories: ['matching.seeker'] })).events.length;

  beforeAll(async () => {
    service = await startEmbedded(matchingService);
  });
  afterAll(() => service.stop());

  it('stores nothing from a file with a bad row, and names each bad row by its line', async () => {
    const csv = [
      HEADER,
      row('imp-001'),
      row('imp-002', { birthDate: '1995-02-30' }),
      row('imp-003', { region: 'MA-04' }),
      row('imp-001'),
    ].join('\n');
    const answer = await post(csv);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('IMPORT_REJECTED');
    const paths = (answer.body.errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(['line 3: birthDate', 'line 4: row', 'line 5: seekerId']);
    expect(await count()).toBe(0);
  });

  it('imports the good rows when asked to skip the bad ones, all in one transaction', async () => {
    const csv = [HEADER, row('imp-001'), row('imp-002', { occupations: '9999' }), row('imp-004')].join('\r\n');
    const answer = await post(csv, '?skipBadRows=true');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ imported: 2, rows: 3, skipped: [{ line: 3 }] });
    expect(await count()).toBe(2);
    const seeker = await fetch(`${service.url}/seekers/imp-001`, {
      headers: { authorization: `Bearer ${officer('MA-09')}` },
    }).then((r) => r.json());
    expect(seeker).toMatchObject({
      fullName: 'Personne, fictive',
      skills: ['diagnostic', 'mécanique'],
      pandemicJobLoss: true,
      disability: false,
    });
  });

  it('imports offers the same way', async () => {
    const header =
      'offerId,employerKind,employerId,employerName,sector,region,province,abroadCountry,occupation,positions,requiredEducation,skills,contractType,mass,validUntil';
    const good =
      'imp-offer-1,company,emp-1,Employeur fictif,automotive,MA-09,Tiznit,,8211,12,primary,assemblage|câblage,permanent,non,2030-01-01';
    const bad =
      'imp-offer-2,company,emp-1,Employeur fictif,automotive,MA-09,Tiznit,,8211,0,primary,,seasonal_abroad,non,2030-01-01';
    const post = (csv: string) =>
      fetch(`${service.url}/imports/offers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer('MA-09')}`, 'content-type': 'text/csv' },
        body: csv,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const refused = await post([header, good, bad].join('\n'));
    expect(refused.body.code).toBe('IMPORT_REJECTED');
    expect((refused.body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual([
      'line 3: positions',
      'line 3: abroadCountry',
    ]);
    expect((await post([header, good].join('\n'))).body).toMatchObject({ imported: 1 });
    const offer = await fetch(`${service.url}/offers/imp-offer-1`, {
      headers: { authorization: `Bearer ${officer('MA-09')}` },
    }).then((r) => r.json());
    expect(offer).toMatchObject({
      status: 'received',
      positions: 12,
      skills: ['assemblage', 'câblage'],
      employer: { sector: 'automotive' },
    });
  });

  it('erases a seeker: the person is gone from every read, the history stays and verifies', async () => {
    const erased = await fetch(`${service.url}/seekers/imp-004/erase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer('MA-09')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'demande de la personne' }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect(erased).toMatchObject({
      status: 200,
      body: { status: 'erased', fullName: '[erased]', cin: '[erased]', region: 'MA-09' },
    });
    const history = await service.runtime.store.readStream('matching.seeker-imp-004');
    expect(history.map((e) => e.type)).toEqual(['SeekerRegistered', 'SeekerErased']);
    expect(history[0]?.data.fullName).toBe('[erased]');
    expect((await service.runtime.store.verify()).ok).toBe(true);
  });

  it('refuses rows already registered, an unclosed quote, an empty body and a header with no row', async () => {
    expect((await post([HEADER, row('imp-004')].join('\n'))).body).toMatchObject({
      code: 'IMPORT_REJECTED',
      errors: [{ path: 'line 2: seekerId' }],
    });
    expect((await post(`${HEADER}\nimp-9,"open`)).body).toMatchObject({ code: 'CSV_SYNTAX' });
    expect((await post('', '', tokenFor({ sub: 'a', roles: ['admin'] }))).body).toMatchObject({ code: 'EMPTY_FILE' });
    expect(await post(HEADER)).toMatchObject({ status: 400, body: { code: 'EMPTY_FILE' } });
    expect(await post('{}')).toMatchObject({ status: 400, body: { code: 'EMPTY_FILE' } });
    // The two imported registrations and the erasure: the refused files added nothing.
    expect(await count()).toBe(3);
  });
});
