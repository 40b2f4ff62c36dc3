import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { EventStore, PgSqlClient, SubjectKeyring } from '@tashghil/event-store';
import { createLogger } from '@tashghil/service-kit';
import { startKurrentSink } from './kurrent-sink';
import { sinkConfig } from './sink-config';

/** The sink as a process: `npm run start:kurrent-sink` with the settings of sink-config.ts. */
const main = async (): Promise<void> => {
  const log = createLogger('kurrent-sink');
  const config = sinkConfig(process.env);
  const db = PgSqlClient.fromUrl(config.databaseUrl, 2);
  const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass('es.events') IS NOT NULL AS present`);
  if (!rows[0]?.present) throw new Error('DATABASE_URL holds no Tashghil event store (no es.events table)');
  // Personal fields are mirrored sealed, as Kafka carries them: the keyring is never asked for a key.
  const store = new EventStore(db, { keyring: new SubjectKeyring('the-sink-never-decrypts') });
  const client = KurrentDBClient.connectionString(config.target);
  const sink = await startKurrentSink({
    store,
    client,
    categories: config.categories,
    name: config.name,
    batchSize: config.batchSize,
    log,
    onCheckpoint: (at, mirrored) => log.debug({ at, mirrored }, 'mirrored'),
  });
  log.info(
    { categories: config.categories.patterns, name: config.name, from: sink.position() },
    'KurrentDB sink mirroring',
  );
  const stop = async (): Promise<void> => {
    await sink.stop();
    await client.dispose();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
};

main().catch((error: unknown) => {
  process.stderr.write(`kurrent-sink: ${(error as Error).message}\n`);
  process.exit(1);
});
