import 'reflect-metadata';
import { topicForContext } from '@tashghil/contracts';
import { PgSqlClient, SubjectKeyring, EventStore } from '@tashghil/event-store';
import { ensureTopics, kafkaClient, KafkaPublisher } from './kafka';
import { startRelay } from './relay';

/**
 * The relay as its own process: `RELAY_CONTEXT=conventions DATABASE_URL=… KAFKA_BROKERS=… npm run relay`.
 * Services run their relay in-process; this is for operators who scale or restart it separately,
 * and for the tests that kill it.
 */
const main = async (): Promise<void> => {
  const { DATABASE_URL, KAFKA_BROKERS, RELAY_CONTEXT } = process.env;
  if (!DATABASE_URL || !KAFKA_BROKERS || !RELAY_CONTEXT)
    throw new Error('set DATABASE_URL, KAFKA_BROKERS and RELAY_CONTEXT');
  const db = PgSqlClient.fromUrl(DATABASE_URL, 4);
  // The relay never opens personal fields, so the master key is not needed to read them sealed.
  const store = new EventStore(db, {
    keyring: new SubjectKeyring(process.env.TASHGHIL_MASTER_KEY ?? 'relay-never-decrypts'),
  });
  const kafka = kafkaClient(KAFKA_BROKERS, `relay-${RELAY_CONTEXT}`);
  const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
  await ensureTopics(kafka, [topicForContext(RELAY_CONTEXT)], 3, prefix);
  const publisher = new KafkaPublisher(kafka, prefix);
  let published = 0;
  const relay = await startRelay({
    store,
    publisher,
    context: RELAY_CONTEXT,
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 500),
    onPublished: (events) => {
      published += events.length;
      process.stdout.write(
        `${JSON.stringify({ msg: 'published', count: events.length, total: published, last: events[events.length - 1]?.globalPosition })}\n`,
      );
    },
    onError: (error) =>
      process.stderr.write(`${JSON.stringify({ msg: 'relay batch failed', error: String(error) })}\n`),
  });
  process.stdout.write(`${JSON.stringify({ msg: 'relay started', context: RELAY_CONTEXT })}\n`);
  const stop = async (): Promise<void> => {
    await relay.stop();
    await publisher.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
};

main().catch((error: unknown) => {
  process.stderr.write(`relay: ${(error as Error).message}\n`);
  process.exit(1);
});
