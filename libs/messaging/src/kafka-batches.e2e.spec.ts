import { randomUUID } from 'node:crypto';
import { HEADERS } from '@tashghil/contracts';
import { openServerDatabase, openStore, type EventStore, type TestDatabase } from '@tashghil/event-store';
import type { Consumer, Kafka } from 'kafkajs';
import { ensureTopics, kafkaClient, KafkaPublisher, runKafkaSource } from './kafka';
import { pause } from './lease';
import { MESSAGING_MIGRATIONS } from './migrations';
import { startRelay, toOutbound, type Relay } from './relay';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const SMALL = 600;
// Each small event's message is about 4.5 KB: a page of 500 puts about 1.1 MB on each of two keys.
const PADDING = 'x'.repeat(4_200);
// Near the largest event the store takes (512 KiB), with room for the envelope.
const LARGE = 'y'.repeat(480 * 1024);

describe('relay batches through the Kafka broker', () => {
  let database: TestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let consumer: Consumer | undefined;
  const relays: Relay[] = [];
  const publishers: KafkaPublisher[] = [];

  beforeAll(async () => {
    database = await openServerDatabase();
    store = await openStore(database, MESSAGING_MIGRATIONS);
    kafka = kafkaClient(brokers, 'e2e-batches');
  });
  afterAll(async () => {
    for (const r of relays) await r.stop();
    for (const p of publishers) await p.close();
    await consumer?.disconnect();
    await database.dispose();
  });

  it('delivers a page above 1 MiB per partition, and a 480 KiB event, once each and in order per key', async () => {
    const context = `e2ebig${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const topic = `tashghil.${context}`;
    await ensureTopics(kafka, [topic], 12);
    const streams = [`${context}.file-a`, `${context}.file-b`];
    for (let block = 0; block < SMALL / 50; block += 1) {
      await store.append(
        streams[block % 2] ?? '',
        Array.from({ length: 50 }, (_, i) => ({
          eventId: randomUUID(),
          type: 'LineRecorded',
          data: { n: block * 50 + i, padding: PADDING },
          metadata: {},
        })),
      );
    }
    await store.append(`${context}.file-c`, [
      { eventId: randomUUID(), type: 'RunRecorded', data: { padding: LARGE }, metadata: {} },
    ]);
    const { events: page } = await store.readAll({ context, decrypt: false, limit: 500 });
    const firstKey = page.filter((e) => e.streamId === streams[0]).map(toOutbound);
    const firstKeyBytes = firstKey.reduce((n, m) => n + Buffer.byteLength(m.value), 0);
    expect(firstKeyBytes).toBeGreaterThan(1024 * 1024 + 12);

    // The premise: one send of that key's messages, as the relay made it before, is refused.
    const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await raw.connect();
    const scratch = `${topic}.premise`;
    await ensureTopics(kafka, [scratch], 1);
    await expect(
      raw.sendBatch({
        acks: -1,
        topicMessages: [{ topic: scratch, messages: firstKey.map((m) => ({ key: m.key, value: m.value })) }],
      }),
    ).rejects.toThrow(/larger than the max message size|MESSAGE_TOO_LARGE|too large/i);
    await raw.disconnect();

    const received = new Map<string, Array<{ eventId: string; streamPosition: number }>>();
    const ids = new Map<string, number>();
    consumer = await runKafkaSource({
      kafka,
      groupId: `e2e-${context}`,
      topics: [topic],
      handle: async (m) => {
        const envelope = JSON.parse(m.value ?? '{}') as { eventId: string; streamPosition: number };
        const list = received.get(m.key ?? '') ?? [];
        list.push({ eventId: envelope.eventId, streamPosition: envelope.streamPosition });
        received.set(m.key ?? '', list);
        const id = m.headers[HEADERS.eventId] ?? '';
        ids.set(id, (ids.get(id) ?? 0) + 1);
      },
    });

    // Two replicas of the relay: one publishes.
    for (const holderId of ['replica-1', 'replica-2']) {
      const publisher = new KafkaPublisher(kafka);
      publishers.push(publisher);
      relays.push(await startRelay({ store, publisher, context, holderId, pollMs: 100 }));
    }
    const started = Date.now();
    while (ids.size < SMALL + 1) {
      if (Date.now() - started > 120_000) throw new Error(`only ${ids.size} of ${SMALL + 1} events arrived`);
      await pause(100);
    }
    const elapsed = Date.now() - started;
    await pause(2_000);

    expect(ids.size).toBe(SMALL + 1);
    expect([...ids.values()].every((n) => n === 1)).toBe(true);
    for (const key of [...streams, `${context}.file-c`]) {
      const positions = (received.get(key) ?? []).map((r) => r.streamPosition);
      expect(positions).toEqual(Array.from({ length: positions.length }, (_, i) => (positions[0] ?? 0) + i));
    }
    expect(streams.map((s) => received.get(s)?.length)).toEqual([SMALL / 2, SMALL / 2]);
    expect(received.get(`${context}.file-c`)).toHaveLength(1);
    expect(relays.filter((r) => r.holding())).toHaveLength(1);
    process.stdout.write(
      `kafka batches e2e: ${SMALL + 1} events (${(firstKeyBytes / 1024 / 1024).toFixed(2)} MiB on one key in the first page, one of ${LARGE.length / 1024} KiB) delivered once each in ${elapsed} ms\n`,
    );
  });
});
