import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { HEADERS, TOPICS } from '@tashghil/contracts';
import { ensureTopics, headersToStrings, kafkaClient } from '@tashghil/messaging';
import {
  call,
  freePort,
  officer,
  openServerDatabase,
  spawnService,
  stopProcess,
  tokenFor,
  waitReady,
  type TestDatabase,
} from '@tashghil/testing';
import type { Consumer } from 'kafkajs';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

describe('an offer to a hire, over HTTP, on the PostgreSQL server and Kafka', () => {
  let database: TestDatabase;
  let service: ChildProcess;
  let base = '';
  let consumer: Consumer;
  const tag = randomUUID().slice(0, 8);
  const prefix = `placement-${tag}.`;
  const raw: string[] = [];
  const seen: Array<{ type: string; data: Record<string, unknown>; headers: Record<string, string> }> = [];

  beforeAll(async () => {
    database = await openServerDatabase();
    const port = await freePort();
    service = spawnService('matching', port, database.url ?? '', { KAFKA_TOPIC_PREFIX: prefix });
    base = `http://127.0.0.1:${port}`;
    await waitReady(base);
    const kafka = kafkaClient(brokers, 'e2e-matching');
    await ensureTopics(kafka, [TOPICS.matching], 3, prefix);
    consumer = kafka.consumer({ groupId: `e2e-${tag}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [`${prefix}${TOPICS.matching}`], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const text = message.value?.toString() ?? '{}';
        raw.push(text);
        const value = JSON.parse(text) as { type: string; data: Record<string, unknown> };
        seen.push({ type: value.type, data: value.data, headers: headersToStrings(message.headers) });
      },
    });
  });
  afterAll(async () => {
    await consumer.disconnect();
    await stopProcess(service);
    await database.dispose();
  });

  it('runs offer → batch run → proposal → hire, publishes SeekerHired without the seeker’s name or CIN, and replays the run', async () => {
    const agadir = officer('MA-09');
    const tantan = officer('MA-10');
    const seekerId = `sk-${tag}`;
    const offerId = `of-${tag}`;
    const ok = (a: { status: number; body: Record<string, unknown> }, status: number) =>
      expect({ status: a.status, body: a.status === status ? 'ok' : a.body }).toEqual({ status, body: 'ok' });

    ok(
      await call(base, 'POST', '/seekers', tantan, {
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
        pandemicJobLoss: true,
        area: 'urban',
        mobility: 'any_region',
        fullName: 'Personne Fictive Test',
        cin: 'ZZ999001',
      }),
      201,
    );
    ok(
      await call(base, 'POST', '/offers', agadir, {
        offerId,
        employer: { kind: 'company', id: 'auto-e2e', name: 'Équipementier (fictif)', sector: 'automotive' },
        region: 'MA-09',
        province: 'Inezgane-Aït Melloul',
        occupation: '8211',
        positions: 50,
        requiredEducation: 'lower_secondary',
        skills: ['assemblage'],
        contractType: 'permanent',
        mass: true,
        validUntil: '2030-12-31',
      }),
      201,
    );
    ok(await call(base, 'POST', `/offers/${offerId}/validate`, agadir, {}), 200);
    const published = await call(base, 'POST', `/offers/${offerId}/publish`, agadir);
    expect(published.body).toMatchObject({ status: 'published', openToOtherRegions: true });

    const admin = tokenFor({ sub: 'pipeline', roles: ['admin'] });
    const runId = `run-${tag}`;
    // The run is a job: 202, then it runs off the request until its resource says it has completed.
    const run = await call(base, 'POST', '/matching-runs', admin, { runId, beta: 0.5 });
    expect(run.status).toBe(202);
    expect((await call(base, 'POST', '/matching-runs', agadir, { runId: `${runId}-x` })).status).toBe(403);
    let recorded = await call(base, 'GET', `/matching-runs/${runId}`, admin);
    for (const deadline = Date.now() + 60_000; recorded.body.status !== 'completed' && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
      recorded = await call(base, 'GET', `/matching-runs/${runId}`, admin);
    }
    expect(recorded.body).toMatchObject({ status: 'completed', solution: { proposals: 1 } });
    const page = await call(base, 'GET', `/matching-runs/${runId}/proposals`, admin);
    const placementId = String(
      (page.body.proposals as Array<{ seekerId: string; placementId: string }>).find((x) => x.seekerId === seekerId)
        ?.placementId,
    );
    const proposed = await call(base, 'GET', `/placements/${placementId}`, agadir);
    expect(proposed.body).toMatchObject({
      runId,
      status: 'proposed',
      parts: { occupation: 400, distance: 50 },
      categories: { longTermUnemployed: true, ageBand: expect.any(String) },
    });
    ok(await call(base, 'POST', `/placements/${placementId}/answer`, tantan, { accepted: true }), 200);
    const soon = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    ok(await call(base, 'POST', `/placements/${placementId}/interview`, agadir, { date: soon }), 200);
    const bad = await call(base, 'POST', `/placements/${placementId}/hire`, agadir, {
      contractType: 'permanent',
      startDate: soon,
      contractMonths: 24,
      monthlyWageCentimes: -5,
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_HIRE' } });
    const hired = await call(base, 'POST', `/placements/${placementId}/hire`, agadir, {
      contractType: 'permanent',
      startDate: soon,
      contractMonths: 24,
      monthlyWageCentimes: 342_000,
    });
    expect(hired.body).toMatchObject({ status: 'hired' });
    expect((await call(base, 'GET', `/seekers/${seekerId}`, tantan)).body).toMatchObject({ status: 'placed' });
    expect((await call(base, 'GET', `/offers/${offerId}`, agadir)).body).toMatchObject({ filled: 1 });

    const deadline = Date.now() + 60_000;
    while (!seen.some((s) => s.type === 'SeekerHired') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const hire = seen.find((s) => s.type === 'SeekerHired');
    expect(hire?.data).toMatchObject({
      seekerId,
      flow: 'other_region',
      origin: { region: 'MA-10' },
      destination: { region: 'MA-09' },
      monthlyWageCentimes: 342_000,
    });
    expect(hire?.headers[HEADERS.type]).toBe('SeekerHired');
    const replay = await call(base, 'POST', `/matching-runs/${runId}/replay`, admin);
    expect(replay.body).toMatchObject({ sameInputs: true, sameResult: true, differingProposals: 0 });
    expect(raw.join('\n')).not.toMatch(/Personne Fictive Test|ZZ999001/);
    expect(seen.map((s) => s.type)).toEqual(
      expect.arrayContaining([
        'SeekerRegistered',
        'OfferPublished',
        'OfferOpenedToOtherRegions',
        'PlacementProposed',
        'SeekerHired',
      ]),
    );
  });
});
