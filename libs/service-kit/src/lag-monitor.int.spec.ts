import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { openStore, subscribe, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { InboxProcessor, InProcessBus, MESSAGING_MIGRATIONS, startRelay } from '@tashghil/messaging';
import { Kafka, logLevel } from 'kafkajs';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { sampleValue } from './exposition';
import { LagMonitor, type ConsumerSubscription } from './lag-monitor';
import { createInstruments, createMetrics } from './metrics';

const HOUR = 3_600_000;

/** A context, an event type and a consumer of that type that no other test in the database uses. */
const scenario = () => {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const context = `lag${id}`;
  return { context, topic: `tashghil.${context}`, type: `Counted${id}`, other: `Noted${id}`, consumer: `reader-${id}` };
};

const event = (type: string, n: unknown) => ({
  eventId: randomUUID(),
  type,
  data: { n },
  metadata: { correlationId: 'lag-test' },
});

describe.each(testBackends().map((b) => [b.name, b] as const))('lag read at scrape time on %s', (name, backend) => {
  let database: TestDatabase;
  let store: EventStore;
  let pastStore: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database, MESSAGING_MIGRATIONS);
    pastStore = await openStore(database, [], { clock: () => new Date(Date.now() - HOUR) });
  });
  afterAll(() => database.dispose());

  const monitorFor = (s: ReturnType<typeof scenario>, registry: Registry, extra: { clock?: () => number } = {}) => {
    const subscription: ConsumerSubscription = { consumer: s.consumer, types: [s.type], topics: [s.topic] };
    return new LagMonitor({
      registry,
      db: database.db,
      relays: [s.context],
      consumers: () => [subscription],
      ...extra,
    });
  };

  const consumerOn = (bus: InProcessBus, s: ReturnType<typeof scenario>, registry: Registry) => {
    const { deadLetters } = createInstruments(registry);
    const processor = new InboxProcessor({
      db: database.db,
      consumer: s.consumer,
      deadLetters: bus,
      contracts: (type) =>
        type === s.type ? { topic: s.topic, versions: { 1: z.object({ n: z.number().int() }) } } : undefined,
      handlerFor: (type) => (type === s.type ? async () => undefined : undefined),
      onDeadLetter: (topic, reason) => deadLetters.inc({ consumer: s.consumer, topic, reason }),
    });
    bus.subscribe(s.consumer, [s.topic], (m) => processor.process(m));
  };

  const scrape = async (monitor: LagMonitor, registry: Registry): Promise<string> => {
    await monitor.refresh();
    return registry.metrics();
  };

  it('counts what the relay has not published and the consumer has not applied, until both catch up', async () => {
    const s = scenario();
    const registry = createMetrics('test');
    const monitor = monitorFor(s, registry);
    await pastStore.append(
      `${s.context}.item-1`,
      [1, 2, 3].map((n) => event(s.type, n)),
    );
    await pastStore.append(`${s.context}.item-2`, [event(s.other, 1), event(s.other, 2)]);

    let text = await scrape(monitor, registry);
    expect(sampleValue(text, 'relay_lag_events', { context: s.context })).toBe(5);
    // Never relayed: the age is the oldest event's, recorded an hour ago.
    expect(sampleValue(text, 'relay_lag_seconds', { context: s.context })).toBeGreaterThan(3_500);
    expect(sampleValue(text, 'relay_lag_seconds', { context: s.context })).toBeLessThan(3_700);
    // Only the type the consumer handles is lag for it.
    expect(sampleValue(text, 'projection_lag_events', { consumer: s.consumer })).toBe(3);
    expect(sampleValue(text, 'consumer_lag_messages', { consumer: s.consumer, topic: s.topic, partition: '0' })).toBe(
      0,
    );
    expect(sampleValue(text, 'dead_letters_stored', { consumer: s.consumer, topic: s.topic })).toBe(0);

    const bus = new InProcessBus();
    consumerOn(bus, s, registry);
    let relay = await startRelay({ store, publisher: bus, context: s.context, pollMs: 50 });
    await relay.caughtUp();
    await relay.stop();
    text = await scrape(monitor, registry);
    expect(sampleValue(text, 'relay_lag_events', { context: s.context })).toBe(0);
    expect(sampleValue(text, 'relay_lag_seconds', { context: s.context })).toBe(0);
    expect(sampleValue(text, 'projection_lag_events', { consumer: s.consumer })).toBe(0);

    // Past the floor the last reading left: new events count again, the relay's age is its own.
    await pastStore.append(`${s.context}.item-1`, [event(s.type, 4), event(s.type, 5)]);
    text = await scrape(monitor, registry);
    expect(sampleValue(text, 'relay_lag_events', { context: s.context })).toBe(2);
    expect(sampleValue(text, 'relay_lag_seconds', { context: s.context })).toBeLessThan(60);
    expect(sampleValue(text, 'projection_lag_events', { consumer: s.consumer })).toBe(2);

    // A message that breaks its contract is dead-lettered: it is no longer lag, it is a dead letter.
    await store.append(`${s.context}.item-3`, [event(s.type, 'not a number')]);
    relay = await startRelay({ store, publisher: bus, context: s.context, pollMs: 50 });
    await relay.caughtUp();
    await relay.stop();
    text = await scrape(monitor, registry);
    expect(sampleValue(text, 'relay_lag_events', { context: s.context })).toBe(0);
    expect(sampleValue(text, 'projection_lag_events', { consumer: s.consumer })).toBe(0);
    expect(sampleValue(text, 'dead_letters_stored', { consumer: s.consumer, topic: s.topic })).toBe(1);
    expect(
      sampleValue(text, 'dead_letters_total', { consumer: s.consumer, topic: s.topic, reason: 'CONTRACT_VIOLATION' }),
    ).toBe(1);
    expect(sampleValue(text, 'lag_collect_failures_total', { collector: 'relay' })).toBeUndefined();
    await monitor.close();
  });

  it('counts what a subscription to the store has yet to handle past its checkpoint, of its types only', async () => {
    const s = scenario();
    const registry = createMetrics('test');
    const name = `${s.context}:follow`;
    const monitor = new LagMonitor({
      registry,
      db: database.db,
      relays: [],
      subscriptions: [{ name, categories: [`${s.context}.item`], types: [s.type] }],
      consumers: () => [],
    });
    await store.append(`${s.context}.item-1`, [event(s.type, 1), event(s.other, 2), event(s.type, 3)]);
    // Another category, even with the same type, is not the subscription's.
    await store.append(`${s.context}.thing-1`, [event(s.type, 4)]);
    // Never run: it has no checkpoint yet, and counts from the start of the store.
    let text = await scrape(monitor, registry);
    expect(sampleValue(text, 'subscription_lag_events', { subscription: name })).toBe(2);

    const handled: unknown[] = [];
    const subscription = await subscribe(store, {
      name,
      filter: { categories: [`${s.context}.item`] },
      pollMs: 50,
      handle: async (events) => {
        handled.push(...events.map((e) => e.data.n));
      },
    });
    await subscription.caughtUp();
    text = await scrape(monitor, registry);
    expect(handled).toEqual([1, 2, 3]);
    expect(sampleValue(text, 'subscription_lag_events', { subscription: name })).toBe(0);

    await subscription.stop();
    await store.append(`${s.context}.item-2`, [event(s.type, 5), event(s.other, 6)]);
    text = await scrape(monitor, registry);
    expect(sampleValue(text, 'subscription_lag_events', { subscription: name })).toBe(1);
  });

  it('is not ready once a consumer has stayed more than N events behind for longer than M seconds', async () => {
    const s = scenario();
    let now = Date.parse('2025-01-01T00:00:00Z');
    const monitor = monitorFor(s, createMetrics('test'), { clock: () => now });
    expect(await monitor.projectionCheck(2, 10)).toBe('up');
    await store.append(
      `${s.context}.item-1`,
      [1, 2, 3].map((n) => event(s.type, n)),
    );
    expect(await monitor.projectionCheck(2, 10)).toBe(`catching up: ${s.consumer} 3 events behind for 0 s`);
    now += 10_000;
    expect(await monitor.projectionCheck(2, 10)).toMatch(/^catching up/);
    now += 1_000;
    expect(await monitor.projectionCheck(2, 10)).toBe(`down: ${s.consumer} 3 events behind for 11 s`);
    expect(await monitor.projectionCheck(3, 10)).toBe('up');
    // Back under the threshold, the clock starts again the next time it is crossed.
    now += 60_000;
    expect(await monitor.projectionCheck(2, 10)).toMatch(/^catching up: .* for 0 s$/);
  });

  // Two transactions at once need the server: PGlite serves one connection.
  if (name === 'postgres')
    it('still counts an event whose transaction commits after later ones were applied', async () => {
      const s = scenario();
      const registry = createMetrics('test');
      const monitor = monitorFor(s, registry);
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let appended: () => void = () => undefined;
      const inserted = new Promise<void>((resolve) => {
        appended = resolve;
      });
      // The slow writer takes the lower global position, then commits last.
      const slow = database.db.transaction(async (tx) => {
        await store.appendInTransaction(tx, `${s.context}.item-slow`, [event(s.type, 1)], 'any');
        appended();
        await held;
      });
      await inserted;
      const fast = event(s.type, 2);
      await store.append(`${s.context}.item-fast`, [fast]);
      await database.db.query(
        `INSERT INTO msg.inbox (consumer, event_id, topic, partition, "offset") VALUES ($1, $2, $3, 0, 0)`,
        [s.consumer, fast.eventId, s.topic],
      );
      expect(sampleValue(await scrape(monitor, registry), 'projection_lag_events', { consumer: s.consumer })).toBe(0);
      release();
      await slow;
      expect(sampleValue(await scrape(monitor, registry), 'projection_lag_events', { consumer: s.consumer })).toBe(1);
    });

  it('answers /metrics in time when the broker accepts connections and never replies', async () => {
    const s = scenario();
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const kafka = new Kafka({
      clientId: 'lag-test',
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      requestTimeout: 2_000,
    });
    const registry = createMetrics('test');
    const monitor = new LagMonitor({
      registry,
      db: database.db,
      relays: [s.context],
      timeoutMs: 300,
      kafka: { kafka, prefix: '' },
      consumers: () => [{ consumer: s.consumer, types: [s.type], topics: [s.topic] }],
    });
    try {
      const started = Date.now();
      const text = await scrape(monitor, registry);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(sampleValue(text, 'lag_collect_failures_total', { collector: 'consumer' })).toBe(1);
      expect(text).not.toMatch(/^consumer_lag_messages\{/m);
      expect(sampleValue(text, 'relay_lag_events', { context: s.context })).toBe(0);
      expect(sampleValue(text, 'projection_lag_events', { consumer: s.consumer })).toBe(0);
    } finally {
      await monitor.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
