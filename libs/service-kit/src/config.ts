import { resolve } from 'node:path';

export type Mode = 'embedded' | 'distributed';

export interface RuntimeConfig {
  readonly mode: Mode;
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly kafkaBrokers?: string;
  /** Prefixes every topic and consumer group, so deployments can share a broker. */
  readonly kafkaTopicPrefix: string;
  readonly masterKey: string;
  readonly jwtSecret: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly seedDemo: boolean;
  /** /health/ready fails when a consumer stays more than this many events behind… */
  readonly readyMaxLagEvents: number;
  /** …for longer than this many seconds. */
  readonly readyMaxLagSeconds: number;
}

export const DEV_MASTER_KEY = 'tashghil-development-master-key';
export const DEV_JWT_SECRET = 'tashghil-development-signing-secret';

export class ConfigError extends Error {}

/** Reads the environment once. Production refuses the development secrets. */
export const loadConfig = (env: NodeJS.ProcessEnv, defaults: { port: number; mode?: Mode }): RuntimeConfig => {
  const mode = (env.TASHGHIL_MODE ?? defaults.mode ?? 'embedded') as Mode;
  if (mode !== 'embedded' && mode !== 'distributed') throw new ConfigError(`TASHGHIL_MODE must be embedded or distributed, not "${mode}"`);
  const port = Number(env.PORT ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`);
  const production = env.NODE_ENV === 'production';
  const count = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number, not "${env[name]}"`);
    return value;
  };
  const config: RuntimeConfig = {
    mode,
    production,
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.TASHGHIL_DATA_DIR ?? 'data'),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.KAFKA_BROKERS ? { kafkaBrokers: env.KAFKA_BROKERS } : {}),
    kafkaTopicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    masterKey: env.TASHGHIL_MASTER_KEY ?? DEV_MASTER_KEY,
    jwtSecret: env.TASHGHIL_JWT_SECRET ?? DEV_JWT_SECRET,
    jwtIssuer: env.TASHGHIL_JWT_ISSUER ?? 'tashghil',
    jwtAudience: env.TASHGHIL_JWT_AUDIENCE ?? 'tashghil',
    seedDemo: (env.TASHGHIL_DEMO ?? (mode === 'embedded' ? 'true' : 'false')) === 'true',
    readyMaxLagEvents: count('TASHGHIL_READY_MAX_LAG', 10_000),
    readyMaxLagSeconds: count('TASHGHIL_READY_MAX_LAG_SECONDS', 60),
  };
  if (mode === 'distributed' && (!config.databaseUrl || !config.kafkaBrokers)) {
    throw new ConfigError('distributed mode needs DATABASE_URL and KAFKA_BROKERS');
  }
  if (production && (config.masterKey === DEV_MASTER_KEY || config.jwtSecret === DEV_JWT_SECRET)) {
    throw new ConfigError('NODE_ENV=production refuses the development TASHGHIL_MASTER_KEY and TASHGHIL_JWT_SECRET');
  }
  return config;
};
