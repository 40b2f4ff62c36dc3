import type { RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded } from '@tashghil/testing';
import { matchingService } from '../service';

describe('streaming mode: a newly published offer gets proposals without a batch run', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startEmbedded(matchingService);
  });
  afterAll(() => service.stop());

  it('proposes the best registered seekers of the region, once each, with the reasons of their scores', async () => {
    const token = officer('MA-10');
    const seeker = (seekerId: string, occupation: string, mobility = 'own_region') =>
      call(service.url, 'POST', '/seekers', token, {
        seekerId,
        registeredOn: '2020-01-10',
        region: 'MA-10',
        province: 'Guelmim',
        gender: 'male',
        birthDate: '1990-01-01',
        education: 'vocational',
        occupations: [occupation],
        skills: ['soudure'],
        languages: ['ar'],
        disability: false,
        pandemicJobLoss: false,
        area: 'urban',
        mobility,
        fullName: 'Personne fictive',
        cin: 'ZZ4321',
      });
    expect((await seeker('st-welder', '7212')).status).toBe(201);
    expect((await seeker('st-mechanic', '7231')).status).toBe(201);
    expect((await seeker('st-cook', '5120')).status).toBe(201);
    const offer = await call(service.url, 'POST', '/offers', token, {
      offerId: 'st-offer',
      employer: { kind: 'cooperative', id: 'coop-1', name: 'Coopérative (fictive)', sector: 'construction' },
      region: 'MA-10',
      province: 'Guelmim',
      occupation: '7212',
      positions: 1,
      requiredEducation: 'primary',
      skills: ['soudure'],
      contractType: 'fixed_term',
      mass: false,
      validUntil: '2030-01-01',
    });
    expect(offer.status).toBe(201);
    await call(service.url, 'POST', '/offers/st-offer/validate', token, {});
    await call(service.url, 'POST', '/offers/st-offer/publish', token);

    const deadline = Date.now() + 20_000;
    let placements: ReadonlyArray<{ data: Record<string, unknown> }> = [];
    while (Date.now() < deadline) {
      placements = (await service.runtime.store.readAll({ limit: 1000, categories: ['matching.placement'] })).events;
      if (placements.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Up to three candidates per position, best first; the cook shares no occupation group and is left out.
    expect(placements.map((p) => p.data.seekerId)).toEqual(['st-welder', 'st-mechanic']);
    expect(placements[0]?.data).toMatchObject({
      offerId: 'st-offer',
      parts: { occupation: 400 },
      runId: 'stream-st-offer',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await service.runtime.store.readAll({ limit: 1000, categories: ['matching.placement'] })).events,
    ).toHaveLength(placements.length);
  });
});
