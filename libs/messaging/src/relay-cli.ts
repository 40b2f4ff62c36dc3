import 'reflect-metadata';
import { topicForContext } from '@tashghil/contracts';
import { PgSqlClient, SubjectKeyring, EventStore } from '@tashghil/event-store';
import {
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_REPLICATION_FACTOR,
  DEFAULT_TOPIC_PARTITIONS,
  ensureTopics,
  kafkaClient,
  KafkaPublisher,
} from './kafka';
import { startRelay } from './relay';

/**
 * The relay as its own process: `RELAY_CONTEXT=conventions DATABASE_URL=… KAFKA_BROKERS=… npm run relay`.
 * Services run their relay in-process; this is for operators who scale or restart it separately,
 * and for the tests that kill it. Any number may run: the context's lease lets one publish.
 */
const main = async (): Promise<void> => {
  const { DATABASE_URL, KAFKA_BROKERS, RELAY_CONTEXT } = process.env;
  if (!DATABASE_URL || !KAFKA_BROKERS || !RELAY_CONTEXT)
    throw new Error('set DATABASE_URL, KAFKA_BROKERS and RELAY_CONTEXT');
  const setting = (name: string, fallback: number): number => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
    return value;
  };
  // The same settings and defaults as a service's (libs/service-kit/src/config.ts).
  const db = PgSqlClient.fromUrl(DATABASE_URL, 4, {
    statementTimeoutMs: setting('DATABASE_STATEMENT_TIMEOUT_MS', 30_000),
    idleInTransactionTimeoutMs: setting('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000),
    parallelWorkersPerGather: setting('DATABASE_PARALLEL_WORKERS', 0),
  });
  // The relay never opens personal fields, so the master key is not needed to read them sealed.
  const store = new EventStore(db, {
    keyring: new SubjectKeyring(process.env.TASHGHIL_MASTER_KEY ?? 'relay-never-decrypts'),
  });
  const kafka = kafkaClient(KAFKA_BROKERS, `relay-${RELAY_CONTEXT}`);
  const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
  await ensureTopics(
    kafka,
    [topicForContext(RELAY_CONTEXT)],
    setting('KAFKA_PARTITIONS', DEFAULT_TOPIC_PARTITIONS),
    prefix,
    setting('KAFKA_REPLICATION_FACTOR', DEFAULT_REPLICATION_FACTOR),
  );
  const publisher = new KafkaPublisher(kafka, prefix, {
    maxBatchBytes: setting('KAFKA_MAX_BATCH_BYTES', DEFAULT_MAX_BATCH_BYTES),
  });
  let published = 0;
  const relay = await startRelay({
    store,
    publisher,
    context: RELAY_CONTEXT,
    batchSize: setting('RELAY_BATCH_SIZE', 500),
    ...(process.env.RELAY_HOLDER_ID ? { holderId: process.env.RELAY_HOLDER_ID } : {}),
    onLeaseChange: (holding, token) =>
      process.stdout.write(`${JSON.stringify({ msg: holding ? 'lease taken' : 'lease left', token })}\n`),
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
