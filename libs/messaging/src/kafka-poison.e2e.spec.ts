import { randomUUID } from 'node:crypto';
import { HEADERS } from '@tashghil/contracts';
import { openServerDatabase, openStore, type TestDatabase } from '@tashghil/event-store';
import type { Consumer, Kafka } from 'kafkajs';
import { z } from 'zod';
import { InboxProcessor } from './inbox-processor';
import { ensureTopics, headersToStrings, kafkaClient, KafkaPublisher, runKafkaSource } from './kafka';
import type { InboundMessage } from './message';
import { MESSAGING_MIGRATIONS } from './migrations';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

describe('a poison message on a real Kafka topic', () => {
  let database: TestDatabase;
  let kafka: Kafka;
  const consumers: Consumer[] = [];
  let publisher: KafkaPublisher;

  beforeAll(async () => {
    database = await openServerDatabase();
    await openStore(database, MESSAGING_MIGRATIONS);
    await database.db.query(`CREATE TABLE public.applied (n int NOT NULL)`);
    kafka = kafkaClient(brokers, 'e2e-poison');
    publisher = new KafkaPublisher(kafka);
  });
  afterAll(async () => {
    for (const c of consumers) await c.disconnect();
    await publisher.close();
    await database.dispose();
  });

  it('lands in <topic>.dlq with the reason, and the next good message is still processed', async () => {
    const topic = `tashghil.poison${randomUUID().slice(0, 8)}`;
    await ensureTopics(kafka, [topic], 1);
    const processor = new InboxProcessor({
      db: database.db,
      consumer: 'poison-test',
      deadLetters: publisher,
      contracts: (type) => (type === 'Counted' ? { topic, versions: { 1: z.object({ n: z.number() }) } } : undefined),
      handlerFor: (type) =>
        type === 'Counted'
          ? async (data, ctx) => {
              await ctx.tx.query(`INSERT INTO public.applied VALUES ($1)`, [(data as { n: number }).n]);
            }
          : undefined,
    });
    consumers.push(
      await runKafkaSource({
        kafka,
        groupId: `poison-${topic}`,
        topics: [topic],
        handle: (m, hb) => processor.process(m, hb),
      }),
    );

    const dead: InboundMessage[] = [];
    const dlqReader = kafka.consumer({ groupId: `dlq-reader-${topic}` });
    consumers.push(dlqReader);
    await dlqReader.connect();
    await dlqReader.subscribe({ topics: [`${topic}.dlq`], fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        dead.push({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: headersToStrings(message.headers),
        });
      },
    });

    const good = {
      eventId: randomUUID(),
      type: 'Counted',
      schemaVersion: 1,
      streamId: 'poison.thing-1',
      streamPosition: 0,
      globalPosition: 1,
      recordedAt: new Date().toISOString(),
      data: { n: 7 },
      metadata: {},
    };
    await publisher.publish([
      { topic, key: 'poison.thing-1', value: '\u0000\u0001 not json at all', headers: {} },
      { topic, key: 'poison.thing-1', value: JSON.stringify(good), headers: {} },
    ]);

    const deadline = Date.now() + 60_000;
    const applied = async () => (await database.db.query(`SELECT n FROM public.applied`)).rows;
    while ((dead.length < 1 || (await applied()).length < 1) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));

    expect(await applied()).toEqual([{ n: 7 }]);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.headers).toMatchObject({
      [HEADERS.dlqReason]: 'MALFORMED_JSON',
      [HEADERS.dlqTopic]: topic,
      [HEADERS.dlqOffset]: '0',
    });
    expect(dead[0]?.value).toContain('not json at all');
    const { rows } = await database.db.query<{ reason: string; offset: string }>(
      `SELECT reason, "offset"::text FROM msg.dead_letters`,
    );
    expect(rows).toEqual([{ reason: 'MALFORMED_JSON', offset: '0' }]);
  });
});
