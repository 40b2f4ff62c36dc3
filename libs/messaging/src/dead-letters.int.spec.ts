import { randomUUID } from 'node:crypto';
import { HEADERS } from '@tashghil/contracts';
import { DomainError, openStore, testBackends, type TestDatabase } from '@tashghil/event-store';
import { z } from 'zod';
import {
  findDeadLetters,
  listDeadLetters,
  REPLAY_HEADER,
  replayDeadLetters,
  replayOutcome,
  type DeadLetter,
} from './dead-letters';
import { InProcessBus } from './in-process-bus';
import { InboxProcessor } from './inbox-processor';
import { MESSAGING_MIGRATIONS } from './migrations';

const topic = 'tashghil.parcels';
const contracts = (type: string) =>
  type === 'ParcelWeighed' ? { topic, versions: { 1: z.object({ grams: z.number().int() }) } } : undefined;

const envelope = (grams: number) => {
  const eventId = randomUUID();
  return {
    eventId,
    message: {
      topic,
      key: 'parcels.parcel-1',
      value: JSON.stringify({
        eventId,
        type: 'ParcelWeighed',
        schemaVersion: 1,
        streamId: 'parcels.parcel-1',
        streamPosition: 0,
        globalPosition: 1,
        recordedAt: new Date().toISOString(),
        data: { grams },
        metadata: {},
      }),
      headers: { [HEADERS.eventId]: eventId, [HEADERS.type]: 'ParcelWeighed' },
    },
  };
};

