import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseKeySet, secretKeySet, type KeySet } from './identity';

export type Mode = 'embedded' | 'distributed';

export interface RuntimeConfig {
  readonly mode: Mode;
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /**
   * The schema owner's connection, used only to apply migrations before the service connects as its
   * own restricted role (DATABASE_URL). Unset: migrations run over DATABASE_URL.
   */
  readonly migrationDatabaseUrl?: string;
  readonly kafkaBrokers?: string;
  /** Prefixes every topic and consumer group, so deployments can share a broker. */
  readonly kafkaTopicPrefix: string;
  readonly masterKey: string;
  /** The HS256 secret tokens without a `kid` are signed with; the development one when unset. */
  readonly jwtSecret: string;
  /** Every key a token may be verified with: TASHGHIL_JWT_KEYS, and TASHGHIL_JWT_SECRET when given or when no key set is. */
  readonly jwtKeys: KeySet;
  /** Tokens without a `kid` signed with the published development secret verify (the dashboard's dev sessions). */
  readonly jwtDevSecret: boolean;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly seedDemo: boolean;
  /** TASHGHIL_ALLOW_OWNER_ROLE=true: a distributed process may run as the store's owner (development only). */
  readonly allowOwnerRole: boolean;
  /** /health/ready fails when a consumer stays more than this many events behind… */
  readonly readyMaxLagEvents: number;
  /** …for longer than this many seconds. */
  readonly readyMaxLagSeconds: number;
  /** Requests per minute per client IP without a valid token; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** How many such requests a client may send at once before the per-minute rate applies. */
  readonly rateLimitBurst: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client. Unset: none. */
  readonly trustProxy?: boolean | number | string;
  /** DATABASE_POOL_SIZE: the service pool's connections at most (the connection budget's main term). */
  readonly databasePoolSize: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS: the service pool's statement_timeout; 0 leaves the server's. */
  readonly databaseStatementTimeoutMs: number;
  /** DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: its idle_in_transaction_session_timeout; 0 leaves the server's. */
  readonly databaseIdleInTransactionTimeoutMs: number;
  /** DATABASE_PARALLEL_WORKERS: the service pool's max_parallel_workers_per_gather (0: no parallel plans). */
  readonly databaseParallelWorkers: number;
  /** KAFKA_PARTITIONS: partitions of the topics a service creates (existing topics are left alone). */
  readonly kafkaPartitions: number;
  /** KAFKA_REPLICATION_FACTOR: replicas of each partition of the topics a service creates. */
  readonly kafkaReplicationFactor: number;
  /** KAFKA_CONSUMER_CONCURRENCY: partitions each consumer handles at once. */
  readonly kafkaConsumerConcurrency: number;
  /** KAFKA_MAX_BATCH_BYTES: the most bytes the relay puts in one partition's batch of one send. */
  readonly kafkaMaxBatchBytes: number;
  /** TASHGHIL_INBOX_RETENTION_DAYS: inbox rows older than this are pruned; longer than the broker keeps messages. */
  readonly inboxRetentionDays: number;
}

/**
 * Defaults of the settings above. A request's statement finishes well within 30 s, and no
 * transaction waits a minute between two statements unless it is stuck; the migrations and the
 * rebuilds run on pools without these limits. Ten connections per service process; the broker's
 * default record batch limit is 1 MiB (apache/kafka PR #4154, read 2026-12-05), and the relay stays
 * a quarter below it. The inbox outlives the broker's retention (log.retention.hours=168 in
 * infra/kafka/server.properties.in, Kafka's default too) twice over, so a redelivery always finds its row.
 */
export const CONFIG_DEFAULTS = {
  databasePoolSize: 10,
  databaseStatementTimeoutMs: 30_000,
  databaseIdleInTransactionTimeoutMs: 60_000,
  databaseParallelWorkers: 0,
  kafkaPartitions: 12,
  kafkaReplicationFactor: 1,
  kafkaConsumerConcurrency: 3,
  kafkaMaxBatchBytes: 768 * 1024,
  inboxRetentionDays: 14,
} as const;

/** The broker's default message.max.bytes (1 MiB plus 12 bytes of log overhead): a batch limit must stay below it. */
const BROKER_MAX_BATCH_BYTES = 1024 * 1024 + 12;

export const DEV_MASTER_KEY = 'tashghil-development-master-key';
export const DEV_JWT_SECRET = 'tashghil-development-signing-secret';

/** infra/postgres's superuser password, and the per-service roles' `tashghil_<service>`. */
const DEV_DATABASE_PASSWORD = /^tashghil(_[a-z]+)?$/;

export class ConfigError extends Error {}

