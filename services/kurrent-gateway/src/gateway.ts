import { isIP } from 'node:net';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { EventStore } from '@tashghil/event-store';
import type { KeySetSettings } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Access } from './access';
import { DEFAULT_LIMITS, personalFieldsOf, WakeHub, type GatewayContext, type GatewayLimits } from './context';
import { startHealthListener, type HealthListener } from './health-listener';
import { gatewayMetrics, privateRegistry } from './metrics';
import { serverFeaturesService, streamsService } from './protocol';
import { streamsImplementation } from './streams.service';
import { ExternalCategories } from './stream-names';

/**
 * The methods the gateway serves, and so advertises: clients switch behaviour on this list (BatchAppend
 * for appends, persistent subscriptions when listed), so it names nothing else.
 */
const STREAMS = 'event_store.client.streams.streams';
export const SUPPORTED_METHODS = ['read', 'append', 'delete', 'tombstone', 'batchappend'].map((m) => ({
  method_name: m,
  service_name: STREAMS,
  features: [] as string[],
}));

/** The KurrentDB release whose protocol the gateway speaks, for clients that parse a version. */
export const PROTOCOL_VERSION = '24.10.0';

export interface GatewayOptions {
  readonly store: EventStore;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** With a certificate, TLS and Tashghil tokens; without, plaintext for loopback development. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer; readonly tokens: KeySetSettings };
  readonly external?: readonly string[];
  readonly production?: boolean;
  readonly limits?: Partial<GatewayLimits>;
  /** Where its metrics go: the embedded platform's registry, or one of its own. */
  readonly metrics?: Registry;
  /** An HTTP listener for /health/live, /health/ready and /metrics (on `host` unless given); none when unset. */
  readonly http?: { readonly host?: string; readonly port: number };
  readonly log: Logger;
}

export interface Gateway {
  readonly port: number;
  readonly secure: boolean;
  /** The health and metrics listener's port, when it has one. */
  readonly httpPort: number | undefined;
  readonly metrics: Registry;
  close(): Promise<void>;
}

/** The clients' own message limit (17 MiB), so no client message is refused for its size alone. */
const MAX_MESSAGE = 17 * 1024 * 1024;

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

export const startGateway = async (options: GatewayOptions): Promise<Gateway> => {
  if (!options.tls && options.production && !isLoopback(options.host)) {
    throw new Error(
      `NODE_ENV=production refuses a plaintext KurrentDB gateway on ${options.host}: give it a TLS certificate (TASHGHIL_KURRENT_TLS_CERT_FILE and _KEY_FILE) or bind it to a loopback address`,
    );
  }
  const hub = await WakeHub.open(options.store);
  const registry = options.metrics ?? privateRegistry();
  const ctx: GatewayContext = {
    store: options.store,
    external: new ExternalCategories(options.external ?? ['ext.*']),
    personal: personalFieldsOf(options.store),
    access: new Access(options.tls?.tokens),
    hub,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    metrics: gatewayMetrics(registry),
    log: options.log,
  };
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });
  server.addService(streamsService, streamsImplementation(ctx));
  server.addService(serverFeaturesService, {
    GetSupportedMethods: (_call: ServerUnaryCall<object, object>, done: sendUnaryData<object>) =>
      done(null, { methods: SUPPORTED_METHODS, event_store_server_version: PROTOCOL_VERSION }),
  });
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ private_key: options.tls.key, cert_chain: options.tls.cert }], false)
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`,
      credentials,
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  ).catch(async (error: unknown) => {
    await hub.close();
    throw error;
  });
  let health: HealthListener | undefined;
  if (options.http) {
    health = await startHealthListener({
      host: options.http.host ?? options.host,
      port: options.http.port,
      db: options.store.db,
      registry,
    }).catch(async (error: unknown) => {
      server.forceShutdown();
      await hub.close();
      throw error;
    });
    options.log.info(
      { host: options.http.host ?? options.host, port: health.port },
      'KurrentDB gateway health and metrics over HTTP',
    );
  }
  if (options.tls) {
    options.log.info({ host: options.host, port }, 'KurrentDB gateway listening over TLS (Tashghil tokens required)');
  } else {
    options.log.warn(
      { host: options.host, port },
      'KurrentDB gateway listening in PLAINTEXT, without authentication: for loopback and development only (connect with tls=false); give it a TLS certificate anywhere else',
    );
  }
  return {
    port,
    secure: options.tls !== undefined,
    httpPort: health?.port,
    metrics: registry,
    close: async () => {
      await health?.close();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await hub.close();
    },
  };
};
