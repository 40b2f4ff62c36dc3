import { randomUUID } from 'node:crypto';
import type { RegionCode } from '@tashghil/contracts';
import {
  ERASED,
  handleCommand,
  handleWorkflow,
  isSealed,
  loadAggregate,
  openStore,
  testBackends,
  type DomainError,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import type { RunningService } from '@tashghil/service-kit';
import { call, officer, startEmbedded, tokenFor } from '@tashghil/testing';
import { approveOrWaitlist } from '../envelope/over-envelope';
import { envelopeDecider, envelopeStreamId, type SetEnvelopeLimits } from '../envelope/envelope.decider';
import { BASELINE } from '../rules/parameters';
import { subsidiesService } from '../service';
import {
  worksProjectDecider,
  worksProjectStreamId,
  type DecideWorksProject,
  type WorksProjectCommand,
} from './works-project.decider';
import { decideWorksProject, recommitting, waitlisting } from './works-project-envelope.workflow';
import { ensureSubsidiesQueryModels } from '../query-models';

const metadata = (day: string, region = 'MA-10') => ({
  now: `${day}T10:00:00.000Z`,
  actor: `officer-${region}`,
  roles: ['officer'],
  region,
  correlationId: 'works',
  commandId: randomUUID(),
});
type Of<T extends WorksProjectCommand['type']> = Extract<WorksProjectCommand, { type: T }>;
const cmd = <T extends WorksProjectCommand['type']>(
  type: T,
  data: Omit<Of<T>['data'], 'table'>,
  day: string,
  region?: string,
): Of<T> => ({ type, data: { ...data, table: BASELINE }, metadata: metadata(day, region) }) as unknown as Of<T>;
// 3 jobs, 2 May–1 November 2022, months priced June to November (see works-project.decider.spec.ts).
const BUDGET = 3 * (3 * 342_529 + 3 * 359_643);
const categories = {
  gender: 'female',
  ageBand: 'under_25',
  disability: false,
  hasDiploma: false,
  area: 'rural',
  longTermUnemployed: false,
} as const;

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'a works site through the handler and the envelope on %s',
  (_n, backend) => {
    let database: TestDatabase;
    let store: EventStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await openStore(database);
      await ensureSubsidiesQueryModels(store);
    });
    afterAll(() => database.dispose());

    const setEnvelope = (region: string, targetJobs: number, year = 2022) => {
      const command: SetEnvelopeLimits = {
        type: 'SetEnvelopeLimits',
        data: {
          region,
          programme: 'awrach',
          year,
          revision: 1,
          sourceEventId: randomUUID(),
          reference: 'Programme Awrach, comité régional du 22 avril 2022',
          components: [{ component: 'temporary_works', targetJobs }],
        },
        metadata: metadata('2022-04-22', region),
      };
      return handleCommand(store, envelopeDecider, envelopeStreamId(command.data), command);
    };
    const run = (id: string, command: WorksProjectCommand) =>
      handleCommand(store, worksProjectDecider, worksProjectStreamId(id), command);
    const propose = (projectId: string, region: RegionCode = 'MA-10', jobs = 3) =>
      run(
        projectId,
        cmd(
          'ProposeWorksProject',
          {
            projectId,
            region,
            province: region === 'MA-10' ? 'Tan-Tan' : 'Province',
            promoter: { kind: 'cooperative', id: 'coop-1', name: 'Coopérative (fictive) Al Amal' },
            kind: 'large',
            title: 'Aménagement de la corniche',
            jobs,
            months: 6,
            start: '2022-05-02',
            end: '2022-11-01',
            monthlyWageCentimes: 282_871,
            proposedOn: '2022-04-25',
          },
          '2022-04-25',
          region,
        ),
      );
    const approve = (projectId: string, policy: 'refuse' | 'waitlist', region = 'MA-10') => {
      const command: DecideWorksProject = {
        type: 'DecideWorksProject',
        data: { outcome: 'approved', decisionNumber: `CT-${projectId}`, date: '2022-04-28' },
        metadata: metadata('2022-04-28', region),
      };
      const decided = async (c: DecideWorksProject) =>
        (await handleWorkflow(store, decideWorksProject(projectId, c))).stream(
          worksProjectDecider,
          worksProjectStreamId(projectId),
        );
      return approveOrWaitlist(
        policy,
        () => decided(command),
        (refusal) => decided(waitlisting(command, refusal)),
      );
    };
    const recommit = async (projectId: string, command: Of<'LaunchWorksSite'> | Of<'RecordPayroll'>) =>
      (await handleWorkflow(store, recommitting(projectId, command))).stream(
        worksProjectDecider,
        worksProjectStreamId(projectId),
      );
    const envelope = async (region: string) =>
      (await loadAggregate(store, envelopeDecider, envelopeStreamId({ region, programme: 'awrach', year: 2022 })))
        .state;

    it('runs a site from proposal to certificates, its approval reserved in the envelope in the same transaction', async () => {
      await setEnvelope('MA-10', 3800);
      const id = 'tan-tan-corniche-2022';
      await propose(id);
      const approved = await approve(id, 'refuse');
      expect(approved.state).toMatchObject({ status: 'approved' });
      expect((await envelope('MA-10')).reserved).toEqual({ temporary_works: { jobs: 3, centimes: BUDGET } });
      const reserved = (
        await store.readStream(envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 }))
      )[1];
      expect(reserved).toMatchObject({
        type: 'EnvelopePlacesReserved',
        data: { file: { kind: 'works-project', id }, jobs: 3, centimes: BUDGET },
      });

      await run(id, cmd('LaunchWorksSite', { on: '2022-05-02' }, '2022-05-02'));
      await run(
        id,
        cmd(
          'EnrolBeneficiary',
          { beneficiaryId: 'b-1', source: 'matching', seekerId: 'sk-1', on: '2022-05-02', categories },
          '2022-05-02',
        ),
      );
      await run(
        id,
        cmd(
          'EnrolBeneficiary',
          {
            beneficiaryId: 'b-2',
            source: 'direct',
            identity: { fullName: 'Personne Fictive', cin: 'JT654321' },
            on: '2022-05-02',
            categories,
          },
          '2022-05-02',
        ),
      );
      await expect(
        run(
          id,
          cmd(
            'EnrolBeneficiary',
            {
              beneficiaryId: 'b-3',
              source: 'matching',
              seekerId: 'sk-3',
              on: '2022-05-03',
              monthlyWageCentimes: 250_000,
              categories,
            },
            '2022-05-03',
          ),
        ),
      ).rejects.toMatchObject({ code: 'WAGE_BELOW_SMIG', fields: [{ path: 'monthlyWageCentimes' }] });
      // May at 2,828.71 MAD; September at the new SMIG, 2,970.05 MAD, for both.
      await run(
        id,
        cmd(
          'RecordPayroll',
          {
            month: '2022-05',
            lines: [
              { beneficiaryId: 'b-1', days: 26 },
              { beneficiaryId: 'b-2', days: 13 },
            ],
          },
          '2022-06-01',
        ),
      );
      const september = await run(
        id,
        cmd(
          'RecordPayroll',
          {
            month: '2022-09',
            lines: [
              { beneficiaryId: 'b-1', days: 26 },
              { beneficiaryId: 'b-2', days: 26 },
            ],
          },
          '2022-10-01',
        ),
      );
      expect(september.events[0]?.data).toMatchObject({ totals: { grossCentimes: 2 * 297_005 } });
      const done = await run(id, cmd('CompleteWorksSite', { on: '2022-11-01' }, '2022-11-01'));
      expect(done.state).toMatchObject({
        status: 'completed',
        certificates: [
          {
            certificateNumber: `${id}-001`,
            beneficiaryId: 'b-1',
            monthsPaid: 2,
            daysWorked: 52,
            grossCentimes: 282_871 + 297_005,
          },
          {
            certificateNumber: `${id}-002`,
            beneficiaryId: 'b-2',
            monthsPaid: 2,
            daysWorked: 39,
            grossCentimes: 141_436 + 297_005,
          },
        ],
      });
      const types = (await store.readStream(worksProjectStreamId(id))).map((e) => e.type);
      expect(types).toEqual([
        'WorksProjectProposed',
        'WorksProjectDecided',
        'WorksSiteLaunched',
        'WorksBeneficiaryEnrolled',
        'WorksBeneficiaryEnrolled',
        'WorksBeneficiaryIdentified',
        'WorksPayrollRecorded',
        'WorksPayrollRecorded',
        'WorksSiteCompleted',
      ]);
    });

    it('stores a direct beneficiary’s name and CIN sealed under their own key, and shreds them on erasure', async () => {
      const id = 'tan-tan-corniche-2022';
      const sealed = (await store.readStream(worksProjectStreamId(id), { decrypt: false })).find(
        (e) => e.type === 'WorksBeneficiaryIdentified',
      );
      expect(isSealed(sealed?.data.fullName) && isSealed(sealed.data.cin)).toBe(true);
      expect(JSON.stringify(sealed?.data)).not.toContain('Fictive');
      const read = async () =>
        (await store.readStream(worksProjectStreamId(id))).find((e) => e.type === 'WorksBeneficiaryIdentified')?.data;
      expect(await read()).toMatchObject({ fullName: 'Personne Fictive', cin: 'JT654321' });
      await store.eraseSubject('works-beneficiary:b-2');
      expect(await read()).toMatchObject({ beneficiaryId: 'b-2', fullName: ERASED, cin: ERASED });
      expect((await store.verify()).ok).toBe(true);
    });

    it('refuses an approval beyond the envelope, or waitlists it with the envelope’s reason when so set', async () => {
      await setEnvelope('MA-11', 5);
      await propose('laayoune-a', 'MA-11');
      await propose('laayoune-b', 'MA-11');
      await approve('laayoune-a', 'refuse', 'MA-11');
      await expect(approve('laayoune-b', 'refuse', 'MA-11')).rejects.toMatchObject({ code: 'ENVELOPE_EXCEEDED' });
      expect((await loadAggregate(store, worksProjectDecider, worksProjectStreamId('laayoune-b'))).version).toBe(0);
      const waitlisted = await approve('laayoune-b', 'waitlist', 'MA-11');
      expect(waitlisted.state).toMatchObject({
        status: 'waitlisted',
        decisions: [{ outcome: 'waitlisted', reason: expect.stringMatching(/3 of 5 jobs are taken/) }],
      });
      expect((await envelope('MA-11')).reserved).toEqual({ temporary_works: { jobs: 3, centimes: BUDGET } });
    });

    it('moves the envelope reservation with a re-commitment, in the same transaction', async () => {
      await setEnvelope('MA-08', 100);
      await propose('draa-late', 'MA-08');
      await approve('draa-late', 'refuse', 'MA-08');
      // Launched on 1 July, the site runs July–December: 3 × (2 × 3,425.29 + 4 × 3,596.43) MAD.
      const launched = await recommit('draa-late', cmd('LaunchWorksSite', { on: '2022-07-01' }, '2022-07-01', 'MA-08'));
      expect(launched.events.map((e) => e.type)).toEqual(['WorksSiteLaunched', 'WorksCommitmentRevised']);
      const limits = await envelope('MA-08');
      expect(limits.reserved).toEqual({ temporary_works: { jobs: 3, centimes: 3 * (2 * 342_529 + 4 * 359_643) } });
      const version = (
        await loadAggregate(
          store,
          envelopeDecider,
          envelopeStreamId({ region: 'MA-08', programme: 'awrach', year: 2022 }),
        )
      ).version;
      await run(
        'draa-late',
        cmd(
          'EnrolBeneficiary',
          { beneficiaryId: 'b-1', source: 'matching', seekerId: 'sk-d1', on: '2022-07-01', categories },
          '2022-07-01',
          'MA-08',
        ),
      );
      // A payroll at the prices the launch committed re-commits nothing, and leaves the envelope alone.
      const paid = await recommit(
        'draa-late',
        cmd('RecordPayroll', { month: '2022-07', lines: [{ beneficiaryId: 'b-1', days: 26 }] }, '2022-08-01', 'MA-08'),
      );
      expect(paid.events.map((e) => e.type)).toEqual(['WorksPayrollRecorded']);
      expect(
        (
          await loadAggregate(
            store,
            envelopeDecider,
            envelopeStreamId({ region: 'MA-08', programme: 'awrach', year: 2022 }),
          )
        ).version,
      ).toBe(version);
    });

    it('refuses an approval while no envelope is set, appending nothing', async () => {
      await propose('dakhla-a', 'MA-12');
      await expect(approve('dakhla-a', 'waitlist', 'MA-12')).rejects.toMatchObject({ code: 'ENVELOPE_NOT_SET' });
      expect(await store.streamVersion(worksProjectStreamId('dakhla-a'))).toBe(0);
    });

    it('gives the last places to exactly one of two approvals sent at the same time', async () => {
      await setEnvelope('MA-09', 4);
      await propose('souss-a', 'MA-09');
      await propose('souss-b', 'MA-09');
      const results = await Promise.allSettled([
        approve('souss-a', 'refuse', 'MA-09'),
        approve('souss-b', 'refuse', 'MA-09'),
      ]);
      expect(
        results.map((r) => (r.status === 'fulfilled' ? 'approved' : (r.reason as DomainError).code)).sort(),
      ).toEqual(['ENVELOPE_EXCEEDED', 'approved']);
      expect((await envelope('MA-09')).reserved).toEqual({ temporary_works: { jobs: 3, centimes: BUDGET } });
    });
  },
);

