import { randomUUID } from 'node:crypto';
import { jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { openStore, testBackends, type EventStore, type NewEvent, type TestDatabase } from '@tashghil/event-store';
import { CategorySelection, startGateway, startKurrentSink, type Gateway } from '@tashghil/kurrent-gateway';
import { createLogger } from '@tashghil/service-kit';
import { EXIT } from './audit-command';
import { isKurrentTarget } from './audit-kurrent';
import { runAudit } from './audit';
import { progressTo } from './progress';

const log = createLogger('audit-kurrent', { level: 'silent' });
const meta = { actor: 'spec', roles: ['admin'], correlationId: 'c' };
const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: meta,
});

describe.each(testBackends().map((b) => [b.name, b] as const))('tashghil audit kurrentdb:// (%s)', (_n, backend) => {
  let source: TestDatabase;
  let mirrorDb: TestDatabase;
  let store: EventStore;
  let gateway: Gateway;
  let client: KurrentDBClient;
  let url: string;

  /** Through `tashghil audit` itself, on the source database. */
  const audit = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAudit(
      argv,
      {},
      (s) => out.push(s),
      (s) => err.push(s),
      {
        database: source.db,
        progress: progressTo({ isTTY: false, write: () => true }),
      },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    source = await backend.open();
    store = await openStore(source);
    mirrorDb = await backend.open();
    gateway = await startGateway({
      store: await openStore(mirrorDb),
      host: '127.0.0.1',
      port: 0,
      external: ['conventions.*'],
      log,
    });
    url = `kurrentdb://127.0.0.1:${gateway.port}?tls=false`;
    client = KurrentDBClient.connectionString(url);
    for (const id of ['a', 'b', 'c']) {
      await store.append(`conventions.convention-${id}`, [
        event('ConventionDrafted', { id }),
        event('MeasureAdded', { id }),
      ]);
    }
    await store.append('conventions.seeker-s', [
      {
        ...event('SeekerRegistered', { seekerId: 's', name: 'Amina El Idrissi' }),
        personal: { subjectId: 'subject-s', fields: ['name'] },
      },
    ]);
    const sink = await startKurrentSink({
      store,
      client,
      categories: CategorySelection.parse('conventions.convention,conventions.seeker'),
      name: 'default',
      pollMs: 100,
      log,
    });
    await sink.caughtUp();
    await sink.stop();
  });
  afterAll(async () => {
    await client?.dispose();
    await gateway?.close();
    await mirrorDb?.dispose();
    await source?.dispose();
  });

  it('is the command for a kurrentdb:// first word', () => {
    expect(isKurrentTarget(url)).toBe(true);
    expect(isKurrentTarget('kurrentdb://')).toBe(true);
    expect(isKurrentTarget('verify')).toBe(false);
  });

  it('finds a sound mirror the same as the store, sealed personal fields included', async () => {
    const r = await audit(url, 'conventions.convention', 'conventions.seeker');
    expect(r).toMatchObject({ code: EXIT.ok, err: '' });
    expect(r.out).toBe(
      `mirror at 127.0.0.1:${gateway.port}: the same as the store (4 streams, 7 events; 7 required, 0 not mirrored yet)`,
    );
    const json = JSON.parse((await audit(url, 'conventions.*', '--json')).out);
    expect(json).toMatchObject({ ok: true, streams: 4, mirrored: 7, required: 7, pending: 0 });
  });

  it('tells events the sink has not reached yet from events missing below its checkpoint', async () => {
    await store.append('conventions.convention-a', [event('MeasureAdded', { id: 'a', late: true })]);
    expect(await audit(url, 'conventions.convention')).toMatchObject({
      code: EXIT.ok,
      out: expect.stringMatching(/6 events; 6 required, 1 not mirrored yet\)$/),
    });
    const complete = await audit(url, 'conventions.convention', '--complete');
    expect(complete.code).toBe(EXIT.broken);
    expect(complete.out).toMatch(
      /^mirror at [^ ]+: DIFFERS in conventions\.convention-a at revision 2: event [0-9a-f-]+ is not in the mirror/,
    );
    expect(complete.out.split('\n')).toHaveLength(1);
  });

  it('finds an event whose data differs, and a stream only the mirror has', async () => {
    const stored = event('OfferMade', { amount: 100 });
    await store.append('conventions.tampered-t', [stored]);
    await client.appendToStream(
      'conventions.tampered-t',
      [jsonEvent({ id: stored.eventId, type: 'OfferMade', data: { amount: 1000 }, metadata: meta })],
      { streamState: 'no_stream' },
    );
    expect(await audit(url, 'conventions.tampered')).toMatchObject({
      code: EXIT.broken,
      out: expect.stringMatching(/DIFFERS in conventions\.tampered-t at revision 0: event [0-9a-f-]+'s data differs$/),
    });
    await client.appendToStream('conventions.stray-x', [jsonEvent({ type: 'Stray', data: {} })]);
    expect(await audit(url, 'conventions.stray')).toMatchObject({
      code: EXIT.broken,
      out: expect.stringMatching(/DIFFERS in conventions\.stray-x: the mirror holds this stream, the store does not$/),
    });
  });

  it('answers a bad connection string, a bad category or an unreachable server with one line', async () => {
    const bad = await audit('kurrentdb://', 'conventions.*');
    expect(bad).toMatchObject({ code: EXIT.usage, out: '' });
    expect(bad.err).toMatch(/^audit kurrentdb: not a KurrentDB connection string: /);
    expect(bad.err.split('\n')).toHaveLength(1);
    expect(await audit(url)).toMatchObject({
      code: EXIT.usage,
      err: expect.stringMatching(/name the mirrored categories/),
    });
    expect(await audit(url, 'Conventions')).toMatchObject({ code: EXIT.usage });
    const down = await audit('kurrentdb://user:secret@127.0.0.1:1?tls=false', 'conventions.*');
    expect(down).toEqual({
      code: EXIT.unavailable,
      out: '',
      err: 'audit kurrentdb: cannot read the mirror at 127.0.0.1:1: no KurrentDB server answers there',
    });
  });
});
