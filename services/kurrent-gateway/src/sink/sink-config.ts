import { secretSetting } from '@tashghil/service-kit';
import { CategorySelection } from './categories';

export interface SinkConfig {
  /** The Tashghil store's PostgreSQL server (a running platform's embedded PGlite is its own process's). */
  readonly databaseUrl: string;
  /** `kurrentdb://…` or `esdb://…`, credentials and `tls=` as the KurrentDB clients read them. */
  readonly target: string;
  readonly categories: CategorySelection;
  readonly name: string;
  readonly batchSize: number;
}

const CONNECTION = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/./;

/** Whether a text is a KurrentDB connection string, by the schemes the Node client (1.3) accepts. */
export const isKurrentConnectionString = (text: string): boolean => CONNECTION.test(text);

/**
 * DATABASE_URL (or _FILE) the source store; TASHGHIL_KURRENT_SINK_TARGET (or _FILE) the target's
 * connection string; TASHGHIL_KURRENT_SINK_CATEGORIES comma-separated (`conventions.*,matching.offer`);
 * TASHGHIL_KURRENT_SINK_NAME its checkpoint's name (default `default`);
 * TASHGHIL_KURRENT_SINK_BATCH events per read (default 500).
 */
export const sinkConfig = (env: NodeJS.ProcessEnv): SinkConfig => {
  const databaseUrl = secretSetting(env, 'DATABASE_URL');
  if (!databaseUrl) throw new Error('the KurrentDB sink needs DATABASE_URL, the Tashghil store it mirrors');
  const target = secretSetting(env, 'TASHGHIL_KURRENT_SINK_TARGET');
  if (!target)
    throw new Error('TASHGHIL_KURRENT_SINK_TARGET must name the server, e.g. kurrentdb://host:2113?tls=false');
  if (!isKurrentConnectionString(target))
    throw new Error('TASHGHIL_KURRENT_SINK_TARGET is not a KurrentDB connection string (kurrentdb://host:port?…)');
  const name = env.TASHGHIL_KURRENT_SINK_NAME ?? 'default';
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new Error(`TASHGHIL_KURRENT_SINK_NAME must be letters, digits, . _ or -, not "${name}"`);
  const batchSize = Number(env.TASHGHIL_KURRENT_SINK_BATCH ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(
      `TASHGHIL_KURRENT_SINK_BATCH must be a positive whole number, not "${env.TASHGHIL_KURRENT_SINK_BATCH}"`,
    );
  return {
    databaseUrl,
    target,
    categories: CategorySelection.parse(env.TASHGHIL_KURRENT_SINK_CATEGORIES ?? ''),
    name,
    batchSize,
  };
};
