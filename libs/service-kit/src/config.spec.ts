import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, DEV_JWT_SECRET, loadConfig, type ReadFile } from './config';
import { expectedVersionFrom, type AuthedRequest } from './index';
import { parseInput } from './validation';

describe('configuration', () => {
  it('defaults to the embedded mode under ./data', () => {
    const c = loadConfig({}, { port: 3000 });
    expect(c).toMatchObject({ mode: 'embedded', port: 3000, seedDemo: true });
    expect(c.dataDir).toMatch(/data$/);
  });

  it('needs DATABASE_URL and KAFKA_BROKERS in the distributed mode', () => {
    expect(() => loadConfig({ TASHGHIL_MODE: 'distributed' }, { port: 1 })).toThrow(/DATABASE_URL and KAFKA_BROKERS/);
    expect(
      loadConfig({ TASHGHIL_MODE: 'distributed', DATABASE_URL: 'postgres://x', KAFKA_BROKERS: 'k:9092' }, { port: 1 })
        .seedDemo,
    ).toBe(false);
  });

  it('refuses development secrets in production, and an unknown mode', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { port: 1 })).toThrow(/refuses the development/);
    expect(() => loadConfig({ TASHGHIL_MODE: 'cloud' }, { port: 1 })).toThrow(/embedded or distributed/);
    expect(() => loadConfig({ PORT: 'eighty' }, { port: 1 })).toThrow(/PORT/);
  });
});

