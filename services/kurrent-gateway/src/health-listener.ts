import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queryable } from '@tashghil/event-store';
import { withTimeout } from '@tashghil/service-kit';
import type { Registry } from 'prom-client';

export interface HealthListener {
  readonly port: number;
  close(): Promise<void>;
}

export interface HealthOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly db: Queryable;
  readonly registry: Registry;
}

/** As long as the platform's own readiness waits for its database (service-kit's health.controller.ts). */
const DATABASE_MS = 2_000;

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * The gateway's plain HTTP beside its gRPC port, for probes and Prometheus: `/health/live` (the
 * process answers), `/health/ready` (and the store's database answers), `/metrics`. It serves no
 * event and takes no credentials, like the services' own health and metrics routes.
 */
export const startHealthListener = async (options: HealthOptions): Promise<HealthListener> => {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { status: 'method not allowed' });
      return;
    }
    if (path === '/health/live') {
      json(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/health/ready') {
      withTimeout(options.db.query('SELECT 1'), DATABASE_MS).then(
        () => json(res, 200, { status: 'ready', checks: { database: 'up' } }),
        (error: unknown) =>
          json(res, 503, {
            status: 'not ready',
            checks: { database: `down: ${error instanceof Error ? error.message : String(error)}` },
          }),
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) => json(res, 500, { status: String(error) }),
      );
      return;
    }
    json(res, 404, { status: 'not found', routes: ['/health/live', '/health/ready', '/metrics'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
