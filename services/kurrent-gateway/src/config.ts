import { secretSetting, type RuntimeConfig } from '@tashghil/service-kit';

/** The gateway's own settings, next to the runtime's (database, tokens, production). */
export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly external: readonly string[];
}

/** KurrentDB's default gRPC port, which the clients' examples and esdbcat assume. */
export const DEFAULT_PORT = 2113;

/**
 * TASHGHIL_KURRENT_HOST (default the runtime's HOST), TASHGHIL_KURRENT_PORT (2113),
 * TASHGHIL_KURRENT_TLS_CERT and TASHGHIL_KURRENT_TLS_KEY (PEM, or their _FILE forms; both or neither),
 * TASHGHIL_KURRENT_EXTERNAL (comma-separated categories clients may append to, default `ext.*`).
 */
export const gatewayConfig = (env: NodeJS.ProcessEnv, runtime: Pick<RuntimeConfig, 'host'>): GatewayConfig => {
  const port = Number(env.TASHGHIL_KURRENT_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`TASHGHIL_KURRENT_PORT must be a port number, not "${env.TASHGHIL_KURRENT_PORT}"`);
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
  };
};
