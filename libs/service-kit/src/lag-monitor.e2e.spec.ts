import { randomUUID } from 'node:crypto';
import { openServerDatabase, openStore, type TestDatabase } from '@tashghil/event-store';
import { ensureTopics, kafkaClient, KafkaPublisher, MESSAGING_MIGRATIONS } from '@tashghil/messaging';
import type { Kafka } from 'kafkajs';
import { sampleValue } from './exposition';
import { LagMonitor } from './lag-monitor';
import { createMetrics } from './metrics';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/**
 * Consumer lag on a real broker. A replica skips a message of a type its consumer does not handle
 * without writing (msg.consumer_offsets learns of it seconds later); killed in between, it leaves
 * the group's commit on the broker past the message and the database one behind. The fault suite
 * saw that lag of 1 stay on a quiet partition for good.
 */
describe('consumer lag read from the broker and the database', () => {
  let database: TestDatabase;
  let kafka: Kafka;
  let publisher: KafkaPublisher;

  beforeAll(async () => {
    database = await openServerDatabase();
    await openStore(database, MESSAGING_MIGRATIONS);
    kafka = kafkaClient(brokers, 'e2e-lag');
    publisher = new KafkaPublisher(kafka);
  });
  afterAll(async () => {
    await publisher.close();
    await database.dispose();
  });

  it("counts a message as handled when the group's broker commit passed it, though the database never recorded it", async () => {
    const id = randomUUID().slice(0, 8);
    const topic = `tashghil.lag${id}`;
    const consumer = `lag-reader-${id}`;
    await ensureTopics(kafka, [topic], 1);
    for (const n of [1, 2, 3])
      await publisher.publish([{ topic, key: 'k', value: JSON.stringify({ n }), headers: {} }]);

    const registry = createMetrics('test');
    const monitor = new LagMonitor({
      registry,
      db: database.db,
      relays: [],
      kafka: { kafka, prefix: '' },
      consumers: () => [{ consumer, types: ['Counted'], topics: [topic] }],
    });
    const lag = async (): Promise<number | undefined> => {
      await monitor.refresh();
      return sampleValue(await registry.metrics(), 'consumer_lag_messages', { consumer, topic, partition: '0' });
    };
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Nothing handled anywhere: all three are lag.
      expect(await lag()).toBe(3);

      // The database recorded the first message (offset 0), as an applied message records it.
      await database.db.query(
        `INSERT INTO msg.consumer_offsets (consumer, topic, partition, "offset", updated_at) VALUES ($1, $2, 0, 0, now())`,
        [consumer, topic],
      );
      expect(await lag()).toBe(2);

      // The group committed past the third (next offset 3) while the database still says 0.
      await admin.setOffsets({ groupId: consumer, topic, partitions: [{ partition: 0, offset: '3' }] });
      expect(await lag()).toBe(0);

      // One more message: lag again, from whichever record is further on.
      await publisher.publish([{ topic, key: 'k', value: JSON.stringify({ n: 4 }), headers: {} }]);
      expect(await lag()).toBe(1);
    } finally {
      await admin.disconnect();
      await monitor.close();
    }
  });
});
