import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { HEADERS, TOPICS } from '@tashghil/contracts';
import type { InboundMessage } from '@tashghil/messaging';
import { sampleValue, startService, type RunningService } from '@tashghil/service-kit';
import { platformService } from './service';
import { call, draftBody, officer, waitForConvention } from './slice-checks';

type Line = Record<string, unknown>;

const until = async (what: string, found: () => boolean, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!found()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('one correlation id from the HTTP request to the consumer, in the embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-correlation-'));
  const lines: Line[] = [];
  const delivered: InboundMessage[] = [];
  let service: RunningService;

  beforeAll(async () => {
    const logs = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
        done();
      },
    });
    service = await startService(
      platformService,
      { TASHGHIL_MODE: 'embedded', TASHGHIL_DATA_DIR: dataDir, PORT: '0', TASHGHIL_DEMO: 'false', LOG_LEVEL: 'debug' },
      { logDestination: logs },
    );
    const { source } = service.runtime;
    if (source.kind !== 'in-process') throw new Error('the embedded mode runs on the in-process bus');
    // One more consumer group on the bus sees each message as every consumer gets it, headers included.
    source.bus.subscribe('correlation-spy', [TOPICS.conventions], async (m) => {
      delivered.push(m);
    });
  }, 120_000);
  afterAll(async () => {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the caller’s x-correlation-id in the HTTP log line, the event’s metadata, the message headers and the consumer’s log line', async () => {
    const correlationId = `test-${randomUUID()}`;
    const token = officer('MA-10');
    const created = await call(service.url, 'POST', '/conventions', token, draftBody('correlation-2025', 'MA-10'), {
      'x-correlation-id': correlationId,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-correlation-id')).toBe(correlationId);
    await waitForConvention(service.url, token, 'MA-10', 'correlation-2025');
    const applied = (l: Line) =>
      l.msg === 'message applied' && l.consumer === 'reporting' && l.correlationId === correlationId;
    await until('the reporting consumer’s log line', () => lines.some(applied));

    const request = lines.find((l) => l.msg === 'request' && l.method === 'POST');
    expect(request).toMatchObject({
      service: 'platform',
      route: '/conventions',
      path: '/conventions',
      status: 201,
      correlationId,
    });
    expect(request?.durationMs).toEqual(expect.any(Number));

    const { rows } = await service.runtime.db.query<{ event_id: string; type: string }>(
      `SELECT event_id::text, type FROM es.events WHERE metadata->>'correlationId' = $1`,
      [correlationId],
    );
    expect(rows.map((r) => r.type)).toEqual(['ConventionDrafted']);
    const eventId = rows[0]?.event_id;

    const message = delivered.find((m) => m.headers[HEADERS.eventId] === eventId);
    expect(message?.headers).toMatchObject({
      [HEADERS.correlationId]: correlationId,
      [HEADERS.type]: 'ConventionDrafted',
    });

    expect(lines.find(applied)).toMatchObject({
      service: 'platform',
      level: 20,
      eventId,
      type: 'ConventionDrafted',
      topic: TOPICS.conventions,
    });
  });

  it('exports the request, the append and the lags on /metrics, by route pattern and never by raw URL', async () => {
    const token = officer('MA-10');
    expect((await call(service.url, 'GET', '/conventions/correlation-2025', token)).status).toBe(200);
    const res = await fetch(`${service.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const m = (name: string, labels: Record<string, string>) =>
      sampleValue(text, name, { service: 'platform', ...labels });
    expect(m('http_request_duration_seconds_count', { method: 'POST', route: '/conventions', status: '201' })).toBe(1);
    expect(m('http_request_duration_seconds_count', { method: 'GET', route: '/conventions/:id', status: '200' })).toBe(
      1,
    );
    expect(text).not.toContain('route="/conventions/correlation-2025"');
    expect(m('events_appended_total', { type: 'ConventionDrafted' })).toBe(1);
    expect(m('relay_lag_events', { context: 'conventions' })).toBe(0);
    expect(m('relay_lag_seconds', { context: 'conventions' })).toBe(0);
    expect(m('projection_lag_events', { consumer: 'reporting' })).toBe(0);
    expect(m('projection_lag_events', { consumer: 'subsidies' })).toBe(0);
    expect(m('consumer_lag_messages', { consumer: 'reporting', topic: TOPICS.conventions, partition: '0' })).toBe(0);
    expect(m('dead_letters_stored', { consumer: 'reporting', topic: TOPICS.conventions })).toBe(0);
  });

  it('is ready with its projections caught up', async () => {
    const ready = await call(service.url, 'GET', '/health/ready');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: 'up', broker: 'in-process', projection: 'up', read_model: 'up' } },
    });
  });
});
