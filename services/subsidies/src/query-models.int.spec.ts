import { randomUUID } from 'node:crypto';
import {
  ensureQueryModel,
  handleCommand,
  handleWorkflow,
  openStore,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import { envelopeDecider, envelopeStreamId } from './envelope/envelope.decider';
import { decideGrant } from './grant/grant-envelope.workflow';
import { apply, decide } from './grant/grant.fixture';
import { grantDecider, grantStreamId } from './grant/grant.decider';
import { propose } from './works-project/works-project.fixture';
import { worksProjectDecider, worksProjectStreamId } from './works-project/works-project.decider';
import { ensureSubsidiesQueryModels } from './query-models';

const TABLES = ['q.grants', 'q.works_projects', 'q.envelopes'];

describe.each(testBackends().map((b) => [b.name, b] as const))('the subsidies query models on %s', (_n, backend) => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await backend.open();
    store = await openStore(database);
    await ensureSubsidiesQueryModels(store);
  });
  afterAll(() => database.dispose());

  const contents = async (): Promise<unknown[]> => {
    const all = [];
    for (const table of TABLES) {
      const { rows } = await store.db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY stream_id`);
      all.push(...rows.map(({ updated_at: _at, ...row }) => ({ table, ...row })));
    }
    return all;
  };

  it('rebuilds from the store the very rows the appends wrote', async () => {
    await handleCommand(
      store,
      envelopeDecider,
      envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 }),
      {
        type: 'SetEnvelopeLimits',
        data: {
          region: 'MA-10',
          programme: 'awrach',
          year: 2022,
          revision: 1,
          reference: 'test',
          sourceEventId: randomUUID(),
          components: [{ component: 'lasting_integration', targetJobs: 5 }],
        },
        metadata: {
          now: '2022-04-22T10:00:00.000Z',
          actor: 'a',
          roles: ['admin'],
          correlationId: 'c',
          commandId: 'env',
        },
      },
    );
    await handleCommand(store, grantDecider, grantStreamId('awrach-1-pl-0001'), apply());
    await handleWorkflow(store, decideGrant('awrach-1-pl-0001', decide()));
    await handleCommand(store, worksProjectDecider, worksProjectStreamId('gon-pistes-2022'), propose());
    const written = await contents();
    expect(written.map((row) => (row as { table: string }).table)).toEqual([
      'q.grants',
      'q.works_projects',
      'q.envelopes',
    ]);
    expect(written[0]).toMatchObject({ status: 'approved', employer: 'emp-guelmim-1', region: 'MA-10' });
    expect(written[2]).toMatchObject({ view: { files: 1, components: [{ reservedJobs: 1 }] } });
    await store.db.query(`UPDATE q.models SET layout = 'old' WHERE name = ANY($1::text[])`, [TABLES]);
    const rebuilt = [
      await ensureQueryModel(store, grantDecider),
      await ensureQueryModel(store, worksProjectDecider),
      await ensureQueryModel(store, envelopeDecider),
    ];
    expect(rebuilt).toEqual([1, 1, 1].map((streams) => ({ rebuilt: true, streams })));
    expect(await contents()).toEqual(written);
  });
});
