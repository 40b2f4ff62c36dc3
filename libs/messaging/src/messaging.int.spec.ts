import { randomUUID } from 'node:crypto';
import { HEADERS } from '@tashghil/contracts';
import {
  openStore,
  testBackends,
  WrongExpectedVersionError,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import { z } from 'zod';
import { InProcessBus } from './in-process-bus';
import { InboxProcessor } from './inbox-processor';
import type { InboundMessage } from './message';
import { MESSAGING_MIGRATIONS } from './migrations';
import { startRelay, toOutbound, toOutboundText } from './relay';

const contracts = (type: string) =>
  type === 'ThingCounted'
    ? { topic: 'tashghil.things', versions: { 1: z.object({ n: z.number().int() }) } }
    : undefined;

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'relay and inbox on %s with the in-process bus',
  (_n, backend) => {
    let database: TestDatabase;
    let store: EventStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await openStore(database, MESSAGING_MIGRATIONS);
      await database.db.query(
        `CREATE TABLE IF NOT EXISTS public.counted (id serial PRIMARY KEY, stream_id text, n int)`,
      );
    });
    afterAll(() => database.dispose());

    const consumerOn = (bus: InProcessBus, consumer: string, fail?: (n: number) => boolean | Error) => {
      const processor = new InboxProcessor({
        db: database.db,
        consumer,
        contracts,
        deadLetters: bus,
        backoffMs: () => 5,
        handlerFor: (type) =>
          type === 'ThingCounted'
            ? async (data, ctx) => {
                const { n } = data as { n: number };
                const failure = fail?.(n);
                if (failure instanceof Error) throw failure;
                if (failure) throw new Error(`refusing ${n}`);
                await ctx.tx.query(`INSERT INTO public.counted (stream_id, n) VALUES ($1, $2)`, [
                  ctx.envelope.streamId,
                  n,
                ]);
              }
            : undefined,
      });
      bus.subscribe(consumer, ['tashghil.things'], (m) => processor.process(m));
      return processor;
    };

    it('delivers every event once, in stream order, even when the relay publishes twice', async () => {
      const bus = new InProcessBus();
      const seen: InboundMessage[] = [];
      bus.subscribe('spy', ['tashghil.things'], async (m) => {
        seen.push(m);
      });
      const processor = consumerOn(bus, `c-${randomUUID()}`);
      const streams = [`things.thing-${randomUUID()}`, `things.thing-${randomUUID()}`];
      for (const s of streams) {
        await store.append(
          s,
          [1, 2, 3].map((n) => ({
            eventId: randomUUID(),
            type: 'ThingCounted',
            data: { n },
            metadata: { correlationId: 'corr-x' },
          })),
        );
      }
      const relay = await startRelay({ store, publisher: bus, context: 'things', pollMs: 50 });
      await relay.caughtUp();
      await relay.stop();
      // Replaying what was published, as a relay restarted before its checkpoint would.
      for (const m of [...seen]) await processor.process(m);

      const { rows } = await database.db.query<{ stream_id: string; n: number }>(
        `SELECT stream_id, n FROM public.counted WHERE stream_id = ANY($1::text[]) ORDER BY id`,
        [streams],
      );
      expect(rows).toHaveLength(6);
      for (const s of streams) expect(rows.filter((r) => r.stream_id === s).map((r) => r.n)).toEqual([1, 2, 3]);
      expect(seen[0]?.headers).toMatchObject({
        [HEADERS.type]: 'ThingCounted',
        [HEADERS.correlationId]: 'corr-x',
        [HEADERS.schemaVersion]: '1',
      });
      expect(seen[0]?.key).toBe(streams[0]);
    });

    it('publishes personal fields sealed, never in clear', async () => {
      const bus = new InProcessBus();
      const seen: InboundMessage[] = [];
      bus.subscribe('spy', ['tashghil.people'], async (m) => {
        seen.push(m);
      });
      const subject = `person-${randomUUID()}`;
      await store.append(`people.person-${randomUUID()}`, [
        {
          eventId: randomUUID(),
          type: 'PersonRegistered',
          data: { name: 'Hassan Ait Ali', cin: 'JK998877', province: 'Tiznit' },
          personal: { subjectId: subject, fields: ['name', 'cin'] },
        },
      ]);
      const relay = await startRelay({ store, publisher: bus, context: 'people', pollMs: 50 });
      await relay.caughtUp();
      await relay.stop();
      expect(seen).toHaveLength(1);
      expect(seen[0]?.value).not.toMatch(/Hassan|JK998877/);
      expect(JSON.parse(seen[0]?.value ?? '{}').data).toMatchObject({
        province: 'Tiznit',
        name: { $pii: { s: subject } },
      });
    });

    it('publishes from the stored JSON text the message it would write from the parsed event', async () => {
      const streamId = `oddities.odd-${randomUUID()}`;
      await store.append(streamId, [
        {
          eventId: randomUUID(),
          type: 'OddThingNoted',
          data: {
            quote: 'a "quoted" \\ back\nslash é 漢 \u2028',
            nested: { list: [1, 2.5, -3e-7, null, true, { z: 1, a: [] }], empty: {} },
            phone: '0612345678',
          },
          metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: 'ünïcode' },
          personal: { subjectId: `person-${randomUUID()}`, fields: ['phone'] },
        },
        { eventId: randomUUID(), type: 'OddThingNoted', data: { n: 2 } },
      ]);
      const text = await store.readAllText({ categories: ['oddities.odd'] });
      const parsed = await store.readAll({ categories: ['oddities.odd'], decrypt: false });
      const mine = text.events.filter((e) => e.streamId === streamId).map(toOutboundText);
      const theirs = parsed.events.filter((e) => e.streamId === streamId).map(toOutbound);
      expect(mine).toHaveLength(2);
      expect(text.checkpoint).toEqual(parsed.checkpoint);
      mine.forEach((message, i) => {
        const other = theirs[i];
        expect({ ...message, value: JSON.parse(message.value) }).toEqual({
          ...other,
          value: JSON.parse(other?.value ?? ''),
        });
      });
      expect(mine[0]?.headers).toMatchObject({ [HEADERS.correlationId]: 'corr-1', [HEADERS.causationId]: 'cause-1' });
      // An event without ids in its metadata: the correlation is the event itself, as before.
      expect(mine[1]?.headers[HEADERS.correlationId]).toBe(
        text.events.find((e) => e.streamPosition === 1 && e.streamId === streamId)?.eventId,
      );
    });

    it('dead-letters a malformed message with its reason and goes on with the next one', async () => {
      const bus = new InProcessBus();
      const consumer = `c-${randomUUID()}`;
      consumerOn(bus, consumer);
      const good = {
        eventId: randomUUID(),
        type: 'ThingCounted',
        schemaVersion: 1,
        streamId: `things.thing-${randomUUID()}`,
        streamPosition: 0,
        globalPosition: 1,
        recordedAt: new Date().toISOString(),
        data: { n: 42 },
        metadata: {},
      };
      await bus.publish([
        { topic: 'tashghil.things', key: 'k', value: '\u0000{not json', headers: {} },
        {
          topic: 'tashghil.things',
          key: 'k',
          value: JSON.stringify({ ...good, eventId: randomUUID(), data: { n: 'many' } }),
          headers: {},
        },
        { topic: 'tashghil.things', key: 'k', value: JSON.stringify(good), headers: {} },
      ]);
      const dlq = bus.published('tashghil.things.dlq');
      expect(dlq.map((m) => m.headers[HEADERS.dlqReason])).toEqual(['MALFORMED_JSON', 'CONTRACT_VIOLATION']);
      expect(dlq[1]?.headers[HEADERS.dlqError]).toMatch(/n: /);
      const { rows } = await database.db.query<{ reason: string }>(
        `SELECT reason FROM msg.dead_letters WHERE consumer = $1 ORDER BY id`,
        [consumer],
      );
      expect(rows.map((r) => r.reason)).toEqual(['MALFORMED_JSON', 'CONTRACT_VIOLATION']);
      const { rows: applied } = await database.db.query(`SELECT 1 FROM public.counted WHERE stream_id = $1`, [
        good.streamId,
      ]);
      expect(applied).toHaveLength(1);
    });

    it('takes a version conflict as passing: another writer moved the stream, and the next attempt applies it', async () => {
      const bus = new InProcessBus();
      const consumer = `c-${randomUUID()}`;
      let conflicts = 0;
      const conflictTwice = (n: number) =>
        n === 7 && conflicts < 2 ? (conflicts++, new WrongExpectedVersionError('things.thing-x', '3', 4)) : false;
      consumerOn(bus, consumer, conflictTwice);
      const streamId = `things.thing-${randomUUID()}`;
      await bus.publish([
        {
          topic: 'tashghil.things',
          key: streamId,
          headers: {},
          value: JSON.stringify({
            eventId: randomUUID(),
            type: 'ThingCounted',
            schemaVersion: 1,
            streamId,
            streamPosition: 0,
            globalPosition: 1,
            recordedAt: new Date().toISOString(),
            data: { n: 7 },
            metadata: {},
          }),
        },
      ]);
      expect(conflicts).toBe(2);
      expect(bus.published('tashghil.things.dlq')).toEqual([]);
      const { rows } = await database.db.query<{ n: number }>(`SELECT n FROM public.counted WHERE stream_id = $1`, [
        streamId,
      ]);
      expect(rows.map((r) => r.n)).toEqual([7]);
    });

    it('retries a failing handler, then dead-letters it without applying any part of it', async () => {
      const bus = new InProcessBus();
      const consumer = `c-${randomUUID()}`;
      let attempts = 0;
      consumerOn(bus, consumer, (n) => n === 13 && ++attempts > 0);
      const streamId = `things.thing-${randomUUID()}`;
      const msg = (n: number) => ({
        topic: 'tashghil.things',
        key: streamId,
        headers: {},
        value: JSON.stringify({
          eventId: randomUUID(),
          type: 'ThingCounted',
          schemaVersion: 1,
          streamId,
          streamPosition: n,
          globalPosition: n + 1,
          recordedAt: new Date().toISOString(),
          data: { n },
          metadata: {},
        }),
      });
      await bus.publish([msg(13), msg(14)]);
      expect(attempts).toBe(3);
      expect(bus.published('tashghil.things.dlq').map((m) => m.headers[HEADERS.dlqReason])).toEqual(['HANDLER_FAILED']);
      const { rows } = await database.db.query<{ n: number }>(`SELECT n FROM public.counted WHERE stream_id = $1`, [
        streamId,
      ]);
      expect(rows.map((r) => r.n)).toEqual([14]);
      const { rows: inbox } = await database.db.query(`SELECT 1 FROM msg.inbox WHERE consumer = $1`, [consumer]);
      expect(inbox).toHaveLength(1);
    });
  },
);
