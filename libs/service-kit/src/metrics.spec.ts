import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { sampleValue } from './exposition';
import { createLogger } from './logger';
import { createInstruments, createMetrics, startDuration } from './metrics';
import { correlationMiddleware } from './request-context';
import { requestObserver } from './request-log';

/** A pino destination that keeps each JSON line. */
const capture = (): { lines: Array<Record<string, unknown>>; stream: Writable } => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
};

const appWith = () => {
  const registry = createMetrics('unit');
  const instruments = createInstruments(registry);
  const logs = capture();
  const log = createLogger('unit', { level: 'debug', destination: logs.stream });
  const app = express();
  app.use(correlationMiddleware);
  app.use(requestObserver(log, instruments));
  app.get('/grants/:id', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/grants/:id/payments', (_req, res) => {
    res.status(409).json({ code: 'NO' });
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return { app, registry, instruments, logs };
};

describe('the metrics every process exports', () => {
  it('times requests by method, route pattern and status, never by raw URL', async () => {
    const { app, registry } = appWith();
    await request(app).get('/grants/grant-17').expect(200);
    await request(app).get('/grants/grant-18?x=1').expect(200);
    await request(app).post('/grants/grant-17/payments').expect(409);
    await request(app).get('/no/such/page-4711').expect(404);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const count = (labels: Record<string, string>) =>
      sampleValue(text, 'http_request_duration_seconds_count', { service: 'unit', ...labels });
    expect(count({ method: 'GET', route: '/grants/:id', status: '200' })).toBe(2);
    expect(count({ method: 'POST', route: '/grants/:id/payments', status: '409' })).toBe(1);
    expect(count({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sampleValue(text, 'http_request_duration_seconds_bucket', { le: '+Inf', route: '/grants/:id' })).toBe(2);
    expect(text).not.toMatch(/grant-17|grant-18|page-4711/);
  });

  it('logs one line per request with its route, status, duration and correlation id; probes at debug', async () => {
    const { app, logs } = appWith();
    await request(app).get('/grants/grant-17').set('x-correlation-id', 'test-unit-1').expect(200);
    await request(app).get('/health/live').expect(200);
    const [grant, probe] = logs.lines.filter((l) => l.msg === 'request');
    expect(grant).toMatchObject({
      level: 30,
      service: 'unit',
      method: 'GET',
      route: '/grants/:id',
      path: '/grants/grant-17',
      status: 200,
      correlationId: 'test-unit-1',
    });
    expect(typeof grant?.durationMs).toBe('number');
    expect(probe).toMatchObject({ level: 20, route: '/health/live', status: 200 });
    expect(probe?.correlationId).toEqual(expect.any(String));
  });

  it('counts appended events by type and dead letters by consumer, topic and reason', async () => {
    const registry = createMetrics('unit');
    const { eventsAppended, deadLetters } = createInstruments(registry);
    eventsAppended.inc({ type: 'ConventionDrafted' });
    eventsAppended.inc({ type: 'ConventionDrafted' });
    eventsAppended.inc({ type: 'MeasureAdded' });
    deadLetters.inc({ consumer: 'reporting', topic: 'tashghil.conventions', reason: 'CONTRACT_VIOLATION' });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE events_appended_total counter');
    expect(sampleValue(text, 'events_appended_total', { type: 'ConventionDrafted', service: 'unit' })).toBe(2);
    expect(sampleValue(text, 'events_appended_total', { type: 'MeasureAdded' })).toBe(1);
    expect(
      sampleValue(text, 'dead_letters_total', {
        consumer: 'reporting',
        topic: 'tashghil.conventions',
        reason: 'CONTRACT_VIOLATION',
      }),
    ).toBe(1);
  });

  it('times a long operation in a histogram made on first use and shared after', async () => {
    const registry = createMetrics('unit');
    const first = startDuration(registry, 'matching_run_duration_seconds', 'runs');
    const seconds = first();
    startDuration(registry, 'matching_run_duration_seconds', 'runs')();
    expect(seconds).toBeGreaterThanOrEqual(0);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE matching_run_duration_seconds histogram');
    expect(sampleValue(text, 'matching_run_duration_seconds_count', { service: 'unit' })).toBe(2);
    expect(sampleValue(text, 'matching_run_duration_seconds_bucket', { le: '600' })).toBe(2);
  });
});
