import { randomUUID } from 'node:crypto';
import { EventStore, PgSqlClient, SubjectKeyring, TEST_MASTER_KEY, type NewEvent } from '@tashghil/event-store';
import { loadConfig, openRuntime, refuseSharedRole, SERVICE_ROLES, type ServiceRole } from '@tashghil/service-kit';
import { openServerDatabase, serviceDatabaseEnv, type TestDatabase } from '@tashghil/testing';
import { platformService } from './service';

// PGlite has a single user: roles and row-level security are the server's, so this is an e2e suite,
// run only by the integration run.

const probe = (): NewEvent => ({ eventId: randomUUID(), type: 'OwnershipProbed', data: { at: 'test' } });
const roleOf = (service: string): ServiceRole => {
  const role = SERVICE_ROLES.find((r) => r.service === service);
  if (!role) throw new Error(`no role for ${service}`);
  return role;
};
const appenders = SERVICE_ROLES.filter((r) => r.contexts.length > 0);
const otherContext = (r: ServiceRole): string => appenders.find((o) => o !== r)?.contexts[0] ?? 'conventions';

describe('each service role writes only its own rows', () => {
  let database: TestDatabase;
  const clients = new Map<string, PgSqlClient>();
  const storeOf = (service: string): EventStore => {
    const db = clients.get(service);
    if (!db) throw new Error(`no connection for ${service}`);
    return new EventStore(db, { keyring: new SubjectKeyring(TEST_MASTER_KEY) });
  };
  const count = async (streamId: string): Promise<{ events: string; streams: string }> => {
    const { rows } = await database.db.query<{ events: string; streams: string }>(
      `SELECT (SELECT count(*) FROM es.events WHERE stream_id = $1)::text AS events, (SELECT count(*) FROM es.streams WHERE stream_id = $1)::text AS streams`,
      [streamId],
    );
    return rows[0] ?? { events: '?', streams: '?' };
  };

  beforeAll(async () => {
    database = await openServerDatabase();
    const url = database.url ?? '';
    // Migrated as the owner, the way a service with DATABASE_MIGRATION_URL does it.
    const owner = await openRuntime(
      loadConfig({ TASHGHIL_MODE: 'embedded', DATABASE_URL: url }, { port: 0 }),
      platformService.migrations,
      'test',
    );
    await owner.close();
    for (const r of SERVICE_ROLES)
      clients.set(r.service, PgSqlClient.fromUrl(serviceDatabaseEnv(r.service, url).DATABASE_URL ?? '', 2));
  });
  afterAll(async () => {
    for (const db of clients.values()) await db.close();
    await database?.dispose();
  });

  it.each(appenders.map((r) => [r.service, r.contexts[0]]))(
    'lets %s append to its own category %s.probe',
    async (service, context) => {
      const streamId = `${context}.probe-${service}`;
      await expect(storeOf(service).append(streamId, [probe()])).resolves.toMatchObject({ written: 1 });
      await expect(storeOf(service).append(streamId, [probe()], 0)).resolves.toMatchObject({ nextExpectedVersion: 1 });
      expect(await count(streamId)).toEqual({ events: '2', streams: '1' });
    },
  );

  it.each(SERVICE_ROLES.map((r) => [r.service, otherContext(r)]))(
    'refuses %s an append to the %s context, and stores nothing',
    async (service, context) => {
      const streamId = `${context}.foreign-${service}`;
      await expect(storeOf(service).append(streamId, [probe()])).rejects.toThrow(
        /row-level security|permission denied/,
      );
      expect(await count(streamId)).toEqual({ events: '0', streams: '0' });
    },
  );

  it('refuses an append to another context’s existing stream instead of waiting on its head for ever', async () => {
    const streamId = 'matching.probe-matching';
    await storeOf('matching').append(streamId, [probe()]);
    const before = await count(streamId);
    await expect(storeOf('conventions').append(streamId, [probe()])).rejects.toThrow(/row-level security/);
    expect(await count(streamId)).toEqual(before);
  });

  it('refuses a stream id filed under a category it does not name', async () => {
    const db = clients.get('conventions');
    await expect(
      db?.query(
        `INSERT INTO es.events (stream_id, category, stream_position, event_id, type, data, recorded_at, hash)
       VALUES ('matching.seeker-x', 'conventions.seeker', 0, $1, 'Forged', '{}', now(), '\\x00')`,
        [randomUUID()],
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it.each(SERVICE_ROLES.map((r) => [r.service]))(
    'refuses %s any UPDATE, DELETE or TRUNCATE of es.events',
    async (service) => {
      const db = clients.get(service);
      for (const sql of [`UPDATE es.events SET type = 'Changed'`, `DELETE FROM es.events`, `TRUNCATE es.events`]) {
        await expect(db?.query(sql)).rejects.toMatchObject({ code: '42501' });
      }
      const { rows } = await database.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM es.events WHERE type = 'Changed'`,
      );
      expect(rows[0]?.n).toBe('0');
    },
  );

  it('refuses to move another context’s stream head or to refile it under its own category', async () => {
    await storeOf('subsidies').append('subsidies.probe-head', [probe()]);
    await expect(
      clients.get('conventions')?.query(`UPDATE es.streams SET version = 99 WHERE stream_id = 'subsidies.probe-head'`),
    ).rejects.toThrow(/row-level security/);
    await expect(
      clients
        .get('conventions')
        ?.query(`UPDATE es.streams SET category = 'conventions.probe' WHERE stream_id = 'subsidies.probe-head'`),
    ).rejects.toMatchObject({ code: '42501' });
    const { rows } = await database.db.query<{ version: string; category: string }>(
      `SELECT version::text, category FROM es.streams WHERE stream_id = 'subsidies.probe-head'`,
    );
    expect(rows[0]).toEqual({ version: '0', category: 'subsidies.probe' });
  });

  it('keeps checkpoints and consumer rows to the service that owns them', async () => {
    const save = (service: string, name: string) =>
      clients
        .get(service)
        ?.query(
          `INSERT INTO es.checkpoints (name, tx_id, position) VALUES ($1, '1'::xid8, 1) ON CONFLICT (name) DO UPDATE SET position = 2`,
          [name],
        );
    await expect(save('conventions', 'relay:conventions')).resolves.toBeDefined();
    await expect(save('conventions', 'relay:conventions')).resolves.toBeDefined();
    await expect(save('matching', 'matching:streaming-proposals')).resolves.toBeDefined();
    await expect(save('conventions', 'relay:matching')).rejects.toThrow(/row-level security/);
    await expect(save('matching', 'relay:conventions')).rejects.toThrow(/row-level security/);
    const applied = (service: string, consumer: string) =>
      clients
        .get(service)
        ?.query(`INSERT INTO msg.inbox (consumer, event_id, topic, partition, "offset") VALUES ($1, $2, 't', 0, 0)`, [
          consumer,
          randomUUID(),
        ]);
    await expect(applied(roleOf('reporting').service, 'reporting')).resolves.toBeDefined();
    await expect(applied('reporting', 'subsidies')).rejects.toThrow(/row-level security/);
    await expect(applied('conventions', 'reporting')).rejects.toMatchObject({ code: '42501' });
  });

  it('lets the reporting role build and drop its own schemas', async () => {
    const db = clients.get('reporting');
    await db?.query(
      `CREATE SCHEMA reporting_g990; CREATE TABLE reporting_g990.t (x int); DROP SCHEMA reporting_g990 CASCADE`,
    );
    await expect(
      db?.query(
        `INSERT INTO reporting.generations (schema_name, layout, state) VALUES ('reporting_g991', 1, 'building') RETURNING id`,
      ),
    ).resolves.toMatchObject({ rowCount: 1 });
    await expect(clients.get('conventions')?.query(`CREATE SCHEMA conventions_scratch`)).rejects.toMatchObject({
      code: '42501',
    });
  });
});

describe('the distributed mode refuses a role that nothing holds', () => {
  let database: TestDatabase;
  const distributed = (env: Record<string, string>) =>
    loadConfig(
      { TASHGHIL_MODE: 'distributed', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', ...env },
      { port: 0 },
    );

  beforeAll(async () => {
    database = await openServerDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('refuses to start as the owner, a superuser, with one line saying what to set instead', async () => {
    const start = openRuntime(distributed({ DATABASE_URL: database.url ?? '' }), platformService.migrations, 'test');
    await expect(start).rejects.toThrow(
      /^the distributed mode refuses the database role "tashghil": it is a superuser, .*DATABASE_MIGRATION_URL[^\n]*$/,
    );
  });

  it('starts as the service’s own role with the owner migrating, and again as that role alone once nothing is left to migrate', async () => {
    const url = database.url ?? '';
    const first = await openRuntime(distributed(serviceDatabaseEnv('conventions', url)), [], 'test');
    const { rows } = await first.db.query<{ user: string }>(`SELECT current_user AS user`);
    expect(rows[0]?.user).toBe('tashghil_conventions');
    await first.close();
    const again = await openRuntime(
      distributed({ DATABASE_URL: serviceDatabaseEnv('conventions', url).DATABASE_URL ?? '' }),
      [],
      'test',
    );
    await again.close();
  });

  it('tells a role with something left to migrate to run the migrations as the owner', async () => {
    const fresh = await openServerDatabase();
    try {
      const start = openRuntime(
        distributed({ DATABASE_URL: serviceDatabaseEnv('matching', fresh.url ?? '').DATABASE_URL ?? '' }),
        [],
        'test',
      );
      await expect(start).rejects.toThrow(/may not apply the migrations table .*set DATABASE_MIGRATION_URL/);
    } finally {
      await fresh.dispose();
    }
  });

  it('allows the owner for development with TASHGHIL_ALLOW_OWNER_ROLE, never in production', async () => {
    const owner = PgSqlClient.fromUrl(database.url ?? '', 1);
    try {
      await expect(refuseSharedRole(owner, { allowOwner: true, production: false })).resolves.toBeUndefined();
      await expect(refuseSharedRole(owner, { allowOwner: true, production: true })).rejects.toThrow(
        /refuses the database role "tashghil"/,
      );
    } finally {
      await owner.close();
    }
  });
});
