import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlClient } from '@tashghil/event-store';
import { Histogram } from 'prom-client';
import { LagMonitor } from './lag-monitor';
import { createInstruments, createMetrics, startDuration } from './metrics';

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: ReadonlyArray<{ readonly expr: string }>;
}

const dashboard = JSON.parse(
  readFileSync(join(__dirname, '../../../infra/grafana/dashboards/tashghil.json'), 'utf8'),
) as {
  panels: Panel[];
  templating: { list: Array<{ definition: string }> };
};

const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'by',
  'without',
  'rate',
  'increase',
  'irate',
  'histogram_quantile',
  'le',
  'label_values',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
]);

/** The metric names a PromQL expression reads: labels, strings, ranges and functions taken out. */
const metricsIn = (expr: string): string[] =>
  expr
    .replace(/label_values\(([^,]*),\s*\w+\)/g, '$1')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without)\s*\([^)]*\)/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)
    ?.filter((w) => !PROMQL_WORDS.has(w)) ?? [];

describe('the Grafana dashboard', () => {
  it('queries only metrics a Tashghil process exports, and shows each of them', async () => {
    const registry = createMetrics('dashboard');
    createInstruments(registry);
    void new LagMonitor({ registry, db: {} as SqlClient, relays: [], consumers: () => [] });
    startDuration(registry, 'matching_run_duration_seconds', 'runs');
    const exported = new Set(['up']);
    for (const m of await registry.getMetricsAsJSON()) {
      exported.add(m.name);
      if (registry.getSingleMetric(m.name) instanceof Histogram)
        for (const suffix of ['_bucket', '_count', '_sum']) exported.add(`${m.name}${suffix}`);
    }
    const exprs = dashboard.panels.flatMap((p) => p.targets?.map((t) => t.expr) ?? []);
    const queried = new Set([...exprs, ...dashboard.templating.list.map((v) => v.definition)].flatMap(metricsIn));
    expect([...queried].filter((name) => !exported.has(name))).toEqual([]);
    const ours = [
      'http_request_duration_seconds_bucket',
      'events_appended_total',
      'relay_lag_events',
      'relay_lag_seconds',
      'consumer_lag_messages',
      'projection_lag_events',
      'dead_letters_total',
      'dead_letters_stored',
      'matching_run_duration_seconds_bucket',
      'lag_collect_failures_total',
    ];
    expect(ours.filter((name) => !queried.has(name))).toEqual([]);
  });
});