describe('the works-projects API (embedded)', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startEmbedded(subsidiesService);
  });
  afterAll(() => service.stop());

  const body = {
    projectId: 'assa-zag-oasis-2022',
    region: 'MA-10',
    province: 'Assa-Zag',
    promoter: { kind: 'association', id: 'asso-oasis', name: 'Association (fictive) des oasis' },
    kind: 'small',
    title: 'Entretien des seguias',
    jobs: 4,
    months: 4,
    start: '2022-06-01',
    end: '2022-09-30',
    monthlyWageCentimes: 282_871,
    proposedOn: '2022-05-20',
  };

  it('answers a bad body with 400 problem+json naming each bad field', async () => {
    const answer = await call(service.url, 'POST', '/works-projects', officer('MA-10'), {
      ...body,
      region: 'MA-13',
      jobs: 'four',
      start: '2022-02-30',
      promoter: { kind: 'company' },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body.code).toBe('INVALID_INPUT');
    expect((answer.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual([
      'jobs',
      'promoter.id',
      'promoter.name',
      'region',
      'start',
    ]);
  });

  it('answers a rule the dates break with 400 naming the field', async () => {
    const answer = await call(service.url, 'POST', '/works-projects', officer('MA-10'), { ...body, months: 6 });
    expect(answer).toMatchObject({ status: 400, body: { code: 'MONTHS_INCONSISTENT', errors: [{ path: 'months' }] } });
  });

  it('lets an officer of the region propose, and refuses an officer of another region with 403', async () => {
    const refused = await call(service.url, 'POST', '/works-projects', officer('MA-09'), body);
    expect(refused).toMatchObject({ status: 403, body: { code: 'REGION_OUT_OF_SCOPE' } });
    const created = await call(service.url, 'POST', '/works-projects', officer('MA-10'), body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/works-projects/assa-zag-oasis-2022');
    // June to August at 2,828.71 + 596.58 MAD a job, September at 2,970.05 + 626.38 MAD.
    expect(created.body).toMatchObject({
      status: 'proposed',
      budgetCentimes: 4 * (3 * 342_529 + 359_643),
      eligibility: { outcome: 'eligible' },
    });
    expect((await call(service.url, 'GET', '/works-projects/assa-zag-oasis-2022', officer('MA-09'))).status).toBe(403);
    const listed = await call(service.url, 'GET', '/works-projects', officer('MA-09'));
    expect(listed.body.projects).toEqual([]);
    const decidedByOfficer = await call(
      service.url,
      'POST',
      '/works-projects/assa-zag-oasis-2022/decision',
      officer('MA-10'),
      { outcome: 'rejected', decisionNumber: 'D-1', date: '2022-05-25', reason: 'x' },
    );
    expect(decidedByOfficer).toMatchObject({ status: 403, body: { code: 'ROLE_NOT_ALLOWED' } });
    const committee = tokenFor({ sub: 'ct-ma10', roles: ['committee'], region: 'MA-10' });
    const tracking = await call(service.url, 'GET', '/works-projects/tracking?region=MA-10&year=2022', committee);
    expect(tracking).toMatchObject({ status: 200, body: { total: { programmed: { sites: 0, jobs: 0 } } } });
  });

  it('takes the site through approval, enrolment, payroll and completion, with ETags, and counts it in the tracking', async () => {
    const path = '/works-projects/assa-zag-oasis-2022';
    const limits: SetEnvelopeLimits = {
      type: 'SetEnvelopeLimits',
      data: {
        region: 'MA-10',
        programme: 'awrach',
        year: 2022,
        revision: 1,
        sourceEventId: randomUUID(),
        reference: 'test',
        components: [{ component: 'temporary_works', targetJobs: 3800 }],
      },
      metadata: metadata('2022-04-22'),
    };
    await handleCommand(service.runtime.store, envelopeDecider, envelopeStreamId(limits.data), limits);
    const committee = tokenFor({ sub: 'ct-ma10', roles: ['committee'], region: 'MA-10' });
    const ma10 = officer('MA-10');
    const approved = await call(service.url, 'POST', `${path}/decision`, committee, {
      outcome: 'approved',
      decisionNumber: 'CT-GON-2022-040',
      date: '2022-05-25',
    });
    expect(approved).toMatchObject({
      status: 200,
      body: { status: 'approved', decisions: [{ envelope: { year: 2022, component: 'temporary_works', jobs: 4 } }] },
    });
    const launched = await call(
      service.url,
      'POST',
      `${path}/launch`,
      ma10,
      { on: '2022-06-01' },
      { 'if-match': approved.headers.get('etag') ?? '' },
    );
    expect(launched).toMatchObject({ status: 200, body: { status: 'launched', launchedOn: '2022-06-01' } });
    expect(
      (
        await call(
          service.url,
          'POST',
          `${path}/launch`,
          ma10,
          { on: '2022-06-02' },
          { 'if-match': approved.headers.get('etag') ?? '' },
        )
      ).status,
    ).toBe(412);
    const direct = {
      beneficiaryId: 'oasis-1',
      source: 'direct',
      identity: { fullName: 'Personne Fictive', cin: 'JT1234' },
      on: '2022-06-01',
      categories,
    };
    const enrolled = await call(service.url, 'POST', `${path}/beneficiaries`, ma10, direct);
    expect(enrolled).toMatchObject({
      status: 201,
      body: {
        totals: { enrolled: 1, placesLeft: 3 },
        beneficiaries: [{ beneficiaryId: 'oasis-1', socialCover: true }],
      },
    });
    expect(JSON.stringify(enrolled.body)).not.toMatch(/Fictive|JT1234/);
    const bad = await call(service.url, 'POST', `${path}/payroll`, ma10, {
      month: '2022-06',
      lines: [{ beneficiaryId: 'nobody', days: 26 }],
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { code: 'BENEFICIARY_NOT_ENROLLED', errors: [{ path: 'lines.0.beneficiaryId' }] },
    });
    const paid = await call(service.url, 'POST', `${path}/payroll`, ma10, {
      month: '2022-06',
      lines: [{ beneficiaryId: 'oasis-1', days: 26 }],
    });
    expect(paid).toMatchObject({
      status: 200,
      body: { totals: { paidGrossCentimes: 282_871, employerContributionsCentimes: 59_658 } },
    });
    expect((await call(service.url, 'POST', `${path}/completion`, ma10, { on: '2022-09-30' })).status).toBe(200);
    const certificates = await call(service.url, 'GET', `${path}/certificates`, ma10);
    expect(certificates.body).toMatchObject({
      completedOn: '2022-09-30',
      certificates: [
        { certificateNumber: 'assa-zag-oasis-2022-001', monthsPaid: 1, daysWorked: 26, grossCentimes: 282_871 },
      ],
    });
    const tracking = await call(service.url, 'GET', '/works-projects/tracking?region=MA-10&year=2022', committee);
    const one = { sites: 1, jobs: 4 };
    expect(tracking.body).toMatchObject({
      provinces: [{ province: 'Assa-Zag', programmed: one, launched: one, completed: one }],
      total: { programmed: one, launched: one, completed: one },
    });
    expect((await call(service.url, 'GET', '/works-projects?region=MA-10', ma10)).body).toMatchObject({
      projects: [{ projectId: 'assa-zag-oasis-2022', status: 'completed', enrolled: 1 }],
    });
  });
});
