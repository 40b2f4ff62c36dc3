import { randomUUID } from 'node:crypto';
import { openStore, testBackends, type TestDatabase } from './test-backends';
import type { NewEvent } from './types';

const event = (type: string): NewEvent => ({ eventId: randomUUID(), type, data: {}, metadata: {} });

describe.each(testBackends().map((b) => [b.name, b] as const))('the onAppended hook on %s', (_n, backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database.dispose());

  it('hears of every append that wrote events, and of no repeat or refused append', async () => {
    const heard: Array<{ streamId: string; types: string[] }> = [];
    const store = await openStore(database, [], {
      onAppended: (streamId, events) => heard.push({ streamId, types: events.map((e) => e.type) }),
    });
    const stream = `hook.thing-${randomUUID()}`;
    const batch = [event('ThingMade'), event('ThingNamed')];
    await store.append(stream, batch, 'no_stream');
    await store.append(stream, batch, 'any');
    await expect(store.append(stream, [event('ThingNamed')], 'no_stream')).rejects.toThrow();
    await database.db.transaction((tx) => store.appendInTransaction(tx, stream, [event('ThingRenamed')], 1));
    expect(heard).toEqual([
      { streamId: stream, types: ['ThingMade', 'ThingNamed'] },
      { streamId: stream, types: ['ThingRenamed'] },
    ]);
  });

  it('never fails an append that is stored because the hook threw', async () => {
    const store = await openStore(database, [], {
      onAppended: () => {
        throw new Error('observer broken');
      },
    });
    const stream = `hook.thing-${randomUUID()}`;
    await expect(store.append(stream, [event('ThingMade')])).resolves.toMatchObject({ written: 1 });
    expect(await store.streamVersion(stream)).toBe(0);
  });
});
