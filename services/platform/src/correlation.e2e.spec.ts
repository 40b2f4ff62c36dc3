import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { HEADERS, TOPICS } from '@tashghil/contracts';
import { DEFAULT_TOPIC_PARTITIONS, headersToStrings, kafkaClient } from '@tashghil/messaging';
import { parseExposition } from '@tashghil/service-kit';
import {
  freePort,
  openServerDatabase,
  repoRoot,
  serviceDatabaseEnv,
  stopProcess,
  waitReady,
  type TestDatabase,
} from '@tashghil/testing';
import type { Consumer } from 'kafkajs';
import { call, draftBody, officer } from './slice-checks';

type Line = Record<string, unknown>;

const until = async (what: string, found: () => boolean, ms = 60_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!found()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A service in its own process at debug level, its JSON log lines kept (other stdout lines are not logs). */
const startLogged = (
  name: string,
  port: number,
  databaseUrl: string,
  prefix: string,
): { process: ChildProcess; lines: Line[] } => {
  const lines: Line[] = [];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, `services/${name}/src/main.ts`)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TASHGHIL_MODE: 'distributed',
      ...serviceDatabaseEnv(name, databaseUrl),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: prefix,
      PORT: String(port),
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as Line);
  });
  return { process: child, lines };
};

describe('one correlation id from the HTTP request to the consumer, over Kafka between two processes', () => {
  let database: TestDatabase;
  const prefix = `corr-${Date.now()}.`;
  let conventions: ReturnType<typeof startLogged>;
  let reporting: ReturnType<typeof startLogged>;
  let conventionsUrl = '';
  let reportingUrl = '';
  let spy: Consumer | undefined;
  const seen: Array<Record<string, string>> = [];

  beforeAll(async () => {
    database = await openServerDatabase();
    const [p1, p2] = [await freePort(), await freePort()];
    conventions = startLogged('conventions', p1, database.url ?? '', prefix);
    reporting = startLogged('reporting', p2, database.url ?? '', prefix);
    conventionsUrl = `http://127.0.0.1:${p1}`;
    reportingUrl = `http://127.0.0.1:${p2}`;
    await Promise.all([waitReady(conventionsUrl), waitReady(reportingUrl)]);
    spy = kafkaClient(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', 'correlation-spy').consumer({
      groupId: `${prefix}correlation-spy`,
    });
    await spy.connect();
    await spy.subscribe({ topic: `${prefix}${TOPICS.conventions}`, fromBeginning: true });
    await spy.run({
      eachMessage: async ({ message }) => {
        seen.push(headersToStrings(message.headers));
      },
    });
  });
  afterAll(async () => {
    await spy?.disconnect();
    for (const p of [conventions, reporting]) if (p) await stopProcess(p.process);
    await database.dispose();
  });

  it('finds the caller’s x-correlation-id in the HTTP log line, the stored metadata, the Kafka headers and the consumer’s log line', async () => {
    const correlationId = `test-${randomUUID()}`;
    const created = await call(
      conventionsUrl,
      'POST',
      '/conventions',
      officer('MA-10'),
      draftBody('correlation-kafka', 'MA-10'),
      { 'x-correlation-id': correlationId },
    );
    expect(created.status).toBe(201);
    const applied = (l: Line) =>
      l.msg === 'message applied' && l.consumer === 'reporting' && l.correlationId === correlationId;
    await until('the reporting consumer’s log line', () => reporting.lines.some(applied));
    await until('the message on the spy consumer', () => seen.some((h) => h[HEADERS.correlationId] === correlationId));

    expect(conventions.lines.find((l) => l.msg === 'request' && l.method === 'POST')).toMatchObject({
      service: 'conventions',
      route: '/conventions',
      status: 201,
      correlationId,
    });
    const { rows } = await database.db.query<{ event_id: string }>(
      `SELECT event_id::text FROM es.events WHERE metadata->>'correlationId' = $1`,
      [correlationId],
    );
    expect(rows).toHaveLength(1);
    const eventId = rows[0]?.event_id;
    expect(seen.find((h) => h[HEADERS.eventId] === eventId)).toMatchObject({
      [HEADERS.correlationId]: correlationId,
      [HEADERS.type]: 'ConventionDrafted',
    });
    expect(reporting.lines.find(applied)).toMatchObject({
      service: 'reporting',
      eventId,
      type: 'ConventionDrafted',
      topic: TOPICS.conventions,
    });
  });

  it('reads the consumer lag per partition from the broker, and every lag is zero once applied', async () => {
    const reportingMetrics = parseExposition(await (await fetch(`${reportingUrl}/metrics`)).text());
    const lags = reportingMetrics.filter(
      (s) =>
        s.name === 'consumer_lag_messages' &&
        s.labels.consumer === 'reporting' &&
        s.labels.topic === TOPICS.conventions,
    );
    // One series per partition of the topic, which the service created with the default count.
    expect(lags.map((s) => s.labels.partition).sort()).toEqual(
      Array.from({ length: DEFAULT_TOPIC_PARTITIONS }, (_, i) => String(i)).sort(),
    );
    expect(lags.every((s) => s.value === 0)).toBe(true);
    expect(
      reportingMetrics.find((s) => s.name === 'projection_lag_events' && s.labels.consumer === 'reporting')?.value,
    ).toBe(0);
    expect(reportingMetrics.some((s) => s.name === 'lag_collect_failures_total')).toBe(false);
    const conventionsMetrics = parseExposition(await (await fetch(`${conventionsUrl}/metrics`)).text());
    expect(
      conventionsMetrics.find((s) => s.name === 'relay_lag_events' && s.labels.context === 'conventions')?.value,
    ).toBe(0);
    expect(
      conventionsMetrics.find((s) => s.name === 'events_appended_total' && s.labels.type === 'ConventionDrafted')
        ?.value,
    ).toBe(1);
  });
});
