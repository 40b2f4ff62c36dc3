import {
  EVENT_STORE_MIGRATIONS,
  EventStore,
  migrate,
  PgSqlClient,
  SubjectKeyring,
  type SqlClient,
} from '@tashghil/event-store';
import { createLogger, createMetrics, loadConfig } from '@tashghil/service-kit';
import { gatewayConfig } from './config';
import { startGateway } from './gateway';

/**
 * The gateway as a process of its own, over the PostgreSQL server (DATABASE_URL). The embedded
 * platform starts it inside its own process (startGateway over the store its services use):
 * PGlite is one process's database.
 */
const main = async (): Promise<void> => {
  const log = createLogger('kurrent-gateway');
  const runtime = loadConfig(process.env, { port: 0, mode: 'distributed' });
  if (!runtime.databaseUrl) throw new Error('the gateway on its own needs DATABASE_URL');
  const config = gatewayConfig(process.env, runtime);
  const owner = PgSqlClient.fromUrl(runtime.migrationDatabaseUrl ?? runtime.databaseUrl, 2);
  await migrate(owner, EVENT_STORE_MIGRATIONS).finally(() => owner.close());
  const db: SqlClient = PgSqlClient.fromUrl(runtime.databaseUrl, 10);
  const store = new EventStore(db, { keyring: new SubjectKeyring(runtime.masterKey) });
  const gateway = await startGateway({
    store,
    host: config.host,
    port: config.port,
    external: config.external,
    production: runtime.production,
    metrics: createMetrics('kurrent-gateway'),
    ...(config.httpPort !== undefined ? { http: { port: config.httpPort } } : {}),
    ...(config.tls
      ? {
          tls: {
            ...config.tls,
            tokens: { keys: runtime.jwtKeys, issuer: runtime.jwtIssuer, audience: runtime.jwtAudience },
          },
        }
      : {}),
    log,
  });
  const stop = async (): Promise<void> => {
    await gateway.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
