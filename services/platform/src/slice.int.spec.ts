import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '@tashghil/service-kit';
import { seedDemoData } from './demo-data';
import { DEMO_RUN_ID } from './demo-hires';
import { platformService } from './service';
import {
  call,
  conventionIdsIn,
  countBy,
  demoEvents,
  draftBody,
  hiresIn,
  officer,
  tokenFor,
  waitForConvention,
  waitForHiresNoticed,
} from './slice-checks';

describe('the slice in the embedded mode: HTTP → store → in-process bus → projection → HTTP', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-slice-'));
  const env = {
    TASHGHIL_MODE: 'embedded',
    TASHGHIL_DATA_DIR: dataDir,
    PORT: '0',
    TASHGHIL_DEMO: 'true',
    LOG_LEVEL: 'silent',
    // Streaming proposals for the 61 demo offers would keep writing in the background and blur
    // the event counts this suite compares; the matching suite covers streaming on its own.
    MATCHING_STREAMING: 'false',
  };
  let service: RunningService;

  beforeAll(async () => {
    service = await startService(platformService, env);
  }, 180_000);
  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the demo Souss-Massa convention, signed on 15 March 2021 with its budget lines', async () => {
    const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
    await waitForConvention(service.url, admin, 'MA-09', 'souss-massa-2020-2022');
    const convention = await call(service.url, 'GET', '/conventions/souss-massa-2020-2022', admin);
    expect(convention.body).toMatchObject({
      status: 'signed',
      signedOn: '2021-03-15',
      region: 'MA-09',
      totals: { stateMad: '280360000.00', regionMad: '15000000.00' },
    });
    expect((convention.body.signatures as unknown[]).length).toBe(3);
  });

  it('serves the Awrach Guelmim-Oued Noun 2022 targets and its regional committee first meeting', async () => {
    const token = officer('MA-10');
    const targets = await call(service.url, 'GET', '/programme-targets/MA-10/awrach/2022', token);
    expect(targets.status).toBe(200);
    expect(targets.body.components).toEqual([
      { component: 'temporary_works', targetJobs: 3800 },
      { component: 'lasting_integration', targetJobs: 1000, budgetCentimes: 2_700_000_000 },
    ]);
    const committee = await call(service.url, 'GET', '/committees/awrach-guelmim-oued-noun-regional', token);
    expect(committee.body).toMatchObject({ kind: 'regional', region: 'MA-10', meetings: [{ date: '2022-04-22' }] });
    expect(
      (await call(service.url, 'GET', '/committees/awrach-guelmim-oued-noun-regional', officer('MA-09'))).status,
    ).toBe(403);
  });

  it('serves the Awrach 2022 grant files within the envelope the targets set, each paid only for declared months', async () => {
    const token = officer('MA-10');
    const envelope = await call(service.url, 'GET', '/envelopes/MA-10/awrach/2022', token);
    expect(envelope.status).toBe(200);
    const lasting = (
      envelope.body.components as Array<{
        component: string;
        reservedJobs: number;
        committedCentimes: number;
        remainingJobs: number;
      }>
    ).find((c) => c.component === 'lasting_integration');
    const grants = (await call(service.url, 'GET', '/grants?region=MA-10', token)).body.grants as Array<{
      status: string;
      scheme: string;
      application: { beneficiary?: { province: string } };
      decision?: { totalCentimes?: number };
      schedule: Array<{ status: string; declaredDays: number | null }>;
      totals: { scheduledCentimes: number; paidCentimes: number; clawbackCentimes: number };
    }>;
    expect(grants).toHaveLength(50);
    const approved = grants.filter((g) => g.status === 'approved' || g.status === 'ended');
    expect(approved.length).toBeGreaterThan(20);
    expect(grants.some((g) => g.status === 'rejected')).toBe(true);
    // Awrach 2 took hires from July 2023: every 2022 file is Awrach 1, and says who was hired.
    expect(grants.every((g) => g.scheme === 'awrach-1' && g.application.beneficiary?.province)).toBe(true);
    // An ended grant gives its job place and its unpaid remainder back to the envelope.
    const running = approved.filter((g) => g.status === 'approved').length;
    expect(lasting).toMatchObject({
      reservedJobs: running,
      remainingJobs: 1000 - running,
      committedCentimes: approved.reduce((n, g) => n + g.totals.scheduledCentimes, 0),
    });
    expect(
      approved.every((g) => g.schedule.filter((m) => m.status === 'paid').every((m) => (m.declaredDays ?? 0) > 0)),
    ).toBe(true);
    expect(approved.some((g) => g.status === 'ended' && g.totals.clawbackCentimes > 0)).toBe(true);
    expect((await call(service.url, 'GET', '/grants?region=MA-10', officer('MA-09'))).body.grants).toEqual([]);
  });

  it("shows Guelmim-Oued Noun's 2022 committee the works paid within what was committed and every grant hire in every breakdown", async () => {
    const token = officer('MA-10');
    const grants = (await call(service.url, 'GET', '/grants?region=MA-10', token)).body.grants as Array<{
      status: string;
      scheme: string;
    }>;
    const hired = grants.filter((g) => g.status === 'approved' || g.status === 'ended').length;
    type Count = { key: string; count: number };
    type Report = {
      budget: Array<{ source: string; line: string; committedCentimes: number; paidCentimes: number }>;
      beneficiaries: Record<string, Count[] | number | { counted: Count[] }> & {
        total: number;
        bySource: Count[];
        byComponent: Count[];
      };
    };
    const countOf = (xs: Count[], key: string): number => xs.find((x) => x.key === key)?.count ?? 0;
    let report: Report | undefined;
    for (let i = 0; i < 300; i += 1) {
      const r = await call(service.url, 'GET', '/reports/committee?region=MA-10', token);
      report = r.body as Report;
      if (r.status === 200 && countOf(report.beneficiaries.bySource, 'grant') === hired) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    if (!report) throw new Error('no report');
    expect(grants.some((g) => g.scheme === 'awrach-2')).toBe(false);
    // Committed and paid are both gross wages plus the employer's contributions: a site paid to
    // plan is at 100 %, and no demo site is paid beyond its plan.
    const works = report.budget.find((b) => b.source === 'programme' && b.line === 'temporary_works');
    expect(works?.paidCentimes).toBeGreaterThan(0);
    expect(works?.paidCentimes ?? Infinity).toBeLessThanOrEqual(works?.committedCentimes ?? 0);
    // Every grant hire is a beneficiary of the lasting-integration component, with known categories.
    const b = report.beneficiaries;
    expect(countOf(b.bySource, 'grant')).toBe(hired);
    expect(countOf(b.byComponent, 'lasting_integration')).toBe(hired);
    for (const breakdown of [
      'byGender',
      'byAgeBand',
      'byDisability',
      'byDiploma',
      'byArea',
      'byLongTermUnemployment',
      'byProvince',
    ] as const) {
      const counts = b[breakdown] as Count[];
      expect(counts.reduce((n, c) => n + c.count, 0)).toBe(b.total);
      expect(counts.some((c) => c.key === 'unknown')).toBe(false);
    }
    expect(b.total).toBeGreaterThanOrEqual(hired);
  });

  it('tracks the Awrach 2022 works sites: programmed, launched and completed, with certificates', async () => {
    const token = officer('MA-10');
    const tracking = await call(service.url, 'GET', '/works-projects/tracking?region=MA-10&year=2022', token);
    expect(tracking.status).toBe(200);
    expect(tracking.body.total).toMatchObject({
      programmed: { sites: 10, jobs: 190 },
      launched: { sites: 8, jobs: 152 },
    });
    const completed = (tracking.body.total as { completed: { sites: number } }).completed.sites;
    expect(completed).toBeGreaterThan(0);
    expect(completed).toBeLessThan(8);
    const certificates = await call(service.url, 'GET', '/works-projects/demo-gon-chantier-01/certificates', token);
    expect(certificates.body).toMatchObject({
      certificates: expect.arrayContaining([
        expect.objectContaining({ beneficiaryId: 'demo-gon-chantier-01-b02', daysWorked: expect.any(Number) }),
      ]),
    });
    const envelope = await call(service.url, 'GET', '/envelopes/MA-10/awrach/2022', token);
    expect(
      (envelope.body.components as Array<{ component: string; reservedJobs: number }>).find(
        (c) => c.component === 'temporary_works',
      )?.reservedJobs,
    ).toBe(190);
  });

  it('records the national batch run of 2 May 2022, which replays from its inputs to the same result', async () => {
    const admin = tokenFor({ sub: 'admin', roles: ['admin'] });
    const run = await call(service.url, 'GET', `/matching-runs/${DEMO_RUN_ID}`, admin);
    expect(run.body).toMatchObject({
      status: 'completed',
      runId: DEMO_RUN_ID,
      completedAt: '2022-05-02T07:00:00.000Z',
      parameters: { on: '2022-05-02' },
    });
    expect((run.body.solution as { proposals: number }).proposals).toBeGreaterThan(100);
    const replay = await call(service.url, 'POST', `/matching-runs/${DEMO_RUN_ID}/replay`, admin);
    expect(replay.body).toMatchObject({
      runId: DEMO_RUN_ID,
      sameInputs: true,
      sameResult: true,
      differingProposals: 0,
    });
  });

  it('takes part of the run to hires from May to November 2022, in the region, in other regions and abroad', async () => {
    const events = await demoEvents(service.runtime.store);
    const hires = hiresIn(events);
    expect(hires.length).toBeGreaterThanOrEqual(60);
    expect(hires.length).toBeLessThanOrEqual(120);
    expect(countBy(hires, (h) => h.flow)).toEqual({
      own_region: expect.any(Number),
      other_region: expect.any(Number),
      abroad: expect.any(Number),
    });
    // The Souss-Massa mechanism: its automotive mass offers take seekers from other regions.
    expect(
      hires.filter((h) => h.destination === 'MA-09' && h.origin !== 'MA-09' && h.sector === 'automotive').length,
    ).toBeGreaterThan(5);
    expect(hires.some((h) => h.contractType === 'idmaj')).toBe(true);
    for (const h of hires) {
      expect(h.on >= '2022-05-01' && h.on <= '2022-11-30').toBe(true);
      expect(h.recordedAt.slice(0, 10)).toBe(h.on);
      expect(h.startDate >= h.on).toBe(true);
    }
    expect(Object.keys(countBy(hires, (h) => h.on.slice(0, 7))).length).toBeGreaterThanOrEqual(5);
    const hired = new Set(hires.map((h) => `matching.placement-${h.placementId}`));
    const steps = events.filter((e) => hired.has(e.streamId));
    for (const stream of hired) {
      const own = steps.filter((e) => e.streamId === stream);
      expect(own.map((e) => e.type)).toEqual([
        'PlacementProposed',
        'ProposalAccepted',
        'InterviewScheduled',
        'SeekerHired',
      ]);
      expect(own.map((e) => e.recordedAt)).toEqual(own.map((e) => e.recordedAt).sort());
      expect(own[0]?.recordedAt).toBe('2022-05-02T07:00:00.000Z');
    }
    await waitForHiresNoticed(service.runtime.store, hires.length);
  }, 120_000);

  it("records every demo event on its day of the programmes' calendar, so a report as of 30 June 2022 sees part of the year", async () => {
    const events = await demoEvents(service.runtime.store);
    const times = events.map((e) => e.recordedAt).sort();
    expect(times[0]).toBe('2021-03-01T09:00:00.000Z');
    expect((times[times.length - 1] ?? '') <= '2023-01-31').toBe(true);
    expect(
      events.filter((e) => e.streamId.startsWith('matching.')).every((e) => e.recordedAt.startsWith('2022-')),
    ).toBe(true);
    expect(events.find((e) => e.type === 'ConventionSigned')?.recordedAt.slice(0, 10)).toBe('2021-03-15');
    const byJune = (
      await service.runtime.store.readAll({ limit: 100_000, recordedUntil: '2022-06-30T23:59:59.999Z' })
    ).events.filter((e) => e.metadata.actor === 'demo-seed');
    const hiredByJune = hiresIn(byJune).length;
    expect(hiredByJune).toBeGreaterThan(0);
    expect(hiredByJune).toBeLessThan(hiresIn(events).length);
    // Instalments are paid from November on: none by June, though every approved file has some.
    expect(byJune.some((e) => e.type === 'GrantDecided')).toBe(true);
    expect(byJune.some((e) => e.type === 'GrantPaymentRecorded')).toBe(false);
    expect(events.some((e) => e.type === 'GrantPaymentRecorded')).toBe(true);
  });

  it('adds nothing when the demo is seeded again', async () => {
    const before = (await demoEvents(service.runtime.store)).length;
    await seedDemoData(service.runtime, service.log);
    expect((await demoEvents(service.runtime.store)).length).toBe(before);
  });

  it('drafts a convention and shows it in the regional report', async () => {
    const token = officer('MA-09');
    const created = await call(service.url, 'POST', '/conventions', token, draftBody('agadir-2024', 'MA-09'));
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"0"');
    await waitForConvention(service.url, token, 'MA-09', 'agadir-2024');
    const fetched = await call(service.url, 'GET', '/conventions/agadir-2024', token);
    expect(fetched.body).toMatchObject({ conventionId: 'agadir-2024', region: 'MA-09', version: 0 });
  });

  it('answers a repeat draft of the same id with 409 and changes nothing', async () => {
    const token = officer('MA-09');
    const again = await call(service.url, 'POST', '/conventions', token, {
      ...draftBody('agadir-2024', 'MA-09'),
      title: 'Another title',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONVENTION_ALREADY_EXISTS', status: 409 });
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fetched = await call(service.url, 'GET', '/conventions/agadir-2024', token);
    expect(fetched.body.title).toBe('Convention test agadir-2024');
  });

  it('answers bad input with 400 problem+json naming each bad field', async () => {
    const bad = await call(service.url, 'POST', '/conventions', officer('MA-09'), {
      conventionId: 'X',
      region: '09',
      period: { start: '2024-13-01' },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['conventionId', 'period.end', 'period.start', 'region', 'title']);
    const notJson = await call(service.url, 'POST', '/conventions', officer('MA-09'), '{"conventionId": ');
    expect(notJson).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
  });

  it('refuses an officer drafting for another region (403) and a request without a token (401)', async () => {
    const other = await call(service.url, 'POST', '/conventions', officer('MA-09'), draftBody('rabat-2024', 'MA-04'));
    expect(other).toMatchObject({ status: 403, body: { code: 'REGION_OUT_OF_SCOPE' } });
    const anonymous = await call(service.url, 'POST', '/conventions', undefined, draftBody('rabat-2024', 'MA-04'));
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'MISSING_TOKEN' } });
    const forged = await call(service.url, 'GET', '/reports/conventions', `${officer('MA-09')}x`);
    expect(forged).toMatchObject({ status: 401, body: { code: 'INVALID_TOKEN' } });
    const report = await call(
      service.url,
      'GET',
      '/reports/conventions?region=MA-04',
      tokenFor({ sub: 'a', roles: ['auditor'] }),
    );
    expect(conventionIdsIn(report.body, 'MA-04')).toEqual([]);
  });

  it('records the verified identity and the correlation id in the event metadata', async () => {
    const res = await fetch(`${service.url}/conventions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${officer('MA-09')}`,
        'content-type': 'application/json',
        'x-correlation-id': 'corr-slice-1',
      },
      body: JSON.stringify(draftBody('tiznit-2024', 'MA-09')),
    });
    expect(res.status).toBe(201);
    const [event] = await service.runtime.store.readStream('conventions.convention-tiznit-2024');
    expect(event?.metadata).toMatchObject({
      actor: 'officer-MA-09',
      roles: ['officer'],
      region: 'MA-09',
      correlationId: 'corr-slice-1',
    });
  });

  it('keeps its data across a restart, and does not load the demo twice', async () => {
    const before = (await service.runtime.store.readAll({ limit: 100_000 })).events.length;
    await service.stop();
    service = await startService(platformService, env);
    const token = officer('MA-09');
    const report = await call(service.url, 'GET', '/reports/conventions?region=MA-09', token);
    expect(conventionIdsIn(report.body, 'MA-09')).toEqual(['agadir-2024', 'souss-massa-2020-2022', 'tiznit-2024']);
    expect((await service.runtime.store.verify()).ok).toBe(true);
    expect((await service.runtime.store.readAll({ limit: 100_000 })).events.length).toBe(before);
  });
});
