import { mkdirSync } from 'node:fs';
import {
  EVENT_STORE_MIGRATIONS,
  EventStore,
  migrate,
  PgliteSqlClient,
  PgSqlClient,
  SubjectKeyring,
  type EventStoreOptions,
  type Migration,
  type SqlClient,
} from '@tashghil/event-store';
import { InProcessBus, kafkaClient, KafkaPublisher, MESSAGING_MIGRATIONS, type InboxSource, type Publisher } from '@tashghil/messaging';
import type { Kafka } from 'kafkajs';
import type { RuntimeConfig } from './config';

/** The wiring one process runs on: a database, the store over it, and a broker (real or in-process). */
export interface Runtime {
  readonly config: RuntimeConfig;
  readonly db: SqlClient;
  readonly store: EventStore;
  readonly publisher: Publisher;
  readonly source: InboxSource;
  readonly kafka?: Kafka;
  close(): Promise<void>;
}

export const RUNTIME = Symbol('RUNTIME');

export const openRuntime = async (
  config: RuntimeConfig, migrations: readonly Migration[], clientId: string, storeOptions: Pick<EventStoreOptions, 'onAppended'> = {},
): Promise<Runtime> => {
  let db: SqlClient;
  if (config.mode === 'embedded' && !config.databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    db = await PgliteSqlClient.open(config.dataDir);
  } else {
    db = PgSqlClient.fromUrl(config.databaseUrl ?? '', 20);
  }
  await migrate(db, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...migrations]);
  const store = new EventStore(db, { keyring: new SubjectKeyring(config.masterKey), ...storeOptions });

  if (config.mode === 'embedded') {
    const bus = new InProcessBus();
    return {
      config, db, store, publisher: bus, source: { kind: 'in-process', bus },
      close: async () => {
        await bus.close();
        await db.close();
      },
    };
  }
  const kafka = kafkaClient(config.kafkaBrokers ?? '', clientId);
  const prefix = config.kafkaTopicPrefix;
  const publisher = new KafkaPublisher(kafka, prefix);
  return {
    config, db, store, publisher, source: { kind: 'kafka', kafka, prefix }, kafka,
    close: async () => {
      await publisher.close();
      await db.close();
    },
  };
};
