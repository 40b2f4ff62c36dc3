import { secretSetting, type RuntimeConfig } from '@tashghil/service-kit';

/** The gateway's own settings, next to the runtime's (database, tokens, production). */
export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly external: readonly string[];
  /** The health and metrics listener's port; undefined for none. */
  readonly httpPort: number | undefined;
}

/** KurrentDB's default gRPC port, which the clients' examples and esdbcat assume. */
export const DEFAULT_PORT = 2113;

const portNumber = (name: string, value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`${name} must be a port number, not "${value}"`);
  return port;
};

/**
 * Where /health and /metrics are served. Set: that port, or `off`. Unset: the gRPC port + 1 (2114)
 * for the gateway as a process of its own; none in the embedded platform, whose own HTTP port
 * already answers /health/ready for the same database and whose /metrics can carry the gateway's.
 */
const httpPortOf = (env: NodeJS.ProcessEnv, grpcPort: number, mode: RuntimeConfig['mode']): number | undefined => {
  const setting = env.TASHGHIL_KURRENT_HTTP_PORT;
  if (setting === 'off') return undefined;
  if (setting !== undefined) return portNumber('TASHGHIL_KURRENT_HTTP_PORT', setting);
  if (mode === 'embedded') return undefined;
  return grpcPort === 0 ? 0 : portNumber('TASHGHIL_KURRENT_PORT + 1', String(grpcPort + 1));
};

/**
 * TASHGHIL_KURRENT_HOST (default the runtime's HOST), TASHGHIL_KURRENT_PORT (2113),
 * TASHGHIL_KURRENT_HTTP_PORT (health and metrics, see httpPortOf),
 * TASHGHIL_KURRENT_TLS_CERT and TASHGHIL_KURRENT_TLS_KEY (PEM, or their _FILE forms; both or neither),
 * TASHGHIL_KURRENT_EXTERNAL (comma-separated categories clients may append to, default `ext.*`).
 */
export const gatewayConfig = (
  env: NodeJS.ProcessEnv,
  runtime: Pick<RuntimeConfig, 'host'> & Partial<Pick<RuntimeConfig, 'mode'>>,
): GatewayConfig => {
  const port = portNumber('TASHGHIL_KURRENT_PORT', env.TASHGHIL_KURRENT_PORT ?? String(DEFAULT_PORT));
  const cert = secretSetting(env, 'TASHGHIL_KURRENT_TLS_CERT');
  const key = secretSetting(env, 'TASHGHIL_KURRENT_TLS_KEY');
  if ((cert === undefined) !== (key === undefined))
    throw new Error('give both TASHGHIL_KURRENT_TLS_CERT(_FILE) and TASHGHIL_KURRENT_TLS_KEY(_FILE), or neither');
  const external = (env.TASHGHIL_KURRENT_EXTERNAL ?? 'ext.*')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    host: env.TASHGHIL_KURRENT_HOST ?? runtime.host,
    port,
    ...(cert !== undefined && key !== undefined ? { tls: { cert: Buffer.from(cert), key: Buffer.from(key) } } : {}),
    external,
    httpPort: httpPortOf(env, port, runtime.mode ?? 'distributed'),
  };
};
