import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openServerDatabase, openStore, type EventStore, type TestDatabase } from '@tashghil/event-store';
import type { Consumer, Kafka } from 'kafkajs';
import { z } from 'zod';
import { InboxProcessor } from './inbox-processor';
import { ensureTopics, kafkaClient, KafkaPublisher, runKafkaSource } from './kafka';
import { MESSAGING_MIGRATIONS } from './migrations';

const root = join(__dirname, '../../..');
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const STREAMS = 100;
const PER_STREAM = 100;
const TOTAL = STREAMS * PER_STREAM;

const startRelayProcess = (databaseUrl: string, context: string): ChildProcess =>
  spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'libs/messaging/src/relay-cli.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      RELAY_CONTEXT: context,
      RELAY_BATCH_SIZE: '250',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

const waitUntil = async (what: string, check: () => Promise<boolean>, ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('relay to Kafka and back, with the relay killed halfway', () => {
  let database: TestDatabase;
  let store: EventStore;
  let kafka: Kafka;
  let consumer: Consumer | undefined;
  const relays: ChildProcess[] = [];

  beforeAll(async () => {
    database = await openServerDatabase();
    store = await openStore(database, MESSAGING_MIGRATIONS);
    await database.db.query(
      `CREATE TABLE public.effects (id bigserial PRIMARY KEY, stream_id text NOT NULL, n int NOT NULL)`,
    );
    await database.db.query(`CREATE TABLE public.stream_heads (stream_id text PRIMARY KEY, n int NOT NULL)`);
    kafka = kafkaClient(brokers, 'e2e');
  });
  afterAll(async () => {
    for (const r of relays) r.kill('SIGKILL');
    await consumer?.disconnect();
    await database.dispose();
  });

  const count = async (sql: string): Promise<number> =>
    Number((await database.db.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

  it('projects exactly 10,000 events in per-stream order after a SIGKILL of the relay', async () => {
    const context = `e2e${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const topic = `tashghil.${context}`;
    await ensureTopics(kafka, [topic]);
    for (let s = 0; s < STREAMS; s += 1) {
      await store.append(
        `${context}.item-${s}`,
        Array.from({ length: PER_STREAM }, (_, n) => ({
          eventId: randomUUID(),
          type: 'ItemCounted',
          data: { n },
          metadata: {},
        })),
      );
    }

    const processor = new InboxProcessor({
      db: database.db,
      consumer: `e2e-${context}`,
      deadLetters: new KafkaPublisher(kafka),
      contracts: (type) =>
        type === 'ItemCounted' ? { topic, versions: { 1: z.object({ n: z.number() }) } } : undefined,
      handlerFor: (type) =>
        type === 'ItemCounted'
          ? async (data, ctx) => {
              const { n } = data as { n: number };
              const streamId = ctx.envelope.streamId;
              // The previous event of the stream must already be applied: per-stream order.
              const { rows } = await ctx.tx.query<{ n: number }>(
                `SELECT n FROM public.stream_heads WHERE stream_id = $1`,
                [streamId],
              );
              if ((rows[0]?.n ?? -1) !== n - 1)
                throw new Error(`out of order: ${streamId} got ${n} after ${rows[0]?.n ?? 'nothing'}`);
              await ctx.tx.query(
                `INSERT INTO public.stream_heads VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET n = $2`,
                [streamId, n],
              );
              await ctx.tx.query(`INSERT INTO public.effects (stream_id, n) VALUES ($1, $2)`, [streamId, n]);
            }
          : undefined,
    });
    let delivered = 0;
    consumer = await runKafkaSource({
      kafka,
      groupId: `e2e-${context}`,
      topics: [topic],
      handle: async (m, hb) => {
        delivered += 1;
        return processor.process(m, hb);
      },
    });

    const first = startRelayProcess(database.url ?? '', context);
    relays.push(first);
    let relayed = 0;
    first.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const total = /"total":(\d+)/.exec(line)?.[1];
        if (total) relayed = Number(total);
      }
    });
    await waitUntil('the relay to publish half of the events', async () => relayed >= TOTAL / 2, 120_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const appliedAtKill = await count(`SELECT count(*) AS n FROM public.effects`);
    const { rows: cp } = await database.db.query<{ position: string }>(
      `SELECT position::text FROM es.checkpoints WHERE name = $1`,
      [`relay:${context}`],
    );
    const checkpointAtKill = Number(cp[0]?.position ?? 0);
    expect(relayed).toBeLessThan(TOTAL);

    const second = startRelayProcess(database.url ?? '', context);
    relays.push(second);
    await waitUntil(
      'all events to be applied',
      async () => (await count(`SELECT count(*) AS n FROM public.effects`)) >= TOTAL,
      180_000,
    );
    // Give any late duplicate a moment to arrive; the inbox must absorb it.
    await new Promise((r) => setTimeout(r, 1_500));
    second.kill('SIGTERM');

    expect(await count(`SELECT count(*) AS n FROM public.effects`)).toBe(TOTAL);
    expect(await count(`SELECT count(DISTINCT (stream_id, n)) AS n FROM public.effects`)).toBe(TOTAL);
    expect(await count(`SELECT count(*) AS n FROM public.stream_heads WHERE n = ${PER_STREAM - 1}`)).toBe(STREAMS);
    expect(await count(`SELECT count(*) AS n FROM msg.dead_letters`)).toBe(0);
    expect(delivered).toBeGreaterThanOrEqual(TOTAL);
    process.stdout.write(
      `relay e2e: ${delivered} deliveries for ${TOTAL} events (${delivered - TOTAL} repeats absorbed by the inbox); relay killed after publishing ${relayed} (checkpoint at global position ${checkpointAtKill}), ${appliedAtKill} applied then\n`,
    );
  });
});
