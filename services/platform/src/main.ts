import 'reflect-metadata';
import { gatewayConfig, startGateway } from '@tashghil/kurrent-gateway';
import { METRICS, runMain, type MetricsRegistry, type RunningService } from '@tashghil/service-kit';
import { platformService } from './service';

/**
 * The embedded platform also serves its store to the KurrentDB/EventStoreDB clients, on
 * TASHGHIL_KURRENT_PORT (2113 by default; `off` for none). In the distributed mode the gateway is a
 * process of its own (`npm run start:kurrent-gateway`) over the PostgreSQL server.
 */
const withGateway = async (service: RunningService): Promise<() => Promise<void>> => {
  const { config, store } = service.runtime;
  if (config.mode !== 'embedded' || process.env.TASHGHIL_KURRENT_PORT === 'off') return async () => undefined;
  const settings = gatewayConfig(process.env, config);
  const gateway = await startGateway({
    store,
    host: settings.host,
    port: settings.port,
    external: settings.external,
    production: config.production,
    ...(settings.tls
      ? {
          tls: {
            ...settings.tls,
            tokens: { keys: config.jwtKeys, issuer: config.jwtIssuer, audience: config.jwtAudience },
          },
        }
      : {}),
    log: service.log,
    // Its counters join the platform's own /metrics.
    metrics: service.app.get<MetricsRegistry>(METRICS),
    ...(settings.httpPort !== undefined ? { http: { port: settings.httpPort } } : {}),
  });
  const scheme = gateway.secure ? 'tls=true' : 'tls=false';
  process.stdout.write(`  KurrentDB clients: kurrentdb://${settings.host}:${gateway.port}?${scheme}\n\n`);
  return () => gateway.close();
};

runMain(platformService, withGateway);
