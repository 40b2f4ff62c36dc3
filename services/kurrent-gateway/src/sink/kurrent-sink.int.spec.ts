import { randomUUID } from 'node:crypto';
import { jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import {
  loadCheckpoint,
  openStore,
  testBackends,
  type EventStore,
  type RecordedEvent,
  type TestDatabase,
} from '@tashghil/event-store';
import { createLogger } from '@tashghil/service-kit';
import { openHarness, type Harness } from '../judges/harness';
import { CategorySelection } from './categories';
import { advanceCheckpoint, sinkCheckpointName, startKurrentSink } from './kurrent-sink';
import { mirrorStream } from './mirror-stream';

const MIRRORED = ['conventions.convention-a', 'conventions.convention-b', 'conventions.seeker-s', 'matching.offer-x'];
const categories = CategorySelection.parse('conventions.*,matching.offer');
const log = createLogger('kurrent-sink', { level: 'silent' });
const meta = { actor: 'spec', roles: ['admin'], correlationId: 'c' };

describe.each(testBackends().map((b) => [b.name, b] as const))('the KurrentDB sink (%s)', (_n, backend) => {
  let source: TestDatabase;
  let store: EventStore;
  let target: Harness;
  let client: KurrentDBClient;

  const appendRound = async (round: number): Promise<void> => {
    for (const stream of [...MIRRORED, 'reporting.report-r']) {
      await store.append(stream, [
        { eventId: randomUUID(), type: 'Happened', data: { round, n: 0 }, metadata: meta },
        {
          eventId: randomUUID(),
          type: 'HappenedAgain',
          data: { round, n: 1, nested: { list: [1, 'two'] } },
          metadata: meta,
        },
      ]);
    }
  };

  const ids = (events: readonly RecordedEvent[]) => events.map((e) => `${e.streamPosition}:${e.eventId}`);

  beforeAll(async () => {
    source = await backend.open();
    store = await openStore(source);
    // The second database's gateway takes the mirrored categories as its external ones.
    target = await openHarness(backend, { external: ['conventions.*', 'matching.offer'] });
    client = KurrentDBClient.connectionString(`kurrentdb://${target.address}?tls=false`);
    await store.append('conventions.seeker-s', [
      {
        eventId: randomUUID(),
        type: 'SeekerRegistered',
        data: { seekerId: 's', name: 'Amina El Idrissi', region: 'souss-massa' },
        metadata: meta,
        personal: { subjectId: 'subject-s', fields: ['name'] },
      },
    ]);
    for (let round = 0; round < 5; round += 1) await appendRound(round);
  });
  afterAll(async () => {
    await client?.dispose();
    await target?.close();
    await source?.dispose();
  });

  it('mirrors, stops mid-way, restarts after a crash between acknowledgement and checkpoint, and ends with every event once, in stream order', async () => {
    let batches = 0;
    let third: () => void = () => undefined;
    const thirdBatch = new Promise<void>((resolve) => {
      third = resolve;
    });
    const first = await startKurrentSink({
      store,
      client,
      categories,
      name: 'spec',
      batchSize: 4,
      pollMs: 100,
      log,
      onCheckpoint: () => {
        batches += 1;
        if (batches === 3) third();
      },
    });
    await thirdBatch;
    await first.stop();
    const stoppedAt = first.position();
    expect(await loadCheckpoint(store.db, sinkCheckpointName('spec'))).toEqual(stoppedAt);
    const total = MIRRORED.length * 10 + 1;
    let halfway = 0;
    for (const stream of MIRRORED) {
      const mirrored = await target.store.readStream(stream);
      halfway += mirrored.length;
      // What the target holds of a stream is the start of the store's, in order.
      expect(ids(mirrored)).toEqual(ids(await store.readStream(stream)).slice(0, mirrored.length));
    }
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(total);

    // The sink died after the target took the next events but before it saved its checkpoint.
    const next = await store.readAll({ after: stoppedAt, limit: 7, categories: ['conventions.convention'] });
    for (const stream of new Set(next.events.map((e) => e.streamId)))
      await mirrorStream(
        client,
        stream,
        next.events.filter((e) => e.streamId === stream),
      );

    // It restarts with batches cut elsewhere, while the store goes on.
    const second = await startKurrentSink({ store, client, categories, name: 'spec', batchSize: 5, pollMs: 100, log });
    await appendRound(5);
    await appendRound(6);
    await second.caughtUp();
    await second.stop();

    for (const stream of MIRRORED) {
      expect(ids(await target.store.readStream(stream))).toEqual(ids(await store.readStream(stream)));
    }
    expect(await target.store.readStream('reporting.report-r')).toEqual([]);
    const seeker = await target.store.readStream('conventions.seeker-s');
    // Personal fields cross sealed, as on Kafka.
    expect(JSON.stringify(seeker[0]?.data)).not.toContain('Amina');
    expect(seeker[0]?.data.region).toBe('souss-massa');
    expect(await loadCheckpoint(store.db, sinkCheckpointName('spec'))).toEqual(second.position());
  });

  it('never moves its checkpoint back', async () => {
    const name = sinkCheckpointName('forward');
    await advanceCheckpoint(store.db, name, { txId: 900, position: 40 });
    await advanceCheckpoint(store.db, name, { txId: 899, position: 99 });
    await advanceCheckpoint(store.db, name, { txId: 900, position: 39 });
    expect(await loadCheckpoint(store.db, name)).toEqual({ txId: 900, position: 40 });
    await advanceCheckpoint(store.db, name, { txId: 901, position: 1 });
    expect(await loadCheckpoint(store.db, name)).toEqual({ txId: 901, position: 1 });
  });

  it('stops at a target stream that holds other events, rather than appending after them', async () => {
    await client.appendToStream('conventions.convention-z', [jsonEvent({ type: 'Foreign', data: {} })]);
    await store.append('conventions.convention-z', [{ eventId: randomUUID(), type: 'Mine', data: {}, metadata: meta }]);
    const [mine] = await store.readStream('conventions.convention-z', { decrypt: false });
    await expect(mirrorStream(client, 'conventions.convention-z', mine ? [mine] : [])).rejects.toMatchObject({
      code: 'MIRROR_DIVERGED',
    });
  });
});