const codeOf = async (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => 'no error',
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'dead letters replayed after a fix (%s)',
  (_n, backend) => {
    let database: TestDatabase;
    let bus: InProcessBus;
    // The handler is broken until the test "deploys the fix".
    let broken = true;
    const weigher = `weigher-${randomUUID().slice(0, 8)}`;
    const auditor = `auditor-${randomUUID().slice(0, 8)}`;

    const consumer = (name: string) => {
      const processor = new InboxProcessor({
        db: database.db,
        consumer: name,
        contracts,
        deadLetters: bus,
        backoffMs: () => 1,
        handlerFor: (type) =>
          type === 'ParcelWeighed'
            ? async (data, ctx) => {
                if (broken) throw new Error('scale not calibrated');
                await ctx.tx.query(`INSERT INTO public.weighed (consumer, event_id, grams) VALUES ($1, $2, $3)`, [
                  name,
                  ctx.envelope.eventId,
                  (data as { grams: number }).grams,
                ]);
              }
            : undefined,
      });
      bus.subscribe(name, [topic], (m) => processor.process(m));
    };
    const weighed = async (eventId: string) =>
      (
        await database.db.query<{ consumer: string }>(
          `SELECT consumer FROM public.weighed WHERE event_id = $1 ORDER BY consumer`,
          [eventId],
        )
      ).rows.map((r) => r.consumer);
    const only = async (eventId: string, consumer: string): Promise<DeadLetter> => {
      const found = (await listDeadLetters(database.db, { consumer })).filter((d) => d.eventId === eventId);
      expect(found).toHaveLength(1);
      return found[0] as DeadLetter;
    };

    beforeAll(async () => {
      database = await backend.open();
      await openStore(database, MESSAGING_MIGRATIONS);
      await database.db.query(
        `CREATE TABLE IF NOT EXISTS public.weighed (consumer text NOT NULL, event_id uuid NOT NULL, grams int NOT NULL)`,
      );
      bus = new InProcessBus();
      consumer(weigher);
      consumer(auditor);
    });
    afterAll(async () => {
      await bus.close();
      await database.dispose();
    });

    it('lists a failed message with its event, replays it once the handler is fixed, and marks every group’s dead letter of it', async () => {
      broken = true;
      const { eventId, message } = envelope(1_250);
      await bus.publish([message]);
      const dead = await only(eventId, weigher);
      expect(dead).toMatchObject({
        topic,
        partition: 0,
        reason: 'HANDLER_FAILED',
        eventType: 'ParcelWeighed',
        replayedAt: null,
        replayOf: null,
      });
      expect(dead.error).toContain('scale not calibrated');
      expect(dead.ageSeconds).toBeGreaterThanOrEqual(0);
      const other = await only(eventId, auditor);

      const dry = await replayDeadLetters(database.db, bus, [dead.id], { dryRun: true });
      expect(dry[0]?.message.headers[REPLAY_HEADER]).toBe(dead.id);
      expect(await weighed(eventId)).toEqual([]);
      expect((await findDeadLetters(database.db, [dead.id]))[0]?.replayedAt).toBeNull();

      broken = false;
      const [replay] = await replayDeadLetters(database.db, bus, [dead.id]);
      expect(replay?.marked).toEqual([dead.id, other.id]);
      expect((await weighed(eventId)).sort()).toEqual([auditor, weigher].sort());
      expect(await replayOutcome(database.db, dead)).toEqual({ kind: 'applied' });
      expect(await listDeadLetters(database.db, { consumer: weigher })).not.toContainEqual(
        expect.objectContaining({ id: dead.id }),
      );
      expect(
        (await listDeadLetters(database.db, { consumer: weigher, all: true })).find((d) => d.id === dead.id)
          ?.replayedAt,
      ).toMatch(/^\d{4}-/);
    });

    it('refuses a replayed one unless forced, and a forced second replay is applied no second time', async () => {
      broken = true;
      const { eventId, message } = envelope(40);
      await bus.publish([message]);
      const dead = await only(eventId, weigher);
      broken = false;
      await replayDeadLetters(database.db, bus, [dead.id]);
      expect(await codeOf(replayDeadLetters(database.db, bus, [dead.id]))).toBe('DEAD_LETTER_ALREADY_REPLAYED');
      await replayDeadLetters(database.db, bus, [dead.id], { force: true });
      expect((await weighed(eventId)).filter((c) => c === weigher)).toHaveLength(1);
    });

    it('refuses an unknown id before publishing any of the others', async () => {
      broken = true;
      const { eventId, message } = envelope(7);
      await bus.publish([message]);
      const dead = await only(eventId, weigher);
      broken = false;
      expect(await codeOf(replayDeadLetters(database.db, bus, [dead.id, '999999999']))).toBe('DEAD_LETTER_NOT_FOUND');
      expect(await weighed(eventId)).toEqual([]);
      expect((await findDeadLetters(database.db, [dead.id]))[0]?.replayedAt).toBeNull();
    });

    it('dead-letters a replay that fails again as a new row that names the one it replays', async () => {
      broken = true;
      const { eventId, message } = envelope(99);
      await bus.publish([message]);
      const dead = await only(eventId, weigher);
      await replayDeadLetters(database.db, bus, [dead.id]);
      const again = await only(eventId, weigher);
      expect(again.id).not.toBe(dead.id);
      expect(again).toMatchObject({ replayOf: dead.id, reason: 'HANDLER_FAILED' });
      expect(await replayOutcome(database.db, dead)).toEqual({ kind: 'dead-lettered-again', id: again.id });

      broken = false;
      await replayDeadLetters(database.db, bus, [again.id]);
      expect((await weighed(eventId)).filter((c) => c === weigher)).toHaveLength(1);
      expect(await listDeadLetters(database.db, { consumer: weigher })).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ eventId })]),
      );
    });

    it('keeps the row unmarked when the confirmation fails', async () => {
      broken = true;
      const { eventId, message } = envelope(3);
      await bus.publish([message]);
      const dead = await only(eventId, weigher);
      await expect(
        replayDeadLetters(database.db, bus, [dead.id], {
          confirm: async () => {
            throw new Error('not seen');
          },
        }),
      ).rejects.toThrow('not seen');
      expect((await findDeadLetters(database.db, [dead.id]))[0]?.replayedAt).toBeNull();
    });
  },
);