/** Files a test names, read without touching the disk. */
const files =
  (content: Record<string, string>): ReadFile =>
  (path) => {
    const found = content[path];
    if (found === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return found;
  };

const publicJwk = {
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
  kid: 'ec-1',
};
const JWKS = JSON.stringify({ keys: [publicJwk] });
const devOct = { kty: 'oct', kid: 'hs-dev', k: Buffer.from(DEV_JWT_SECRET).toString('base64url') };

/** The smallest production environment loadConfig accepts. */
const production = {
  NODE_ENV: 'production',
  TASHGHIL_MASTER_KEY: 'a-master-key-of-this-deployment',
  TASHGHIL_JWT_KEYS: JWKS,
  DATABASE_URL: 'postgres://tashghil_platform:s3cret-from-the-vault@db:5432/tashghil',
};
const problemsIn = (env: NodeJS.ProcessEnv, readFile?: ReadFile): string[] => {
  try {
    loadConfig(env, { port: 1 }, readFile);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n');
  }
};

describe('pools, topics and the inbox', () => {
  it('defaults to bounded pools and sessions, twelve partitions and an inbox kept fourteen days', () => {
    expect(loadConfig({}, { port: 1 })).toMatchObject({
      databasePoolSize: 10,
      databaseStatementTimeoutMs: 30_000,
      databaseIdleInTransactionTimeoutMs: 60_000,
      databaseParallelWorkers: 0,
      kafkaPartitions: 12,
      kafkaReplicationFactor: 1,
      kafkaConsumerConcurrency: 3,
      kafkaMaxBatchBytes: 768 * 1024,
      inboxRetentionDays: 14,
    });
  });

  it('reads each from its variable, and refuses nonsense', () => {
    const c = loadConfig(
      {
        DATABASE_POOL_SIZE: '6',
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000',
        DATABASE_PARALLEL_WORKERS: '2',
        KAFKA_PARTITIONS: '24',
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_CONSUMER_CONCURRENCY: '6',
        KAFKA_MAX_BATCH_BYTES: '500000',
        TASHGHIL_INBOX_RETENTION_DAYS: '30',
      },
      { port: 1 },
    );
    expect(c).toMatchObject({
      databasePoolSize: 6,
      databaseStatementTimeoutMs: 0,
      databaseIdleInTransactionTimeoutMs: 5_000,
      databaseParallelWorkers: 2,
      kafkaPartitions: 24,
      kafkaReplicationFactor: 3,
      kafkaConsumerConcurrency: 6,
      kafkaMaxBatchBytes: 500_000,
      inboxRetentionDays: 30,
    });
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' }, { port: 1 })).toThrow(/DATABASE_POOL_SIZE must be at least 1/);
    expect(() => loadConfig({ KAFKA_PARTITIONS: 'many' }, { port: 1 })).toThrow(/KAFKA_PARTITIONS must be a whole/);
    expect(() => loadConfig({ KAFKA_MAX_BATCH_BYTES: '2000000' }, { port: 1 })).toThrow(/below the broker/);
    expect(
      loadConfig({ KAFKA_MAX_BATCH_BYTES: '2000000', KAFKA_ALLOW_LARGE_BATCHES: 'true' }, { port: 1 })
        .kafkaMaxBatchBytes,
    ).toBe(2_000_000);
  });
});

describe('secrets from files', () => {
  it.each(['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'TASHGHIL_MASTER_KEY', 'TASHGHIL_JWT_SECRET'])(
    'reads %s from NAME_FILE, trimmed',
    (name) => {
      const value = name.startsWith('DATABASE')
        ? 'postgres://app:pw@db/tashghil'
        : 'a-secret-of-at-least-thirty-two-bytes';
      const c = loadConfig(
        { [`${name}_FILE`]: '/run/secrets/it' },
        { port: 1 },
        files({ '/run/secrets/it': `  ${value}\n` }),
      );
      const field = {
        DATABASE_URL: c.databaseUrl,
        DATABASE_MIGRATION_URL: c.migrationDatabaseUrl,
        TASHGHIL_MASTER_KEY: c.masterKey,
        TASHGHIL_JWT_SECRET: c.jwtSecret,
      }[name];
      expect(field).toBe(value);
    },
  );

  it('reads a key set from TASHGHIL_JWT_KEYS_FILE', () => {
    const c = loadConfig({ TASHGHIL_JWT_KEYS_FILE: '/keys.json' }, { port: 1 }, files({ '/keys.json': JWKS }));
    expect(c.jwtKeys.map((k) => [k.kid, k.alg])).toEqual([['ec-1', 'ES256']]);
  });

  it('refuses a secret given twice, a file it cannot read, and an empty one', () => {
    expect(problemsIn({ TASHGHIL_MASTER_KEY: 'x', TASHGHIL_MASTER_KEY_FILE: '/k' })).toEqual([
      'set TASHGHIL_MASTER_KEY or TASHGHIL_MASTER_KEY_FILE, not both',
    ]);
    expect(problemsIn({ DATABASE_URL_FILE: '/nowhere' }, files({}))).toEqual([
      expect.stringMatching(/^DATABASE_URL_FILE: cannot read \/nowhere: ENOENT/),
    ]);
    expect(problemsIn({ TASHGHIL_JWT_SECRET_FILE: '/blank' }, files({ '/blank': ' \n' }))).toEqual([
      'TASHGHIL_JWT_SECRET_FILE: /blank is empty',
    ]);
  });

  it('names the variable a broken key set came from', () => {
    expect(problemsIn({ TASHGHIL_JWT_KEYS: '{"keys": []}' })).toEqual([
      expect.stringMatching(/^TASHGHIL_JWT_KEYS must be a JWKS/),
    ]);
    expect(problemsIn({ TASHGHIL_JWT_KEYS_FILE: '/k' }, files({ '/k': 'nope' }))).toEqual([
      expect.stringMatching(/^TASHGHIL_JWT_KEYS_FILE is not JSON/),
    ]);
  });
});

describe('the key set a service verifies with', () => {
  it('is the development secret alone by default, which the dashboard may sign dev sessions with', () => {
    const c = loadConfig({}, { port: 1 });
    expect(c.jwtKeys.map((k) => k.kid)).toEqual([undefined]);
    expect(c.jwtDevSecret).toBe(true);
  });

  it('is TASHGHIL_JWT_KEYS alone when no secret is given, and both while tokens move to kids', () => {
    const alone = loadConfig({ TASHGHIL_JWT_KEYS: JWKS }, { port: 1 });
    expect(alone.jwtKeys.map((k) => k.kid)).toEqual(['ec-1']);
    expect(alone.jwtDevSecret).toBe(false);
    const both = loadConfig(
      { TASHGHIL_JWT_KEYS: JWKS, TASHGHIL_JWT_SECRET: 'the-old-secret-still-signing-some' },
      { port: 1 },
    );
    expect(both.jwtKeys.map((k) => k.kid)).toEqual([undefined, 'ec-1']);
  });
});

describe('production refuses the development defaults, one line each', () => {
  it('starts with secrets of its own', () => {
    expect(problemsIn(production)).toEqual([]);
  });

  it.each([
    ['the development master key', { TASHGHIL_MASTER_KEY: undefined }, /refuses the development TASHGHIL_MASTER_KEY/],
    [
      'the development JWT secret, when no key set is given',
      { TASHGHIL_JWT_KEYS: undefined },
      /refuses the development TASHGHIL_JWT_SECRET/,
    ],
    [
      'the development JWT secret given on purpose',
      { TASHGHIL_JWT_SECRET: DEV_JWT_SECRET },
      /refuses the development TASHGHIL_JWT_SECRET/,
    ],
    [
      'a short JWT secret',
      { TASHGHIL_JWT_KEYS: undefined, TASHGHIL_JWT_SECRET: 'short' },
      /refuses a TASHGHIL_JWT_SECRET of 5 bytes/,
    ],
    [
      'a key set holding the development secret',
      { TASHGHIL_JWT_KEYS: JSON.stringify({ keys: [publicJwk, devOct] }) },
      /refuses a TASHGHIL_JWT_KEYS key set holding the development secret/,
    ],
    [
      'the superuser’s development password',
      { DATABASE_URL: 'postgres://tashghil:tashghil@db:5432/tashghil' },
      /refuses a DATABASE_URL with the development password/,
    ],
    [
      'a service role’s development password',
      { DATABASE_URL: 'postgres://tashghil_matching:tashghil_matching@db/tashghil' },
      /refuses a DATABASE_URL with the development password/,
    ],
    [
      'a development password in the query',
      { DATABASE_URL: 'postgres://db/tashghil?user=tashghil&password=tashghil' },
      /refuses a DATABASE_URL with the development password/,
    ],
    [
      'a migration URL with the development password',
      { DATABASE_MIGRATION_URL: 'postgres://tashghil:tashghil@db/tashghil' },
      /refuses a DATABASE_MIGRATION_URL with the development password/,
    ],
  ])('refuses %s', (_case, change, line) => {
    expect(problemsIn({ ...production, ...change })).toEqual([expect.stringMatching(line)]);
  });

  it('lists every problem at once', () => {
    expect(
      problemsIn({ NODE_ENV: 'production', DATABASE_URL: 'postgres://tashghil:tashghil@db/tashghil' }),
    ).toHaveLength(3);
  });
});

describe('the rate limit', () => {
  it('is generous by default, its burst following the rate unless set', () => {
    expect(loadConfig({}, { port: 1 })).toMatchObject({ rateLimitPerMinute: 600, rateLimitBurst: 120 });
    expect(loadConfig({ TASHGHIL_RATE_LIMIT: '30' }, { port: 1 })).toMatchObject({
      rateLimitPerMinute: 30,
      rateLimitBurst: 6,
    });
    expect(loadConfig({ TASHGHIL_RATE_LIMIT: '30', TASHGHIL_RATE_LIMIT_BURST: '50' }, { port: 1 })).toMatchObject({
      rateLimitBurst: 50,
    });
    expect(loadConfig({ TASHGHIL_RATE_LIMIT: '0' }, { port: 1 }).rateLimitPerMinute).toBe(0);
  });

  it('refuses a burst of nothing, and reads which proxies to trust', () => {
    expect(problemsIn({ TASHGHIL_RATE_LIMIT_BURST: '0' })).toEqual([
      expect.stringMatching(/TASHGHIL_RATE_LIMIT_BURST must be at least 1/),
    ]);
    expect(problemsIn({ TASHGHIL_RATE_LIMIT: '-1' })).toEqual([
      expect.stringMatching(/TASHGHIL_RATE_LIMIT must be a whole number/),
    ]);
    expect(loadConfig({}, { port: 1 }).trustProxy).toBeUndefined();
    expect(loadConfig({ TASHGHIL_TRUST_PROXY: '1' }, { port: 1 }).trustProxy).toBe(1);
    expect(loadConfig({ TASHGHIL_TRUST_PROXY: 'loopback, 10.0.0.0/8' }, { port: 1 }).trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
  });
});

describe('request parts', () => {
  it('names every invalid field of a body at once', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }) });
    try {
      parseInput(schema, { b: { c: 'x' } });
      throw new Error('should have failed');
    } catch (error) {
      expect((error as { fields: Array<{ path: string }> }).fields.map((f) => f.path)).toEqual(['a', 'b.c']);
    }
  });

  it('reads If-Match as a stream version', () => {
    const req = (v?: string) => ({ headers: v === undefined ? {} : { 'if-match': v } }) as unknown as AuthedRequest;
    expect(expectedVersionFrom(req('"3"'))).toBe(3);
    expect(expectedVersionFrom(req('W/"12"'))).toBe(12);
    expect(expectedVersionFrom(req('7'))).toBe(7);
    expect(expectedVersionFrom(req('*'))).toBeUndefined();
    expect(() => expectedVersionFrom(req('W/"308-abc"'))).toThrow(/If-Match/);
    expect(expectedVersionFrom(req())).toBeUndefined();
  });
});
