import { Global, Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { topicForContext } from '@tashghil/contracts';
import { EVENT_STORE, linguisticCollation, SQL_CLIENT, type Migration, type Subscription } from '@tashghil/event-store';
import { ensureTopics, InboxTransport, startRelay } from '@tashghil/messaging';
import type { DestinationStream, Logger } from 'pino';
import { AuthGuard, hasValidToken } from './auth.guard';
import { loadConfig, type Mode } from './config';
import { HealthController } from './health.controller';
import { LAG_MONITOR, LagMonitor } from './lag-monitor';
import type { StoreSubscriptionLag } from './lag-readings';
import { createInstruments, createMetrics, METRICS } from './metrics';
import { withPathParameters } from './openapi';
import { createLogger } from './logger';
import { ProblemFilter } from './problem.filter';
import { rateLimiter, TokenBuckets } from './rate-limit';
import { correlationMiddleware } from './request-context';
import { requestObserver } from './request-log';
import { openRuntime, RUNTIME, type Runtime } from './runtime';

export const LOGGER = Symbol('LOGGER');
/**
 * The environment the service was started with (startService's `env`, process.env by default): a
 * module reads its own settings from it, so a service started in a process among others (the
 * embedded platform, a benchmark, a test) gets the settings it was given, not the process's.
 */
export const SERVICE_ENV = Symbol('SERVICE_ENV');

export interface ServiceSpec {
  readonly name: string;
  readonly modules: readonly Type<unknown>[];
  /** Consumer groups whose @OnEvent handlers this process runs. */
  readonly consumers: readonly string[];
  /** Contexts whose events this process relays to the broker. */
  readonly relays: readonly string[];
  /** Subscriptions to the store this process runs, by the settings it starts with: their lag is reported. */
  readonly subscriptions?: (env: NodeJS.ProcessEnv) => readonly StoreSubscriptionLag[];
  readonly migrations: readonly Migration[];
  readonly defaultPort: number;
  readonly defaultMode?: Mode;
  readonly seed?: (runtime: Runtime, log: Logger) => Promise<void>;
}

export interface StartOptions {
  /** Where the JSON log lines go in place of stdout: a test keeps them to read. */
  readonly logDestination?: DestinationStream;
}

export interface RunningService {
  readonly app: INestApplication;
  readonly runtime: Runtime;
  readonly url: string;
  readonly log: Logger;
  stop(): Promise<void>;
}

@Global()
@Module({})
class ServiceRootModule {}

/**
 * Starts one process: migrations, the HTTP API, the consumers, the relays, and in the embedded mode
 * the demo data. Every service's main is a ServiceSpec and a call to this.
 */
export const startService = async (
  spec: ServiceSpec,
  env: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<RunningService> => {
  const config = loadConfig(env, { port: spec.defaultPort, ...(spec.defaultMode ? { mode: spec.defaultMode } : {}) });
  const log = createLogger(spec.name, {
    ...(env.LOG_LEVEL ? { level: env.LOG_LEVEL } : {}),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const metrics = createMetrics(spec.name);
  const instruments = createInstruments(metrics);
  const runtime = await openRuntime(config, spec.migrations, spec.name, {
    onAppended: (_streamId, events) => {
      for (const e of events) instruments.eventsAppended.inc({ type: e.type });
    },
  });
  const collation = await linguisticCollation(runtime.db);
  if (collation) {
    log.warn(
      { collation },
      `the database orders text by ${collation}'s rules, not by bytes: every index on the store's keys compares more slowly ` +
        'than on a database created with --no-locale (LC_COLLATE C), as infra/postgres/start.sh and docker-compose.yml create it',
    );
  }
  const transports = spec.consumers.map(
    (consumer) =>
      new InboxTransport({
        consumer,
        db: runtime.db,
        source: runtime.source,
        deadLetters: runtime.publisher,
        log: (level, msg, fields) => log[level]({ consumer, ...fields }, msg),
        onDeadLetter: (topic, reason) => instruments.deadLetters.inc({ consumer, topic, reason }),
        inboxRetentionDays: config.inboxRetentionDays,
      }),
  );
  const lag = new LagMonitor({
    registry: metrics,
    db: runtime.db,
    relays: spec.relays,
    subscriptions: spec.subscriptions?.(env) ?? [],
    consumers: () => transports.map((t) => t.subscription()),
    ...(runtime.kafka ? { kafka: { kafka: runtime.kafka, prefix: config.kafkaTopicPrefix } } : {}),
  });
  const values = [
    { provide: RUNTIME, useValue: runtime },
    { provide: EVENT_STORE, useValue: runtime.store },
    { provide: SQL_CLIENT, useValue: runtime.db },
    { provide: METRICS, useValue: metrics },
    { provide: LAG_MONITOR, useValue: lag },
    { provide: LOGGER, useValue: log },
    { provide: SERVICE_ENV, useValue: env },
  ];
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [...spec.modules],
    controllers: [HealthController],
    providers: values,
    exports: values.map((v) => v.provide),
  };
  const app = await NestFactory.create<NestExpressApplication>(root, { logger: false, bodyParser: false });
  // Express's own weak ETags would look like versions to a client echoing them in If-Match.
  app.set('etag', false);
  app.use(correlationMiddleware);
  app.use(requestObserver(log, instruments));
  const verifier = { keys: config.jwtKeys, issuer: config.jwtIssuer, audience: config.jwtAudience };
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  if (config.rateLimitPerMinute > 0) {
    // Per client IP, before any body is read; a caller with a valid token is not counted.
    const buckets = new TokenBuckets({ perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst });
    app.use(rateLimiter(buckets, (req) => !hasValidToken(verifier, req)));
  }
  app.useBodyParser('json', { limit: '256kb' });
  // Bulk imports (CSV) are the one place a large body is expected.
  app.useBodyParser('text', { type: 'text/csv', limit: '64mb' });
  app.useGlobalFilters(new ProblemFilter(log));
  app.useGlobalGuards(new AuthGuard(app.get(Reflector), verifier));
  const document = withPathParameters(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(`Tashghil ${spec.name}`)
        .setVersion('1')
        .addBearerAuth()
        .setDescription(
          'Every endpoint but health and metrics needs a bearer token: `npm run -s token -- --role officer --region MA-09`. Errors are application/problem+json with a stable `code`.',
        )
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  for (const strategy of transports) app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  // Modules' start-up hooks (a read model built from the store, say) finish before any message arrives.
  await app.init();
  await app.startAllMicroservices();

  if (runtime.kafka && spec.relays.length > 0) {
    await ensureTopics(
      runtime.kafka,
      spec.relays.map(topicForContext),
      config.kafkaPartitions,
      config.kafkaTopicPrefix,
      config.kafkaReplicationFactor,
    );
  }
  const relays: Subscription[] = [];
  for (const context of spec.relays) {
    relays.push(
      await startRelay({
        store: runtime.store,
        publisher: runtime.publisher,
        context,
        onError: (err) => log.warn({ err, context }, 'relay batch failed; retrying'),
        onLeaseChange: (holding) => log.info({ context, holding }, holding ? 'relay leads' : 'relay follows'),
      }),
    );
  }
  if (config.seedDemo && spec.seed) await spec.seed(runtime, log);
  await app.listen(config.port, config.host);
  // Idle keep-alive sockets outlive the clients' own idle timeouts (undici's 4 s, proxies' 60 s), so
  // the server never closes a socket a client is reusing at that instant: under load, that race
  // resets a request before it is read.
  const http = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  const address = app.getHttpServer().address() as { port: number } | null;
  const url = `http://${config.host}:${address?.port ?? config.port}`;
  log.info({ url, mode: config.mode }, `${spec.name} listening`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const r of relays) await r.stop();
      await app.close();
      await lag.close();
      await runtime.close();
    })();
    return stopping;
  };
  return { app, runtime, url, log, stop };
};

/**
 * For a main file: start, print the URL, stop cleanly on SIGINT/SIGTERM, exit 1 with one line on
 * failure. `companions` starts more servers over the running service (the embedded platform's
 * KurrentDB gateway) and returns how to stop them.
 */
export const runMain = (
  spec: ServiceSpec,
  companions?: (service: RunningService) => Promise<() => Promise<void>>,
): void => {
  startService(spec)
    .then(async (service) => {
      process.stdout.write(
        `\n${spec.name} is running at ${service.url}  (mode: ${service.runtime.config.mode})\n` +
          `  health: ${service.url}/health/ready   a development token: npm run -s token -- --role admin\n\n`,
      );
      const stopMore = companions
        ? await companions(service).catch(async (error: unknown) => {
            await service.stop();
            throw error;
          })
        : async () => undefined;
      const shutdown = (): void => {
        stopMore()
          .then(() => service.stop())
          .then(
            () => process.exit(0),
            () => process.exit(1),
          );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${spec.name} failed to start: ${(error as Error).message}\n`);
      process.exit(1);
    });
};
