import { randomUUID } from 'node:crypto';
import { digestLog } from './digest';
import { chainHash } from './event-rows';
import type { EventStore } from './event-store';
import { openStore, settledHorizon, testBackends, type TestDatabase } from './test-backends';

const event = (type: string, data: Record<string, unknown>) => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { actor: 'auditor-test' },
});

describe.each(testBackends().map((b) => [b.name, b] as const))('the log digest on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
  });
  afterAll(() => database.dispose());

  it('gives the same root over the same horizon after more appends, and a new root over the new horizon', async () => {
    await store.append(`tests.ledger-${randomUUID()}`, [
      event('Paid', { centimes: 150_000 }),
      event('Paid', { centimes: 148_549 }),
    ]);
    // A digest covers finished transactions only: another suite's open one on the server holds it back.
    await settledHorizon(database.db);
    const kept = await digestLog(database.db);
    expect(kept.events).toBeGreaterThanOrEqual(2);
    await store.append(`tests.ledger-${randomUUID()}`, [event('Paid', { centimes: 1 })]);
    expect(await digestLog(database.db, { belowTx: kept.belowTx })).toEqual(kept);
    await settledHorizon(database.db);
    const now = await digestLog(database.db);
    expect(now.events).toBe(kept.events + 1);
    expect(now.root).not.toBe(kept.root);
  });

  it('digests in global-position order, the same whatever the page size', async () => {
    await store.append(
      `tests.ledger-${randomUUID()}`,
      Array.from({ length: 12 }, (_, i) => event('Paid', { centimes: i })),
    );
    await settledHorizon(database.db);
    const whole = await digestLog(database.db);
    const { rows } = await database.db.query<{ last: string }>(
      `SELECT max(global_position)::text AS last FROM es.events`,
    );
    expect(whole.lastPosition).toBe(Number(rows[0]?.last));
    expect(await digestLog(database.db, { belowTx: whole.belowTx, pageSize: 5 })).toEqual(whole);
  });

  it('catches a rewrite whose hash chain was recomputed, which verify alone cannot see', async () => {
    const stream = `tests.ledger-${randomUUID()}`;
    await store.append(stream, [event('Paid', { centimes: 150_000 })]);
    await settledHorizon(database.db);
    const kept = await digestLog(database.db);
    const [e] = await store.readStream(stream);
    if (!e) throw new Error('no event');
    const forged = { ...e, data: { centimes: 1_500_000 } };
    const hash = chainHash(null, forged);
    await database.db.transaction(async (tx) => {
      await tx.query(`ALTER TABLE es.events DISABLE TRIGGER events_append_only`);
      await tx.query(`UPDATE es.events SET data = $2::jsonb, hash = decode($3, 'hex') WHERE stream_id = $1`, [
        stream,
        JSON.stringify(forged.data),
        hash,
      ]);
      await tx.query(`UPDATE es.streams SET last_hash = decode($2, 'hex') WHERE stream_id = $1`, [stream, hash]);
      await tx.query(`ALTER TABLE es.events ENABLE TRIGGER events_append_only`);
    });
    expect((await store.verify()).ok).toBe(true);
    const again = await digestLog(database.db, { belowTx: kept.belowTx });
    expect(again.events).toBe(kept.events);
    expect(again.root).not.toBe(kept.root);
  });

  it('catches a whole stream slipped in below a kept horizon, which verify alone cannot see', async () => {
    const kept = await digestLog(database.db);
    const { rows } = await database.db.query<{ tx: string }>(`SELECT min(tx_id)::text AS tx FROM es.events`);
    const stream = `tests.ledger-${randomUUID()}`;
    const forged = {
      streamId: stream,
      streamPosition: 0,
      eventId: randomUUID(),
      type: 'Paid',
      schemaVersion: 1,
      data: { centimes: 9_900_000 },
      metadata: {},
      recordedAt: '2022-01-03T00:00:00.000Z',
    };
    const hash = chainHash(null, forged);
    await database.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO es.events (global_position, stream_id, category, stream_position, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, tx_id)
         OVERRIDING SYSTEM VALUE
         VALUES (0, $1, 'tests.ledger', 0, $2, 'Paid', 1, $3::jsonb, '{}'::jsonb, $4::timestamptz, NULL, decode($5, 'hex'), $6::text::xid8)`,
        [stream, forged.eventId, JSON.stringify(forged.data), forged.recordedAt, hash, rows[0]?.tx],
      );
      await tx.query(
        `INSERT INTO es.streams (stream_id, category, version, last_hash, updated_at) VALUES ($1, 'tests.ledger', 0, decode($2, 'hex'), now())`,
        [stream, hash],
      );
    });
    expect((await store.verify()).ok).toBe(true);
    const again = await digestLog(database.db, { belowTx: kept.belowTx });
    expect(again.events).toBe(kept.events + 1);
    expect(again.root).not.toBe(kept.root);
  });
});
