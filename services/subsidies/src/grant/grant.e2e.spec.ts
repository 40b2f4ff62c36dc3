import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@tashghil/contracts';
import { ensureTopics, kafkaClient } from '@tashghil/messaging';
import {
  call,
  freePort,
  officer,
  openServerDatabase,
  spawnService,
  stopProcess,
  tokenFor,
  waitReady,
  type HttpAnswer,
  type TestDatabase,
} from '@tashghil/testing';
import type { Consumer } from 'kafkajs';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

const until = async (what: string, probe: () => Promise<boolean>, ms = 60_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe('a hire from matching, over Kafka, to an approved grant and its first payment, on the PostgreSQL server', () => {
  let database: TestDatabase;
  const services: ChildProcess[] = [];
  const base: Record<'conventions' | 'matching' | 'subsidies', string> = {
    conventions: '',
    matching: '',
    subsidies: '',
  };
  let consumer: Consumer | undefined;
  const tag = randomUUID().slice(0, 8);
  const prefix = `grant-${tag}.`;
  const published: Array<{ type: string; data: Record<string, unknown> }> = [];

  beforeAll(async () => {
    database = await openServerDatabase();
    for (const name of ['conventions', 'matching', 'subsidies'] as const) {
      const port = await freePort();
      services.push(spawnService(name, port, database.url ?? '', { KAFKA_TOPIC_PREFIX: prefix }));
      base[name] = `http://127.0.0.1:${port}`;
    }
    await Promise.all(Object.values(base).map((b) => waitReady(b)));
    const kafka = kafkaClient(brokers, 'e2e-subsidies');
    await ensureTopics(kafka, [TOPICS.subsidies], 3, prefix);
    consumer = kafka.consumer({ groupId: `e2e-${tag}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [`${prefix}${TOPICS.subsidies}`], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        published.push(
          JSON.parse(message.value?.toString() ?? '{}') as { type: string; data: Record<string, unknown> },
        );
      },
    });
  });
  afterAll(async () => {
    // A service that never became ready leaves no consumer: the processes must still be stopped.
    await consumer?.disconnect();
    for (const s of services) await stopProcess(s);
    await database.dispose();
  });

  it('takes the targets from conventions and the hire from matching, approves within the envelope and pays a declared month', async () => {
    const agadir = officer('MA-09');
    const tantan = officer('MA-10');
    const committee = tokenFor({ sub: 'ct-ma09', roles: ['committee'], region: 'MA-09' });
    const admin = tokenFor({ sub: 'pipeline', roles: ['admin'] });
    const today = new Date().toISOString().slice(0, 10);
    const year = Number(today.slice(0, 4));
    const month = today.slice(0, 7);
    const expectStatus = (a: HttpAnswer, status: number) =>
      expect({ status: a.status, body: a.status === status ? 'ok' : a.body }).toEqual({ status, body: 'ok' });

    // One lasting-integration job in Souss-Massa's envelope this year.
    expectStatus(
      await call(base.conventions, 'PUT', `/programme-targets/MA-09/awrach/${year}`, agadir, {
        components: [{ component: 'lasting_integration', targetJobs: 1, budgetCentimes: 2_700_000 }],
        reference: 'Convention de test',
        effectiveDate: today,
      }),
      201,
    );

    const seekerId = `sk-${tag}`;
    const offerId = `of-${tag}`;
    expectStatus(
      await call(base.matching, 'POST', '/seekers', tantan, {
        seekerId,
        registeredOn: '2020-01-10',
        region: 'MA-10',
        province: 'Tan-Tan',
        gender: 'female',
        birthDate: '1997-04-02',
        education: 'vocational',
        occupations: ['8211'],
        skills: ['assemblage'],
        languages: ['ar', 'fr'],
        disability: false,
        pandemicJobLoss: false,
        area: 'urban',
        mobility: 'any_region',
        fullName: 'Personne Fictive Test',
        cin: 'ZZ999002',
      }),
      201,
    );
    expectStatus(
      await call(base.matching, 'POST', '/offers', agadir, {
        offerId,
        employer: { kind: 'company', id: 'auto-e2e', name: 'Équipementier (fictif)', sector: 'automotive' },
        region: 'MA-09',
        province: 'Inezgane-Aït Melloul',
        occupation: '8211',
        positions: 10,
        requiredEducation: 'lower_secondary',
        skills: ['assemblage'],
        contractType: 'permanent',
        mass: true,
        validUntil: '2030-12-31',
      }),
      201,
    );
    expectStatus(await call(base.matching, 'POST', `/offers/${offerId}/validate`, agadir, {}), 200);
    expectStatus(await call(base.matching, 'POST', `/offers/${offerId}/publish`, agadir), 200);
    const proposal = await call(base.matching, 'POST', '/placements', agadir, { seekerId, offerId });
    expectStatus(proposal, 201);
    const placementId = String(proposal.body.placementId);
    expectStatus(
      await call(base.matching, 'POST', `/placements/${placementId}/answer`, tantan, { accepted: true }),
      200,
    );
    expectStatus(
      await call(base.matching, 'POST', `/placements/${placementId}/interview`, agadir, { date: today }),
      200,
    );
    expectStatus(
      await call(base.matching, 'POST', `/placements/${placementId}/hire`, agadir, {
        contractType: 'permanent',
        startDate: today,
        contractMonths: 24,
        monthlyWageCentimes: 350_000,
      }),
      200,
    );

    await until(
      'the envelope',
      async () => (await call(base.subsidies, 'GET', `/envelopes/MA-09/awrach/${year}`, agadir)).status === 200,
    );
    const application = {
      scheme: 'awrach-1',
      placementId,
      employer: { name: 'Équipementier (fictif)' },
      person: { hardToPlace: false, priorCnssMonths: 0 },
    };
    let applied: HttpAnswer = await call(base.subsidies, 'POST', '/grants', agadir, application);
    await until('the hire', async () => {
      if (applied.status !== 404) return true;
      applied = await call(base.subsidies, 'POST', '/grants', agadir, application);
      return applied.status !== 404;
    });
    expectStatus(applied, 201);
    expect(applied.body).toMatchObject({
      status: 'applied',
      region: 'MA-09',
      application: {
        hire: { source: 'matching', placementId, seekerId, contractMonths: 24 },
        person: { monthsRegistered: expect.any(Number) },
        eligibility: { outcome: 'eligible' },
        // The placement's categories, counted in the province of the job (not a hire abroad).
        beneficiary: {
          province: 'Inezgane-Aït Melloul',
          categories: { gender: 'female', disability: false, area: 'urban', ageBand: expect.any(String) },
        },
      },
    });
    const grantId = String(applied.body.grantId);

    const decided = await call(base.subsidies, 'POST', `/grants/${grantId}/decision`, committee, {
      outcome: 'approved',
      decisionNumber: `CT-SM-${tag}`,
      date: today,
    });
    expectStatus(decided, 200);
    expect(decided.body).toMatchObject({
      status: 'approved',
      decision: { totalCentimes: 2_700_000, channel: 'employer' },
    });
    const first = (decided.body.schedule as Array<{ month: string; amountCentimes: number }>)[0];
    expect(first?.month).toBe(month);

    // The one place is taken: a second approval in the same envelope is refused, and says why.
    const byHand = {
      grantId: `manual-${tag}`,
      scheme: 'awrach-1',
      region: 'MA-09',
      employer: { kind: 'company', id: 'auto-e2e', name: 'Équipementier (fictif)' },
      hire: { seekerId: `sk-other-${tag}`, startDate: today, contractMonths: 24, monthlyWageCentimes: 350_000 },
      person: {
        monthsRegistered: 30,
        pandemicJobLoss: false,
        disability: false,
        hardToPlace: false,
        priorCnssMonths: 0,
      },
    };
    // A hire entered by hand says who was hired, field by field.
    expect(await call(base.subsidies, 'POST', '/grants', agadir, byHand)).toMatchObject({
      status: 400,
      body: {
        code: 'MANUAL_HIRE_INCOMPLETE',
        errors: [
          expect.objectContaining({ path: 'beneficiary.province' }),
          expect.objectContaining({ path: 'beneficiary.categories' }),
        ],
      },
    });
    const categories = {
      gender: 'male',
      ageBand: '25_34',
      disability: false,
      hasDiploma: true,
      area: 'rural',
      longTermUnemployed: true,
    };
    expect(
      await call(base.subsidies, 'POST', '/grants', agadir, {
        ...byHand,
        beneficiary: { province: 'Chtouka-Aït Baha', categories: { ...categories, gender: 'x' } },
      }),
    ).toMatchObject({
      status: 400,
      body: { errors: [expect.objectContaining({ path: 'beneficiary.categories.gender' })] },
    });
    const manual = await call(base.subsidies, 'POST', '/grants', agadir, {
      ...byHand,
      beneficiary: { province: 'Chtouka-Aït Baha', categories },
    });
    expectStatus(manual, 201);
    expect(manual.body).toMatchObject({ application: { beneficiary: { province: 'Chtouka-Aït Baha', categories } } });
    const refused = await call(base.subsidies, 'POST', `/grants/manual-${tag}/decision`, committee, {
      outcome: 'approved',
      decisionNumber: `CT-SM-${tag}-2`,
      date: today,
    });
    expect(refused).toMatchObject({ status: 409, body: { code: 'ENVELOPE_EXCEEDED' } });

    expect((await call(base.subsidies, 'POST', `/grants/${grantId}/payments`, agadir, { month })).body).toMatchObject({
      code: 'NOT_DECLARED_TO_CNSS',
    });
    expectStatus(
      await call(base.subsidies, 'POST', `/grants/${grantId}/cnss-declarations`, agadir, {
        months: [{ month, days: 26, wageCentimes: 350_000 }],
      }),
      200,
    );
    const paid = await call(base.subsidies, 'POST', `/grants/${grantId}/payments`, agadir, { month });
    expectStatus(paid, 200);
    expect(paid.body).toMatchObject({
      totals: { paidCentimes: first?.amountCentimes },
      schedule: expect.arrayContaining([expect.objectContaining({ month, status: 'paid' })]),
    });
    expect((await call(base.subsidies, 'POST', `/grants/${grantId}/eligibility/replay`, admin, {})).body).toMatchObject(
      { same: true },
    );

    await until('the integration events', async () =>
      ['GrantApplied', 'GrantDecided', 'GrantCnssDeclarationRecorded', 'GrantPaymentRecorded'].every((t) =>
        published.some((p) => p.type === t),
      ),
    );
    expect(published.find((p) => p.type === 'GrantPaymentRecorded')?.data).toMatchObject({
      grantId,
      month,
      amountCentimes: first?.amountCentimes,
    });
    expect(JSON.stringify(published)).not.toMatch(/Personne Fictive Test|ZZ999002/);
  });
});
