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
  type Queryable,
  type SqlClient,
} from '@tashghil/event-store';
import {
  InProcessBus,
  kafkaClient,
  KafkaPublisher,
  MESSAGING_MIGRATIONS,
  type InboxSource,
  type Publisher,
} from '@tashghil/messaging';
import type { Kafka } from 'kafkajs';
import { ConfigError, type RuntimeConfig } from './config';
import { ensureServiceRoles, SERVICE_ROLE_MIGRATIONS } from './service-roles';

export {
  devRolePassword,
  ensureServiceRoles,
  SERVICE_ROLE_MIGRATIONS,
  SERVICE_ROLES,
  type ServiceRole,
} from './service-roles';

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

/**
 * The in-process bus starts its offsets past every offset this database has recorded, so a dead
 * letter of this run never shares its (consumer, topic, partition, offset) with one of an earlier run.
 */
const nextBusOffset = async (db: SqlClient): Promise<number> => {
  const { rows } = await db.query<{ next: string }>(
    `SELECT (GREATEST((SELECT max("offset") FROM msg.consumer_offsets), (SELECT max("offset") FROM msg.dead_letters), -1) + 1)::text AS next`,
  );
  return Number(rows[0]?.next ?? 0);
};

export const openRuntime = async (
  config: RuntimeConfig,
  migrations: readonly Migration[],
  clientId: string,
  storeOptions: Pick<EventStoreOptions, 'onAppended'> = {},
): Promise<Runtime> => {
  let db: SqlClient;
  if (config.mode === 'embedded' && !config.databaseUrl) {
    mkdirSync(config.dataDir, { recursive: true });
    db = await PgliteSqlClient.open(config.dataDir);
    await migrate(db, [...EVENT_STORE_MIGRATIONS, ...MESSAGING_MIGRATIONS, ...migrations]);
  } else {
    db = PgSqlClient.fromUrl(config.databaseUrl ?? '', config.databasePoolSize, {
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      idleInTransactionTimeoutMs: config.databaseIdleInTransactionTimeoutMs,
      parallelWorkersPerGather: config.databaseParallelWorkers,
    });
    try {
      await migrateServer(config, migrations);
      if (config.mode === 'distributed') {
        await refuseSharedRole(db, { allowOwner: config.allowOwnerRole, production: config.production });
      }
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  const store = new EventStore(db, { keyring: new SubjectKeyring(config.masterKey), ...storeOptions });

  if (config.mode === 'embedded') {
    const bus = new InProcessBus(await nextBusOffset(db));
    return {
      config,
      db,
      store,
      publisher: bus,
      source: { kind: 'in-process', bus },
      close: async () => {
        await bus.close();
        await db.close();
      },
    };
  }
  const kafka = kafkaClient(config.kafkaBrokers ?? '', clientId);
  const prefix = config.kafkaTopicPrefix;
  const publisher = new KafkaPublisher(kafka, prefix, { maxBatchBytes: config.kafkaMaxBatchBytes });
  return {
    config,
    db,
    store,
    publisher,
    source: {
      kind: 'kafka',
      kafka,
      prefix,
      partitions: config.kafkaPartitions,
      replicationFactor: config.kafkaReplicationFactor,
      concurrency: config.kafkaConsumerConcurrency,
    },
    kafka,
    close: async () => {
      await publisher.close();
      await db.close();
    },
  };
};

/**
 * On a server, migrations run as the schema owner: over DATABASE_MIGRATION_URL when it is set, else
 * as the service's own role, on a pool of their own without the service pool's statement limits
 * (a migration may rewrite a large table), closed once they are applied. They include the service
 * roles' row security wherever those roles exist or the owner may create them.
 */
const migrateServer = async (config: RuntimeConfig, migrations: readonly Migration[]): Promise<void> => {
  const owner = PgSqlClient.fromUrl(config.migrationDatabaseUrl ?? config.databaseUrl ?? '', 2);
  try {
    const secured = await ensureServiceRoles(owner);
    await migrate(owner, [
      ...EVENT_STORE_MIGRATIONS,
      ...MESSAGING_MIGRATIONS,
      ...(secured ? SERVICE_ROLE_MIGRATIONS : []),
      ...migrations,
    ]);
  } finally {
    await owner.close();
  }
};

/**
 * The distributed mode runs each service as its own role, so that row-level security holds it to its
 * own categories. A superuser, a role with BYPASSRLS, or the owner of the store is not held to
 * anything: refused, unless TASHGHIL_ALLOW_OWNER_ROLE=true, which is for development only and which
 * production refuses too.
 */
export const refuseSharedRole = async (
  db: Queryable,
  options: { allowOwner: boolean; production: boolean },
): Promise<void> => {
  const { rows } = await db.query<{ name: string; superuser: boolean; bypassrls: boolean; owner: boolean }>(
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
            coalesce(pg_has_role(r.oid, c.relowner, 'MEMBER'), false) AS owner
       FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('es.events')
      WHERE r.rolname = current_user`,
  );
  const role = rows[0];
  if (!role) return;
  const why = role.superuser
    ? 'is a superuser'
    : role.bypassrls
      ? 'bypasses row-level security'
      : role.owner
        ? 'owns es.events'
        : undefined;
  if (!why || (options.allowOwner && !options.production)) return;
  throw new ConfigError(
    `the distributed mode refuses the database role "${role.name}": it ${why}, so nothing holds this service to its own categories. ` +
      `Set DATABASE_URL to the service's own role (tashghil_<service>) and DATABASE_MIGRATION_URL to the owner` +
      (options.production ? '' : ', or TASHGHIL_ALLOW_OWNER_ROLE=true for development only'),
  );
};
