import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The process's one prom-client Registry, served on /metrics. */
export const METRICS = Symbol('METRICS');

export type { Registry as MetricsRegistry } from 'prom-client';

export const createMetrics = (service: string): Registry => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
};

/** What the edge and the store report as they go; the lags are read at scrape time (lag-monitor.ts). */
export interface Instruments {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly eventsAppended: Counter<'type'>;
  readonly deadLetters: Counter<'consumer' | 'topic' | 'reason'>;
}

export const createInstruments = (registry: Registry): Instruments => ({
  httpDuration: new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern (never the raw URL) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }),
  eventsAppended: new Counter({
    name: 'events_appended_total',
    help: 'Events this process appended to the store, by type (idempotent repeats write nothing and count nothing)',
    labelNames: ['type'],
    registers: [registry],
  }),
  deadLetters: new Counter({
    name: 'dead_letters_total',
    help: 'Messages this process sent to a dead-letter topic, by consumer, original topic and reason',
    labelNames: ['consumer', 'topic', 'reason'],
    registers: [registry],
  }),
});

/** Seconds to minutes: a batch run or a rebuild, not a request. */
const LONG_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1_800];

/**
 * Starts timing one run of a long operation on the process's registry; the returned function
 * records the seconds elapsed and returns them. The histogram is created on first use, so a
 * service exports only the operations it runs:
 * `const done = startDuration(registry, 'matching_run_duration_seconds', 'National batch matching runs'); …; done();`
 */
export const startDuration = (registry: Registry, name: string, help: string): (() => number) => {
  const existing = registry.getSingleMetric(name);
  const histogram =
    existing instanceof Histogram
      ? existing
      : new Histogram({ name, help, buckets: LONG_BUCKETS, registers: [registry] });
  return histogram.startTimer();
};
