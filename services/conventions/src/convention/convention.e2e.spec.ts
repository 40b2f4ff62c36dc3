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
  waitReady,
  type TestDatabase,
} from '@tashghil/testing';
import type { Consumer } from 'kafkajs';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

describe('a convention from draft to close, over HTTP, on the PostgreSQL server and Kafka', () => {
  let database: TestDatabase;
  let service: ChildProcess;
  let base = '';
  let consumer: Consumer;
  const seen: Array<{ type: string; data: Record<string, unknown>; headers: Record<string, string> }> = [];
  const id = `e2e-${randomUUID().slice(0, 8)}`;
  const token = officer('MA-09');
  const prefix = `${id}.`;

  beforeAll(async () => {
    database = await openServerDatabase();
    const port = await freePort();
    service = spawnService('conventions', port, database.url ?? '', { KAFKA_TOPIC_PREFIX: prefix });
    base = `http://127.0.0.1:${port}`;
    await waitReady(base);
    consumer = kafkaClient(brokers, 'e2e-conventions').consumer({ groupId: `e2e-${id}` });
    await consumer.connect();
    await ensureTopics(kafkaClient(brokers, 'e2e-setup'), [TOPICS.conventions], 3, prefix);
    await consumer.subscribe({ topics: [`${prefix}${TOPICS.conventions}`], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value?.toString() ?? '{}') as { type: string; data: Record<string, unknown> };
        if (value.data?.conventionId === id)
          seen.push({ type: value.type, data: value.data, headers: headersToStrings(message.headers) });
      },
    });
  });
  afterAll(async () => {
    await consumer.disconnect();
    await stopProcess(service);
    await database.dispose();
  });

  const history = async () =>
    ((await call(base, 'GET', `/conventions/${id}/history`, token)).body.events as unknown[]).length;

  it('refuses bad input with the right status and leaves the stored history unchanged', async () => {
    const draft = {
      conventionId: id,
      region: 'MA-09',
      title: 'Convention e2e',
      period: { start: '2024-01-01', end: '2026-12-31' },
    };
    expect((await call(base, 'POST', '/conventions', token, draft)).status).toBe(201);
    const before = await history();

    const cases: Array<[string, Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
      [
        'unknown region',
        call(base, 'POST', '/conventions', token, { ...draft, conventionId: `${id}-x`, region: 'MA-13' }),
        400,
        'INVALID_INPUT',
      ],
      [
        'reversed dates',
        call(base, 'POST', '/conventions', token, {
          ...draft,
          conventionId: `${id}-y`,
          period: { start: '2026-01-01', end: '2024-01-01' },
        }),
        400,
        'PERIOD_ENDS_BEFORE_START',
      ],
      [
        'negative budget',
        call(base, 'POST', `/conventions/${id}/measures`, token, {
          measureId: 'tahfiz',
          programmeLine: 'tahfiz',
          target: { total: 10 },
          budget: { stateCentimes: -100, regionCentimes: 0 },
        }),
        400,
        'NEGATIVE_AMOUNT',
      ],
      [
        'malformed JSON',
        call(base, 'POST', `/conventions/${id}/parties`, token, '{"partyId": "wali", '),
        400,
        'MALFORMED_JSON',
      ],
      [
        'a body of 2 MB',
        call(base, 'POST', `/conventions/${id}/parties`, token, {
          partyId: 'wali',
          name: 'x'.repeat(2 * 1024 * 1024),
          role: 'wali',
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'a wrong If-Match',
        call(
          base,
          'POST',
          `/conventions/${id}/parties`,
          token,
          { partyId: 'wali', name: 'Wali', role: 'wali' },
          { 'if-match': '"7"' },
        ),
        412,
        'WRONG_EXPECTED_VERSION',
      ],
      [
        'another region',
        call(base, 'POST', `/conventions/${id}/parties`, officer('MA-01'), {
          partyId: 'wali',
          name: 'Wali',
          role: 'wali',
        }),
        403,
        'REGION_OUT_OF_SCOPE',
      ],
      [
        'an unknown convention',
        call(base, 'POST', '/conventions/nope-nope/parties', token, { partyId: 'wali', name: 'Wali', role: 'wali' }),
        404,
        'CONVENTION_NOT_FOUND',
      ],
    ];
    for (const [name, answer, status, code] of cases) {
      const a = await answer;
      expect({ name, status: a.status, code: a.body.code }).toEqual({ name, status, code });
    }
    expect(await history()).toBe(before);
    expect((await call(base, 'GET', `/conventions/${id}-x`, token)).status).toBe(404);
  });

  it('collects parties, measures and signatures, then amends and closes, publishing the integration events', async () => {
    const post = async (path: string, body: unknown, status = 201) => {
      const a = await call(base, 'POST', `/conventions/${id}${path}`, token, body);
      expect({ path, status: a.status, body: a.status === status ? 'ok' : a.body }).toEqual({
        path,
        status,
        body: 'ok',
      });
      return a;
    };
    await post('/parties', { partyId: 'ministre', name: "Ministre de l'Emploi", role: 'minister_employment' });
    await post('/parties', { partyId: 'wali', name: 'Wali de Souss-Massa', role: 'wali' });
    await post('/measures', {
      measureId: 'tahfiz',
      programmeLine: 'tahfiz',
      target: { total: 800, byYear: { '2024': 400, '2025': 400 } },
      budget: { stateCentimes: 5_736_000_000, regionCentimes: 0 },
    });
    const current = await call(base, 'GET', `/conventions/${id}`, token);
    const etag = current.headers.get('etag') ?? '';
    const first = await call(
      base,
      'POST',
      `/conventions/${id}/signatures`,
      token,
      { role: 'minister_employment', signatory: 'Le Ministre', date: '2024-02-01', place: 'Agadir' },
      { 'if-match': etag },
    );
    expect(first.status).toBe(201);
    const signed = await post('/signatures', {
      role: 'wali',
      signatory: 'Le Wali',
      date: '2024-02-01',
      place: 'Agadir',
    });
    expect(signed.body).toMatchObject({ status: 'signed', signedOn: '2024-02-01' });
    const amended = await post('/amendments', {
      effectiveDate: '2025-01-01',
      reason: 'revue à mi-parcours',
      measures: [{ measureId: 'tahfiz', budget: { stateCentimes: 6_000_000_000, regionCentimes: 50_000_000 } }],
    });
    expect(amended.body).toMatchObject({
      amendments: [{ number: 1 }],
      totals: { stateMad: '60000000.00', regionMad: '500000.00' },
    });
    const closed = await post('/close', { date: '2025-06-30', reason: 'fin anticipée du financement' }, 200);
    expect(closed.body).toMatchObject({ status: 'closed', phase: 'terminated' });
    expect(
      (
        await call(base, 'POST', `/conventions/${id}/amendments`, token, {
          effectiveDate: '2025-07-01',
          reason: 'too late',
          period: { end: '2027-01-01' },
        })
      ).body.code,
    ).toBe('CONVENTION_CLOSED');

    const wanted = ['ConventionDrafted', 'ConventionSigned', 'ConventionAmended', 'ConventionClosed'];
    const deadline = Date.now() + 60_000;
    while (!wanted.every((t) => seen.some((s) => s.type === t)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(seen.map((s) => s.type).filter((t) => wanted.includes(t))).toEqual(wanted);
    expect(seen.find((s) => s.type === 'ConventionSigned')?.data).toMatchObject({
      region: 'MA-09',
      measures: [{ measureId: 'tahfiz', budget: { stateCentimes: 5_736_000_000 } }],
    });
    expect(seen.find((s) => s.type === 'ConventionClosed')?.headers).toMatchObject({
      [HEADERS.type]: 'ConventionClosed',
      [HEADERS.schemaVersion]: '1',
    });
  });
});
