import { randomUUID } from 'node:crypto';
import { HEADERS } from '@tashghil/contracts';
import { loadCheckpoint, openStore, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { InProcessBus } from './in-process-bus';
import {
  acquireLease,
  LeaseLostError,
  pause,
  releaseLease,
  renewLease,
  runWhileLeased,
  saveFencedCheckpoint,
  type LeaseRunner,
} from './lease';
import { MESSAGING_MIGRATIONS } from './migrations';
import { relayName, startRelay, type Relay } from './relay';

const TIMING = { ttlMs: 800, renewMs: 200, retryMs: 100 };

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<number> => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
  return Date.now() - started;
};

describe.each(testBackends().map((b) => [b.name, b] as const))('leases on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database, MESSAGING_MIGRATIONS);
  });
  afterAll(() => database.dispose());

  it('runs the work on one replica at a time, and hands over on stop', async () => {
    const name = `test:${randomUUID()}`;
    let running = 0;
    let most = 0;
    const ran = new Set<string>();
    const replica = (holder: string): LeaseRunner =>
      runWhileLeased(
        database.db,
        name,
        holder,
        async (signal) => {
          running += 1;
          most = Math.max(most, running);
          ran.add(holder);
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          running -= 1;
        },
        { timing: TIMING },
      );
    const replicas = [replica('a'), replica('b'), replica('c')];
    await waitFor('a holder', () => running === 1);
    await pause(3 * TIMING.ttlMs);
    expect(most).toBe(1);
    expect(replicas.filter((r) => r.holding())).toHaveLength(1);

    const holder = replicas.find((r) => r.holding());
    await holder?.stop();
    const handover = await waitFor('another holder', () => replicas.some((r) => r !== holder && r.holding()));
    expect(handover).toBeLessThan(TIMING.ttlMs);
    expect(most).toBe(1);
    expect(ran.size).toBe(2);
    for (const r of replicas) await r.stop();
    expect(running).toBe(0);
  });

  it('passes the lease on when its holder stops renewing, and fences the old holder out', async () => {
    const name = `relay:fenced-${randomUUID()}`;
    const stale = await acquireLease(database.db, name, 'stalled', TIMING.ttlMs);
    expect(stale).toBeDefined();
    const fence = { name, token: stale ?? 0 };
    expect(await saveFencedCheckpoint(database.db, fence, name, { txId: 5, position: 50 })).toBe(true);
    expect(await acquireLease(database.db, name, 'eager', TIMING.ttlMs)).toBeUndefined();

    let token = 0;
    const started = Date.now();
    const successor = runWhileLeased(
      database.db,
      name,
      'successor',
      async (signal, lease) => {
        token = lease.token;
        await saveFencedCheckpoint(database.db, lease, name, { txId: 6, position: 60 });
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
      { timing: TIMING },
    );
    await waitFor('the successor to take the lease', () => token > 0);
    // Not before the stalled holder's lease expired, and soon after.
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMING.ttlMs - 200);
    expect(Date.now() - started).toBeLessThan(TIMING.ttlMs + 1_000);
    expect(token).toBeGreaterThan(fence.token);

    // The stalled holder wakes: its checkpoint and its renewal are refused.
    await expect(saveFencedCheckpoint(database.db, fence, name, { txId: 9, position: 90 })).rejects.toThrow(
      LeaseLostError,
    );
    expect(await renewLease(database.db, { ...fence, holder: 'stalled' }, TIMING.ttlMs)).toBe(false);
    await releaseLease(database.db, fence);
    expect(await loadCheckpoint(database.db, name)).toEqual({ txId: 6, position: 60 });
    expect(successor.holding()).toBe(true);

    // Under the right token, a checkpoint still moves only forward.
    const current = { name, token };
    expect(await saveFencedCheckpoint(database.db, current, name, { txId: 6, position: 55 })).toBe(false);
    expect(await saveFencedCheckpoint(database.db, current, name, { txId: 5, position: 99 })).toBe(false);
    expect(await loadCheckpoint(database.db, name)).toEqual({ txId: 6, position: 60 });
    expect(await saveFencedCheckpoint(database.db, current, name, { txId: 7, position: 61 })).toBe(true);
    await successor.stop();
  });

  it('publishes each event once with three relays of one context, and fails over when the holder stops', async () => {
    const context = `leased${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    const bus = new InProcessBus();
    const deliveries = new Map<string, number>();
    bus.subscribe('spy', [`tashghil.${context}`], async (m) => {
      const id = m.headers[HEADERS.eventId] ?? '';
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    });
    const counts = (): number[] => [...deliveries.values()];
    const append = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i += 1)
        await store.append(`${context}.thing-${i % 4}`, [
          { eventId: randomUUID(), type: 'ThingCounted', data: { i }, metadata: {} },
        ]);
    };
    const relays: Relay[] = [];
    for (let r = 0; r < 3; r += 1)
      relays.push(
        await startRelay({ store, publisher: bus, context, pollMs: 50, holderId: `replica-${r}`, lease: TIMING }),
      );
    await append(30);
    await waitFor('30 deliveries', () => deliveries.size === 30);
    await relays[0]?.caughtUp();
    await pause(500);
    expect(counts().every((c) => c === 1)).toBe(true);
    expect(relays.filter((r) => r.holding())).toHaveLength(1);

    const holder = relays.find((r) => r.holding());
    await holder?.stop();
    await append(20);
    const handover = await waitFor('50 deliveries', () => deliveries.size === 50);
    for (const r of relays) await r.stop();
    expect(counts().every((c) => c === 1)).toBe(true);
    expect(handover).toBeLessThan(3_000);
    const { rows } = await database.db.query<{ holder: string; token: string }>(
      `SELECT holder, token::text FROM msg.leases WHERE name = $1`,
      [relayName(context)],
    );
    expect(Number(rows[0]?.token)).toBeGreaterThanOrEqual(2);
  });
});
