import { randomUUID } from 'node:crypto';
import { chainHash } from './event-rows';
import { ERASED } from './personal-data';
import { loadCheckpoint, saveCheckpoint, subscribe } from './subscription';
import type { EventStore } from './event-store';
import { openStore, settledHorizon, testBackends, type TestDatabase } from './test-backends';
import { START, type Checkpoint, type NewEvent, type RecordedEvent } from './types';

const ev = (type: string, data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { actor: 'test' },
  ...extra,
});

describe.each(testBackends().map((b) => [b.name, b] as const))('event store on %s', (_name, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database, [], {
      upcasters: [
        { type: 'SeekerRegistered', fromVersion: 1, upcast: (d) => ({ ...d, mobility: d.mobility ?? 'own_region' }) },
      ],
    });
  });
  afterAll(() => database.dispose());

  const sid = (prefix = 'tests.thing') => `${prefix}-${randomUUID()}`;

  describe('appends', () => {
    it('numbers a new stream from 0 and returns the next expected version', async () => {
      const s = sid();
      const r = await store.append(s, [ev('A'), ev('B'), ev('C')], 'no_stream');
      expect(r.nextExpectedVersion).toBe(2);
      expect(r.written).toBe(3);
      const read = await store.readStream(s);
      expect(read.map((e) => [e.type, e.streamPosition])).toEqual([
        ['A', 0],
        ['B', 1],
        ['C', 2],
      ]);
    });

    it.each([
      ['no_stream on an existing stream', 'no_stream' as const, true],
      ['stream_exists on a missing stream', 'stream_exists' as const, false],
      ['a stale exact version', 0, true],
    ])('rejects %s with a typed conflict', async (_c, expected, create) => {
      const s = sid();
      if (create) await store.append(s, [ev('A'), ev('B')]);
      await expect(store.append(s, [ev('X')], expected)).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(create ? ['A', 'B'] : []);
    });

    it('accepts any, stream_exists and the exact version when they hold', async () => {
      const s = sid();
      await store.append(s, [ev('A')], 'any');
      await store.append(s, [ev('B')], 'stream_exists');
      const r = await store.append(s, [ev('C')], 1);
      expect(r.nextExpectedVersion).toBe(2);
    });

    it('answers a repeated append of stored event ids without writing twice', async () => {
      const s = sid();
      const batch = [ev('A'), ev('B')];
      const first = await store.append(s, batch, 'no_stream');
      const again = await store.append(s, batch, 'no_stream');
      expect(again.written).toBe(0);
      expect(again.globalPositions).toEqual(first.globalPositions);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('refuses a batch that is only partly stored', async () => {
      const s = sid();
      const a = ev('A');
      await store.append(s, [a]);
      await expect(store.append(s, [a, ev('B')])).rejects.toMatchObject({ code: 'EVENTS_PARTLY_STORED' });
      expect(await store.readStream(s)).toHaveLength(1);
    });

    it('refuses an event above the size limit, naming it, and stores nothing of its append', async () => {
      const small = await openStore(database, [], { maxEventBytes: 1_300 });
      const [s, t] = [sid(), sid()];
      // Sealed personal data counts as stored: ciphertext and its envelope are larger than the text.
      const personal = { personal: { subjectId: `seeker-${randomUUID()}`, fields: ['name'] } };
      const fits = ev('Named', { name: 'n'.repeat(1_000) });
      await expect(small.append(s, [fits, ev('Named', { name: 'n'.repeat(1_000) }, personal)])).rejects.toMatchObject({
        code: 'EVENT_TOO_LARGE',
        fields: [{ path: 'events.1', message: expect.stringMatching(/data\.name/) }],
      });
      await expect(
        small.appendMany([
          { streamId: t, events: [ev('Listed', { rows: 'r'.repeat(500) })], expected: 'no_stream' },
          { streamId: s, events: [fits, ev('Listed', { rows: 'é'.repeat(700), note: 'x' })], expected: 'no_stream' },
        ]),
      ).rejects.toMatchObject({ code: 'EVENT_TOO_LARGE', fields: [{ path: '1.events.1' }] });
      expect(await store.readStream(s)).toEqual([]);
      expect(await store.readStream(t)).toEqual([]);
      await expect(small.append(s, [fits], 'no_stream')).resolves.toMatchObject({ written: 1 });
    });

    it('accepts events up to 512 KiB of data and metadata by default', async () => {
      const s = sid();
      const metadata = { actor: 'test' };
      const room = 512 * 1024 - JSON.stringify(metadata).length - JSON.stringify({ blob: '' }).length;
      await expect(
        store.append(s, [{ ...ev('Big'), data: { blob: 'b'.repeat(room) }, metadata }]),
      ).resolves.toMatchObject({ written: 1 });
      await expect(
        store.append(s, [{ ...ev('Big'), data: { blob: 'b'.repeat(room + 1) }, metadata }]),
      ).rejects.toMatchObject({ code: 'EVENT_TOO_LARGE', fields: [{ path: 'events.0' }] });
    });

    it('names each malformed part of an append', async () => {
      await expect(store.append('no-context', [{ ...ev('A'), eventId: 'nope' }])).rejects.toMatchObject({
        code: 'INVALID_APPEND',
        fields: [{ path: 'streamId' }, { path: 'events.0.eventId' }],
      });
    });
  });

  describe('reads', () => {
    it('reads a stream forwards and backwards from a position', async () => {
      const s = sid();
      await store.append(
        s,
        ['A', 'B', 'C', 'D'].map((t) => ev(t)),
      );
      expect((await store.readStream(s, { fromPosition: 2 })).map((e) => e.type)).toEqual(['C', 'D']);
      expect((await store.readStream(s, { direction: 'backwards', fromPosition: 2 })).map((e) => e.type)).toEqual([
        'C',
        'B',
        'A',
      ]);
      expect((await store.readStream(s, { direction: 'backwards', maxCount: 1 })).map((e) => e.type)).toEqual(['D']);
    });

    it('reads all events, and one category, from a checkpoint', async () => {
      const cat = `tests.cat${randomUUID().slice(0, 8)}`;
      const start = (await store.readAll({ after: START, limit: 1_000_000 })).checkpoint;
      await store.append(sid(cat), [ev('A1'), ev('A2')]);
      await store.append(sid('tests.other'), [ev('O1')]);
      await store.append(sid(cat), [ev('B1')]);
      await settledHorizon(database.db);
      const all = await store.readAll({ after: start });
      expect(all.events.map((e) => e.type)).toEqual(['A1', 'A2', 'O1', 'B1']);
      const mine = await store.readAll({ after: start, categories: [cat] });
      expect(mine.events.map((e) => e.type)).toEqual(['A1', 'A2', 'B1']);
      expect(mine.checkpoint).toEqual(all.checkpoint);
      const paged = await store.readAll({ after: start, limit: 2 });
      const rest = await store.readAll({ after: paged.checkpoint });
      expect([...paged.events, ...rest.events].map((e) => e.type)).toEqual(['A1', 'A2', 'O1', 'B1']);
    });

    it('reads only the types asked, in pages, and its checkpoint moves past the others', async () => {
      const cat = `tests.typ${randomUUID().slice(0, 8)}`;
      const start = (await store.readAll({ after: START, limit: 1_000_000 })).checkpoint;
      await store.append(sid(cat), [ev('Kept'), ev('Dropped')]);
      await store.append(sid(cat), [ev('Dropped'), ev('Dropped')]);
      await store.append(sid(cat), [ev('Kept'), ev('Other')]);
      await store.append(sid(cat), [ev('Dropped')]);
      await settledHorizon(database.db);
      const all = await store.readAll({ after: start });
      const kept = await store.readAll({ after: start, types: ['Kept', 'Other'] });
      expect(kept.events.map((e) => e.type)).toEqual(['Kept', 'Kept', 'Other']);
      // The last events are of a type not asked: the checkpoint is still the head.
      expect(kept.checkpoint).toEqual(all.checkpoint);
      const first = await store.readAll({ after: start, types: ['Kept'], limit: 1 });
      expect(first.events.map((e) => e.type)).toEqual(['Kept']);
      expect(first.checkpoint.position).toBe(first.events[0]?.globalPosition);
      const second = await store.readAll({ after: first.checkpoint, types: ['Kept'], limit: 1 });
      expect(second.events.map((e) => e.streamPosition)).toEqual([0]);
      expect(second.events[0]?.globalPosition).toBeGreaterThan(first.events[0]?.globalPosition ?? Infinity);
      const end = await store.readAll({ after: second.checkpoint, types: ['Kept'], limit: 1 });
      expect(end.events).toEqual([]);
      expect(end.checkpoint).toEqual(all.checkpoint);
    });

    it('upcasts an old schema version on read and leaves the row as stored', async () => {
      const s = sid();
      await store.append(s, [ev('SeekerRegistered', { name: 'x' }, { schemaVersion: 1 })]);
      const [read] = await store.readStream(s);
      expect(read).toMatchObject({ schemaVersion: 2, data: { name: 'x', mobility: 'own_region' } });
      const { rows } = await database.db.query<{ data: unknown; schema_version: number }>(
        `SELECT data, schema_version FROM es.events WHERE stream_id = $1`,
        [s],
      );
      expect(rows[0]).toEqual({ data: { name: 'x' }, schema_version: 1 });
      // A relay's read gives the event as readAll does: upcast, sealed fields left sealed.
      const text = await store.readAllText({ categories: ['tests.thing'], limit: 100_000 });
      const mine = text.events.find((e) => e.streamId === s);
      expect(mine).toMatchObject({ schemaVersion: 2, correlationId: null });
      expect(JSON.parse(mine?.dataJson ?? '')).toEqual({ name: 'x', mobility: 'own_region' });
    });
  });

  describe('subscriptions', () => {
    it('catches up from a checkpoint, then goes live, saving the checkpoint with the effect', async () => {
      const cat = `tests.sub${randomUUID().slice(0, 8)}`;
      await store.append(sid(cat), [ev('E1'), ev('E2')]);
      const seen: RecordedEvent[] = [];
      const sub = await subscribe(store, {
        name: `sub-${cat}`,
        filter: { categories: [cat] },
        pollMs: 60_000,
        handle: async (events, tx) => {
          seen.push(...events);
          await tx.query('SELECT 1');
        },
      });
      await sub.caughtUp();
      expect(seen.map((e) => e.type)).toEqual(['E1', 'E2']);
      await store.append(sid(cat), [ev('E3')]);
      await waitFor(() => seen.length === 3);
      await sub.caughtUp();
      await sub.stop();
      const { rows } = await database.db.query<{ position: string }>(
        `SELECT position::text FROM es.checkpoints WHERE name = $1`,
        [`sub-${cat}`],
      );
      expect(Number(rows[0]?.position)).toBeGreaterThanOrEqual(seen[2]?.globalPosition ?? Infinity);
    });

    it('does not move the checkpoint when the effect fails', async () => {
      const cat = `tests.fail${randomUUID().slice(0, 8)}`;
      await store.append(sid(cat), [ev('E1')]);
      let calls = 0;
      const sub = await subscribe(store, {
        name: `fail-${cat}`,
        filter: { categories: [cat] },
        handle: async (_events, tx) => {
          calls += 1;
          await tx.query(`CREATE TABLE IF NOT EXISTS public.sub_effects (n int)`);
          await tx.query(`INSERT INTO public.sub_effects VALUES (1)`);
          if (calls === 1) throw new Error('transient');
        },
      });
      await waitFor(() => calls >= 2);
      await sub.caughtUp();
      await sub.stop();
      const { rows } = await database.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.sub_effects`);
      expect(rows[0]?.n).toBe('1');
    });
  });

  describe('checkpoints', () => {
    it('never move backwards', async () => {
      const name = `forward-${randomUUID().slice(0, 8)}`;
      await saveCheckpoint(database.db, name, { txId: 10, position: 50 });
      await saveCheckpoint(database.db, name, { txId: 10, position: 40 });
      await saveCheckpoint(database.db, name, { txId: 9, position: 90 });
      expect(await loadCheckpoint(database.db, name)).toEqual({ txId: 10, position: 50 });
      await saveCheckpoint(database.db, name, { txId: 11, position: 1 });
      expect(await loadCheckpoint(database.db, name)).toEqual({ txId: 11, position: 1 });
    });

    it("are saved through the subscription's own saver, and stay put while it refuses", async () => {
      const cat = `tests.saver${randomUUID().slice(0, 8)}`;
      const name = `saver-${cat}`;
      await store.append(sid(cat), [ev('E1'), ev('E2')]);
      let refusing = true;
      let refusals = 0;
      const saved: Checkpoint[] = [];
      const seen: string[] = [];
      const sub = await subscribe(store, {
        name,
        filter: { categories: [cat] },
        transactional: false,
        saveCheckpoint: async (db, at) => {
          if (refusing) {
            refusals += 1;
            throw new Error('the lease is held elsewhere');
          }
          saved.push(at);
          await saveCheckpoint(db, name, at);
        },
        handle: async (events) => {
          seen.push(...events.map((e) => e.type));
        },
      });
      await waitFor(() => refusals >= 2);
      expect(await loadCheckpoint(database.db, name)).toEqual(START);
      refusing = false;
      await sub.caughtUp();
      await sub.stop();
      // Refused, the batch was handled again: a fenced-out replica repeats rather than skips.
      expect(seen.filter((t) => t === 'E1').length).toBeGreaterThanOrEqual(2);
      expect(saved.length).toBeGreaterThan(0);
      expect(await loadCheckpoint(database.db, name)).toEqual(saved[saved.length - 1]);
    });
  });

  describe('append-only and tampering', () => {
    it('rejects UPDATE, DELETE and TRUNCATE on the events table', async () => {
      const s = sid();
      await store.append(s, [ev('A')]);
      await expect(database.db.query(`UPDATE es.events SET type = 'B' WHERE stream_id = $1`, [s])).rejects.toThrow(
        /append-only/,
      );
      await expect(database.db.query(`DELETE FROM es.events WHERE stream_id = $1`, [s])).rejects.toThrow(/append-only/);
      await expect(database.db.query(`TRUNCATE es.events`)).rejects.toThrow(/append-only/);
      expect((await store.readStream(s))[0]?.type).toBe('A');
    });

    it('erases a subject: personal fields read as erased, the chain still verifies', async () => {
      const s = sid('tests.seeker');
      const subject = `seeker-${randomUUID()}`;
      await store.append(s, [
        ev(
          'SeekerRegistered',
          { name: 'Fatima Zahra', cin: 'JB123456', region: 'MA-09' },
          {
            schemaVersion: 2,
            personal: { subjectId: subject, fields: ['name', 'cin'] },
          },
        ),
      ]);
      const [before] = await store.readStream(s);
      expect(before?.data).toEqual({ name: 'Fatima Zahra', cin: 'JB123456', region: 'MA-09' });
      const { rows } = await database.db.query<{ data: string }>(
        `SELECT data::text FROM es.events WHERE stream_id = $1`,
        [s],
      );
      expect(rows[0]?.data).not.toContain('Fatima');
      expect(rows[0]?.data).not.toContain('JB123456');
      expect(await store.eraseSubject(subject)).toBe(true);
      const [after] = await store.readStream(s);
      expect(after?.data).toEqual({ name: ERASED, cin: ERASED, region: 'MA-09' });
      await settledHorizon(database.db);
      expect(
        (await store.readAll({ after: START, limit: 1_000_000 })).events.find((e) => e.streamId === s)?.data.name,
      ).toBe(ERASED);
      expect((await store.verify()).ok).toBe(true);
      await expect(
        store.append(s, [
          ev('SeekerUpdated', { name: 'again' }, { personal: { subjectId: subject, fields: ['name'] } }),
        ]),
      ).rejects.toThrow(/erased/);
    });

    it('finds a row altered behind the trigger and names the first broken link', async () => {
      const s = sid('tests.tamper');
      await store.append(s, [ev('A', { amount: 100 }), ev('B', { amount: 200 }), ev('C', { amount: 300 })]);
      expect((await store.verify()).ok).toBe(true);
      await database.db.transaction(async (tx) => {
        await tx.query(`ALTER TABLE es.events DISABLE TRIGGER events_append_only`);
        await tx.query(`UPDATE es.events SET data = '{"amount": 999}' WHERE stream_id = $1 AND stream_position = 1`, [
          s,
        ]);
        await tx.query(`ALTER TABLE es.events ENABLE TRIGGER events_append_only`);
      });
      const result = await store.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({
        streamId: s,
        streamPosition: 1,
        reason: expect.stringMatching(/hash/),
      });
    });

    it('finds a link inserted out of order behind the log, even with its hashes recomputed', async () => {
      const s = sid('tests.backdated');
      await store.append(s, [ev('A', { amount: 100 })]);
      const [first] = await store.readStream(s);
      if (!first) throw new Error('no event');
      const forged = {
        streamId: s,
        streamPosition: 1,
        eventId: randomUUID(),
        type: 'B',
        schemaVersion: 1,
        data: { amount: 5 },
        metadata: {},
        recordedAt: first.recordedAt,
      };
      const hash = chainHash(first.hash, forged);
      await database.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO es.events (global_position, stream_id, category, stream_position, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash, tx_id)
           OVERRIDING SYSTEM VALUE
           VALUES ($1, $2, 'tests.backdated', 1, $3, 'B', 1, $4::jsonb, '{}'::jsonb, $5::timestamptz, decode($6, 'hex'), decode($7, 'hex'), $8::text::xid8)`,
          [
            -first.globalPosition,
            s,
            forged.eventId,
            JSON.stringify(forged.data),
            first.recordedAt,
            first.hash,
            hash,
            String(first.txId),
          ],
        );
        await tx.query(`UPDATE es.streams SET version = 1, last_hash = decode($2, 'hex') WHERE stream_id = $1`, [
          s,
          hash,
        ]);
      });
      const result = await store.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({
        streamId: s,
        streamPosition: 1,
        reason: expect.stringMatching(/out of order/),
      });
    });
  });
});

const waitFor = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