export type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * A secret from NAME, or from the file NAME_FILE names (its content trimmed), so that a secret can
 * come from a mounted file and never sit in the environment or the repository.
 */
export const secretSetting = (
  env: NodeJS.ProcessEnv,
  name: string,
  readFile: ReadFile = readUtf8,
): string | undefined => {
  const value = env[name];
  const path = env[`${name}_FILE`];
  if (value !== undefined && path !== undefined) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
  if (path === undefined) return value;
  let content: string;
  try {
    content = readFile(path).trim();
  } catch (error) {
    throw new ConfigError(`${name}_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
  if (content === '') throw new ConfigError(`${name}_FILE: ${path} is empty`);
  return content;
};

const hasDevPassword = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    const password = parsed.searchParams.get('password') ?? decodeURIComponent(parsed.password);
    return DEV_DATABASE_PASSWORD.test(password);
  } catch {
    return false;
  }
};

const DEV_SECRET_BYTES = Buffer.from(DEV_JWT_SECRET, 'utf8');

const isDevSecret = (keys: KeySet): boolean =>
  keys.some((k) => k.key.type === 'secret' && k.key.export().equals(DEV_SECRET_BYTES));

/** One line per development default a production process would otherwise run with. */
const productionProblems = (config: RuntimeConfig): string[] => {
  const problems: string[] = [];
  const refuse = (what: string, fix: string): number => problems.push(`NODE_ENV=production refuses ${what}: ${fix}`);
  if (config.masterKey === DEV_MASTER_KEY)
    refuse('the development TASHGHIL_MASTER_KEY', 'set TASHGHIL_MASTER_KEY or TASHGHIL_MASTER_KEY_FILE');
  const secretVerifies = config.jwtKeys.some((k) => k.kid === undefined);
  if (secretVerifies && config.jwtSecret === DEV_JWT_SECRET) {
    refuse(
      'the development TASHGHIL_JWT_SECRET',
      'set TASHGHIL_JWT_SECRET(_FILE), or a key set in TASHGHIL_JWT_KEYS(_FILE)',
    );
  } else if (secretVerifies && Buffer.byteLength(config.jwtSecret) < 32) {
    // RFC 7518 §3.2: an HS256 key is at least as long as the hash.
    refuse(`a TASHGHIL_JWT_SECRET of ${Buffer.byteLength(config.jwtSecret)} bytes`, 'give at least 32 bytes');
  }
  if (isDevSecret(config.jwtKeys.filter((k) => k.kid !== undefined)))
    refuse('a TASHGHIL_JWT_KEYS key set holding the development secret', 'replace that oct key');
  for (const [name, url] of [
    ['DATABASE_URL', config.databaseUrl],
    ['DATABASE_MIGRATION_URL', config.migrationDatabaseUrl],
  ] as const) {
    if (url !== undefined && hasDevPassword(url))
      refuse(`a ${name} with the development password`, 'give the database role a password of its own');
  }
  return problems;
};

const trustProxyOf = (raw: string | undefined): boolean | number | string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^\d+$/.test(raw) ? Number(raw) : raw;
};

/**
 * Reads the environment once. Every secret NAME may come from the file NAME_FILE names; production refuses the
 * development secrets and passwords.
 */
export const loadConfig = (
  env: NodeJS.ProcessEnv,
  defaults: { port: number; mode?: Mode },
  readFile: ReadFile = readUtf8,
): RuntimeConfig => {
  const mode = (env.TASHGHIL_MODE ?? defaults.mode ?? 'embedded') as Mode;
  if (mode !== 'embedded' && mode !== 'distributed')
    throw new ConfigError(`TASHGHIL_MODE must be embedded or distributed, not "${mode}"`);
  const port = Number(env.PORT ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`);
  const production = env.NODE_ENV === 'production';
  const count = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0)
      throw new ConfigError(`${name} must be a whole number, not "${env[name]}"`);
    return value;
  };
  const atLeastOne = (name: string, fallback: number): number => {
    const value = count(name, fallback);
    if (value < 1) throw new ConfigError(`${name} must be at least 1, not "${env[name]}"`);
    return value;
  };
  const secret = (name: string): string | undefined => secretSetting(env, name, readFile);
  const databaseUrl = secret('DATABASE_URL');
  const migrationDatabaseUrl = secret('DATABASE_MIGRATION_URL');
  const givenSecret = secret('TASHGHIL_JWT_SECRET');
  const jwks = secret('TASHGHIL_JWT_KEYS');
  let keySet: KeySet = [];
  try {
    if (jwks !== undefined) keySet = parseKeySet(jwks);
  } catch (error) {
    throw new ConfigError(
      `${env.TASHGHIL_JWT_KEYS_FILE !== undefined ? 'TASHGHIL_JWT_KEYS_FILE' : 'TASHGHIL_JWT_KEYS'} ${(error as Error).message}`,
    );
  }
  const jwtSecret = givenSecret ?? DEV_JWT_SECRET;
  // With a key set, the secret verifies only when given too: the overlap while tokens move to kids.
  const jwtKeys = jwks === undefined || givenSecret !== undefined ? [...secretKeySet(jwtSecret), ...keySet] : keySet;
  const rateLimitPerMinute = count('TASHGHIL_RATE_LIMIT', 600);
  const rateLimitBurst = count('TASHGHIL_RATE_LIMIT_BURST', Math.max(1, Math.ceil(rateLimitPerMinute / 5)));
  if (rateLimitPerMinute > 0 && rateLimitBurst < 1)
    throw new ConfigError('TASHGHIL_RATE_LIMIT_BURST must be at least 1 while TASHGHIL_RATE_LIMIT is on');
  const trustProxy = trustProxyOf(env.TASHGHIL_TRUST_PROXY);
  const kafkaMaxBatchBytes = atLeastOne('KAFKA_MAX_BATCH_BYTES', CONFIG_DEFAULTS.kafkaMaxBatchBytes);
  if (kafkaMaxBatchBytes >= BROKER_MAX_BATCH_BYTES && env.KAFKA_ALLOW_LARGE_BATCHES !== 'true')
    throw new ConfigError(
      `KAFKA_MAX_BATCH_BYTES must stay below the broker's default message.max.bytes (${BROKER_MAX_BATCH_BYTES}); set KAFKA_ALLOW_LARGE_BATCHES=true if the broker takes more`,
    );
  const config: RuntimeConfig = {
    mode,
    production,
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.TASHGHIL_DATA_DIR ?? 'data'),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(migrationDatabaseUrl ? { migrationDatabaseUrl } : {}),
    ...(env.KAFKA_BROKERS ? { kafkaBrokers: env.KAFKA_BROKERS } : {}),
    kafkaTopicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    masterKey: secret('TASHGHIL_MASTER_KEY') ?? DEV_MASTER_KEY,
    jwtSecret,
    jwtKeys,
    jwtDevSecret: isDevSecret(jwtKeys.filter((k) => k.kid === undefined)),
    jwtIssuer: env.TASHGHIL_JWT_ISSUER ?? 'tashghil',
    jwtAudience: env.TASHGHIL_JWT_AUDIENCE ?? 'tashghil',
    allowOwnerRole: env.TASHGHIL_ALLOW_OWNER_ROLE === 'true',
    seedDemo: (env.TASHGHIL_DEMO ?? (mode === 'embedded' ? 'true' : 'false')) === 'true',
    readyMaxLagEvents: count('TASHGHIL_READY_MAX_LAG', 10_000),
    readyMaxLagSeconds: count('TASHGHIL_READY_MAX_LAG_SECONDS', 60),
    rateLimitPerMinute,
    rateLimitBurst,
    ...(trustProxy !== undefined ? { trustProxy } : {}),
    databasePoolSize: atLeastOne('DATABASE_POOL_SIZE', CONFIG_DEFAULTS.databasePoolSize),
    databaseStatementTimeoutMs: count('DATABASE_STATEMENT_TIMEOUT_MS', CONFIG_DEFAULTS.databaseStatementTimeoutMs),
    databaseIdleInTransactionTimeoutMs: count(
      'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      CONFIG_DEFAULTS.databaseIdleInTransactionTimeoutMs,
    ),
    databaseParallelWorkers: count('DATABASE_PARALLEL_WORKERS', CONFIG_DEFAULTS.databaseParallelWorkers),
    kafkaPartitions: atLeastOne('KAFKA_PARTITIONS', CONFIG_DEFAULTS.kafkaPartitions),
    kafkaReplicationFactor: atLeastOne('KAFKA_REPLICATION_FACTOR', CONFIG_DEFAULTS.kafkaReplicationFactor),
    kafkaConsumerConcurrency: atLeastOne('KAFKA_CONSUMER_CONCURRENCY', CONFIG_DEFAULTS.kafkaConsumerConcurrency),
    kafkaMaxBatchBytes,
    inboxRetentionDays: atLeastOne('TASHGHIL_INBOX_RETENTION_DAYS', CONFIG_DEFAULTS.inboxRetentionDays),
  };
  if (mode === 'distributed' && (!config.databaseUrl || !config.kafkaBrokers)) {
    throw new ConfigError('distributed mode needs DATABASE_URL and KAFKA_BROKERS');
  }
  const problems = production ? productionProblems(config) : [];
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return config;
};
