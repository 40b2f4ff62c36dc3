import { randomUUID } from 'node:crypto';
import { jsonEvent, KurrentDBClient, START } from '@kurrent/kurrentdb-client';
import { openStore, testBackends } from '@tashghil/event-store';
import { createLogger, sampleValue } from '@tashghil/service-kit';
import { startGateway } from './gateway';
import { openHarness, type Harness } from './judges/harness';

const get = async (port: number, path: string): Promise<{ status: number; type: string; text: string }> => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

const until = async (check: () => Promise<boolean>, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

for (const backend of testBackends()) {
  describe(`the gateway's health and metrics over HTTP on ${backend.name}`, () => {
    let harness: Harness;
    let client: KurrentDBClient;
    let port: number;
    const scrape = async (): Promise<string> => (await get(port, '/metrics')).text;
    const value = async (name: string, labels: Record<string, string> = {}): Promise<number> =>
      sampleValue(await scrape(), name, labels) ?? 0;

    beforeAll(async () => {
      harness = await openHarness(backend, { http: { port: 0 } });
      port = harness.gateway.httpPort ?? -1;
      client = KurrentDBClient.connectionString(`kurrentdb://${harness.address}?tls=false`);
    });
    afterAll(async () => {
      await client?.dispose();
      await harness?.close();
    });

    it('is live, and ready while its database answers', async () => {
      expect(await get(port, '/health/live')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
      const ready = await get(port, '/health/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text)).toEqual({ status: 'ready', checks: { database: 'up' } });
      expect((await get(port, '/events')).status).toBe(404);
    });

    it('counts reads, events read, appends and their outcomes, in Prometheus text', async () => {
      const stream = `ext.metered-${harness.unique()}`;
      const ids = [randomUUID(), randomUUID()];
      const events = ids.map((id, n) => jsonEvent({ id, type: 'Metered', data: { n } }));
      const before = {
        appended: await value('kurrent_gateway_appends_total', { outcome: 'appended' }),
        repeated: await value('kurrent_gateway_appends_total', { outcome: 'repeated' }),
        wrong: await value('kurrent_gateway_appends_total', { outcome: 'wrong_expected_version' }),
        refused: await value('kurrent_gateway_appends_total', { outcome: 'refused' }),
        stored: await value('kurrent_gateway_events_appended_total'),
        streamReads: await value('kurrent_gateway_reads_total', { target: 'stream', kind: 'read' }),
        streamEvents: await value('kurrent_gateway_events_read_total', { target: 'stream', kind: 'read' }),
        allEvents: await value('kurrent_gateway_events_read_total', { target: 'all', kind: 'read' }),
      };
      await client.appendToStream(stream, events, { streamState: 'no_stream' });
      await client.appendToStream(stream, events, { streamState: 'no_stream' });
      await expect(
        client.appendToStream(stream, jsonEvent({ type: 'Metered', data: {} }), { streamState: 'no_stream' }),
      ).rejects.toMatchObject({ type: 'wrong-expected-version' });
      await expect(
        client.appendToStream(`conventions.convention-${harness.unique()}`, jsonEvent({ type: 'X', data: {} })),
      ).rejects.toMatchObject({ type: 'access-denied' });
      let read = 0;
      for await (const _ of client.readStream(stream)) read += 1;
      let all = 0;
      for await (const _ of client.readAll({ fromPosition: START })) all += 1;

      const text = await scrape();
      expect(text).toContain('# TYPE kurrent_gateway_subscription_delivery_lag_seconds histogram');
      const now = (name: string, labels: Record<string, string> = {}): number => sampleValue(text, name, labels) ?? 0;
      expect(now('kurrent_gateway_appends_total', { outcome: 'appended' }) - before.appended).toBe(1);
      expect(now('kurrent_gateway_appends_total', { outcome: 'repeated' }) - before.repeated).toBe(1);
      expect(now('kurrent_gateway_appends_total', { outcome: 'wrong_expected_version' }) - before.wrong).toBe(1);
      expect(now('kurrent_gateway_appends_total', { outcome: 'refused' }) - before.refused).toBe(1);
      expect(now('kurrent_gateway_events_appended_total') - before.stored).toBe(2);
      expect(now('kurrent_gateway_reads_total', { target: 'stream', kind: 'read' }) - before.streamReads).toBe(1);
      expect(read).toBe(2);
      expect(now('kurrent_gateway_events_read_total', { target: 'stream', kind: 'read' }) - before.streamEvents).toBe(
        2,
      );
      expect(all).toBeGreaterThanOrEqual(2);
      expect(now('kurrent_gateway_events_read_total', { target: 'all', kind: 'read' }) - before.allEvents).toBe(all);
    });

    it('counts open subscriptions, and the lag of the live events they deliver', async () => {
      const stream = `ext.followed-${harness.unique()}`;
      await client.appendToStream(stream, jsonEvent({ type: 'Old', data: {} }));
      const lagCount = await value('kurrent_gateway_subscription_delivery_lag_seconds_count', { target: 'all' });
      const subscription = client.subscribeToAll({ fromPosition: START });
      const seen: string[] = [];
      let live = false;
      subscription.on('caughtUp', () => {
        live = true;
      });
      subscription.on('data', (e) => {
        if (e.event?.streamId === stream) seen.push(e.event.type);
      });
      await until(async () => live);
      expect(await value('kurrent_gateway_subscriptions_active', { target: 'all' })).toBe(1);
      // History is not lag: only what the subscription sends once live is measured.
      expect(await value('kurrent_gateway_subscription_delivery_lag_seconds_count', { target: 'all' })).toBe(lagCount);
      await client.appendToStream(stream, jsonEvent({ type: 'New', data: {} }));
      await until(async () => seen.includes('New'));
      const text = await scrape();
      const count =
        sampleValue(text, 'kurrent_gateway_subscription_delivery_lag_seconds_count', { target: 'all' }) ?? 0;
      const sum = sampleValue(text, 'kurrent_gateway_subscription_delivery_lag_seconds_sum', { target: 'all' }) ?? 0;
      expect(count - lagCount).toBe(1);
      expect(sum).toBeGreaterThanOrEqual(0);
      expect(sum).toBeLessThan(10);
      expect(sampleValue(text, 'kurrent_gateway_reads_total', { target: 'all', kind: 'subscription' })).toBe(1);
      await subscription.unsubscribe();
      await until(async () => (await value('kurrent_gateway_subscriptions_active', { target: 'all' })) === 0);
    });
  });
}

describe('readiness', () => {
  it('answers 503 once the store database stops answering', async () => {
    const backend = testBackends()[0];
    if (!backend) throw new Error('no backend');
    const database = await backend.open();
    const store = await openStore(database);
    const gateway = await startGateway({
      store,
      host: '127.0.0.1',
      port: 0,
      http: { port: 0 },
      log: createLogger('kurrent-gateway', { level: 'silent' }),
    });
    const port = gateway.httpPort ?? -1;
    try {
      expect((await get(port, '/health/ready')).status).toBe(200);
      await database.dispose();
      const ready = await get(port, '/health/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({
        status: 'not ready',
        checks: { database: expect.stringMatching(/^down/) },
      });
      expect((await get(port, '/health/live')).status).toBe(200);
    } finally {
      await gateway.close().catch(() => undefined);
    }
  });
});
