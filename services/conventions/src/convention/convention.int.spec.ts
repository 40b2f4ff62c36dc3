import { randomUUID } from 'node:crypto';
import { handleCommand, openStore, testBackends, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { conventionDecider, conventionStreamId, type DraftConvention } from './convention.decider';
import { ensureConventionsQueryModels } from '../query-models';

const draft = (conventionId: string, title: string): DraftConvention => ({
  type: 'DraftConvention',
  data: { conventionId, region: 'MA-09', title, period: { start: '2020-01-01', end: '2022-12-31' } },
  metadata: {
    now: '2021-03-15T10:00:00.000Z',
    actor: 'o',
    roles: ['officer'],
    region: 'MA-09',
    correlationId: 'c',
    commandId: randomUUID(),
  },
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'drafting conventions through the command handler on %s',
  (_n, backend) => {
    let database: TestDatabase;
    let store: EventStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await openStore(database);
      await ensureConventionsQueryModels(store);
    });
    afterAll(() => database.dispose());

    it('lets exactly one of two simultaneous drafts of the same id through', async () => {
      const id = `race-${randomUUID().slice(0, 8)}`;
      const results = await Promise.allSettled([
        handleCommand(store, conventionDecider, conventionStreamId(id), draft(id, 'first')),
        handleCommand(store, conventionDecider, conventionStreamId(id), draft(id, 'second')),
      ]);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.reason).toMatchObject({ code: 'CONVENTION_ALREADY_EXISTS' });
      const events = await store.readStream(conventionStreamId(id));
      expect(events).toHaveLength(1);
      expect(events[0]?.metadata).toMatchObject({ actor: 'o', commandType: 'DraftConvention', correlationId: 'c' });
    });

    it('answers a repeated command (the same command id) with the state, deciding nothing twice', async () => {
      const id = `again-${randomUUID().slice(0, 8)}`;
      const command = draft(id, 'first');
      const first = await handleCommand(store, conventionDecider, conventionStreamId(id), command);
      const again = await handleCommand(store, conventionDecider, conventionStreamId(id), command);
      expect(first.events).toHaveLength(1);
      expect(again).toMatchObject({ events: [], version: first.version, state: { status: 'draft', title: 'first' } });
      expect(await store.readStream(conventionStreamId(id))).toHaveLength(1);
    });

    it('refuses a stale If-Match version with a typed conflict', async () => {
      const id = `stale-${randomUUID().slice(0, 8)}`;
      await handleCommand(store, conventionDecider, conventionStreamId(id), draft(id, 'first'));
      await expect(
        handleCommand(store, conventionDecider, conventionStreamId(id), draft(id, 'again'), { expectedVersion: -1 }),
      ).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
    });
  },
);
