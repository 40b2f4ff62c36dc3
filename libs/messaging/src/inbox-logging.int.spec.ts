import { randomUUID } from 'node:crypto';
import { HEADERS } from '@tashghil/contracts';
import { openPgliteDatabase, openStore, type TestDatabase } from '@tashghil/event-store';
import { z } from 'zod';
import { InProcessBus } from './in-process-bus';
import { InboxProcessor } from './inbox-processor';
import type { InboundMessage } from './message';
import { MESSAGING_MIGRATIONS } from './migrations';

const TOPIC = 'tashghil.things';
type Line = { level: string; msg: string; fields: Record<string, unknown> };

const message = (offset: number, value: string | null, headers: Record<string, string> = {}): InboundMessage => ({
  topic: TOPIC,
  partition: 1,
  offset: String(offset),
  key: 'things.thing-1',
  value,
  headers,
});

const envelope = (eventId: string, n: unknown, correlationId: string) =>
  JSON.stringify({
    eventId,
    type: 'ThingCounted',
    schemaVersion: 1,
    streamId: 'things.thing-1',
    streamPosition: 0,
    globalPosition: 1,
    recordedAt: '2022-04-22T09:00:00.000Z',
    data: { n },
    metadata: { correlationId },
  });

describe('what the inbox processor logs about each message', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openPgliteDatabase();
    await openStore(database, MESSAGING_MIGRATIONS);
  });
  afterAll(() => database.dispose());

  const processor = (lines: Line[], failures = 0) => {
    let failing = failures;
    return new InboxProcessor({
      db: database.db,
      consumer: `logger-${randomUUID()}`,
      deadLetters: new InProcessBus(),
      backoffMs: () => 1,
      contracts: (type) =>
        type === 'ThingCounted' ? { topic: TOPIC, versions: { 1: z.object({ n: z.number() }) } } : undefined,
      handlerFor: (type) =>
        type === 'ThingCounted'
          ? async () => {
              if (failing > 0) {
                failing -= 1;
                throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
              }
            }
          : undefined,
      log: (level, msg, fields) => lines.push({ level, msg, fields }),
    });
  };

  it('names the correlation id of an applied message, and of its repeat, at debug', async () => {
    const lines: Line[] = [];
    const p = processor(lines);
    const eventId = randomUUID();
    await p.process(message(7, envelope(eventId, 1, 'test-applied'), { [HEADERS.correlationId]: 'test-applied' }));
    await p.process(message(8, envelope(eventId, 1, 'test-applied')));
    expect(lines).toEqual([
      {
        level: 'debug',
        msg: 'message applied',
        fields: {
          topic: TOPIC,
          partition: 1,
          offset: '7',
          eventId,
          type: 'ThingCounted',
          correlationId: 'test-applied',
        },
      },
      {
        level: 'debug',
        msg: 'message already applied',
        fields: expect.objectContaining({ offset: '8', eventId, correlationId: 'test-applied' }),
      },
    ]);
  });

  it('names it on every warning: a retry, and a dead letter whose value cannot even be read', async () => {
    const lines: Line[] = [];
    const p = processor(lines, 1);
    await p.process(message(9, envelope(randomUUID(), 2, 'test-retried')));
    await p.process(message(10, '{not json', { [HEADERS.correlationId]: 'test-from-header' }));
    expect(lines.map((l) => [l.level, l.msg, l.fields.correlationId])).toEqual([
      ['warn', 'message processing failed; retrying', 'test-retried'],
      ['debug', 'message applied', 'test-retried'],
      ['warn', 'message dead-lettered', 'test-from-header'],
    ]);
    expect(lines[2]?.fields).toMatchObject({ offset: '10', reason: 'MALFORMED_JSON' });
  });
});
