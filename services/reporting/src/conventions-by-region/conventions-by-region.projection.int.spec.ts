import { randomUUID } from 'node:crypto';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HEADERS } from '@tashghil/contracts';
import { EVENT_STORE_MIGRATIONS, migrate, SQL_CLIENT, testBackends, type TestDatabase } from '@tashghil/event-store';
import { InboxTransport, InProcessBus, MESSAGING_MIGRATIONS, type OutboundMessage } from '@tashghil/messaging';
import { REPORTING_MIGRATIONS } from '../migrations';
import { ConventionsByRegionProjection, REPORTING_CONSUMER } from './conventions-by-region.projection';

const drafted = (conventionId: string, region: string, position: number): OutboundMessage => ({
  topic: 'tashghil.conventions',
  key: `conventions.convention-${conventionId}`,
  headers: {},
  value: JSON.stringify({
    eventId: randomUUID(), type: 'ConventionDrafted', schemaVersion: 1, streamId: `conventions.convention-${conventionId}`,
    streamPosition: 0, globalPosition: position, recordedAt: '2022-04-22T09:00:00.000Z', metadata: { actor: 'o' },
    data: { conventionId, region, title: `T ${conventionId}`, period: { start: '2022-01-01', end: '2022-12-31' }, draftedAt: '2022-04-22T09:00:00.000Z', draftedBy: 'o' },
  }),
});

describe.each(testBackends().map((b) => [b.name, b] as const))('conventions-by-region projection on %s', (_n, backend) => {
  let database: TestDatabase;
  let app: INestApplication;
  const bus = new InProcessBus();

  beforeAll(async () => {
    database = await backend.open();
    await migrate(database.db, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...REPORTING_MIGRATIONS]);
    @Global()
    @Module({ controllers: [ConventionsByRegionProjection], providers: [{ provide: SQL_CLIENT, useValue: database.db }] })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false });
    app.connectMicroservice({ strategy: new InboxTransport({ consumer: REPORTING_CONSUMER, db: database.db, source: { kind: 'in-process', bus }, deadLetters: bus, backoffMs: () => 5 }) });
    await app.startAllMicroservices();
  });
  afterAll(async () => {
    await app.close();
    await database.dispose();
  });

  const rows = async () =>
    (await database.db.query<{ convention_id: string; region: string }>(`SELECT convention_id, region FROM reporting.conventions_by_region ORDER BY convention_id`)).rows;

  it('builds the same rows from events fed twice and out of order across streams', async () => {
    const a = drafted('a-2022', 'MA-10', 1);
    const b = drafted('b-2022', 'MA-09', 2);
    const c = drafted('c-2022', 'MA-10', 3);
    await bus.publish([c, a, b, a, c]);
    await bus.publish([b]);
    expect(await rows()).toEqual([
      { convention_id: 'a-2022', region: 'MA-10' },
      { convention_id: 'b-2022', region: 'MA-09' },
      { convention_id: 'c-2022', region: 'MA-10' },
    ]);
    const { rows: inbox } = await database.db.query(`SELECT 1 FROM msg.inbox WHERE consumer = $1`, [REPORTING_CONSUMER]);
    expect(inbox).toHaveLength(3);
  });

  it('sends a message that breaks the contract to the dead-letter topic and keeps going', async () => {
    const bad = drafted('d-2022', 'MA-16', 4);
    await bus.publish([bad, drafted('e-2022', 'MA-01', 5)]);
    expect((await rows()).map((r) => r.convention_id)).toContain('e-2022');
    expect((await rows()).map((r) => r.convention_id)).not.toContain('d-2022');
    expect(bus.published('tashghil.conventions.dlq').at(-1)?.headers[HEADERS.dlqReason]).toBe('CONTRACT_VIOLATION');
  });
});
