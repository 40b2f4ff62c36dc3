import { Writable } from 'node:stream';
import { openServerDatabase, openStore, type TestDatabase } from '@tashghil/event-store';
import { DEFAULT_TOPIC_PARTITIONS, MESSAGING_MIGRATIONS, type DeadLetter } from '@tashghil/messaging';
import { startService, type RunningService } from '@tashghil/service-kit';
import { EXIT, runOps } from './ops';
import { applied, CONSUMER, fix, setTargets, targetsService, until } from './ops-fixture.spec-helper';
import { progressTo } from './progress';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

describe('tashghil ops in the distributed mode: a running consumer, PostgreSQL and Kafka', () => {
  let database: TestDatabase;
  let service: RunningService;
  let env: NodeJS.ProcessEnv;
  let eventId = '';

  const ops = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOps(
      argv,
      env,
      (s) => out.push(s),
      (s) => err.push(s),
      { service: targetsService, progress: progressTo({ isTTY: false, write: () => true }) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const waiting = async (): Promise<DeadLetter[]> =>
    (JSON.parse((await ops('dead-letters', '--consumer', CONSUMER, '--json')).out) as { deadLetters: DeadLetter[] })
      .deadLetters;

  beforeAll(async () => {
    database = await openServerDatabase();
    env = { DATABASE_URL: database.url, KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: `ops-${Date.now()}.` };
    // The test database's owner role runs the service, as in development (runtime.ts reads this from process.env).
    process.env.TASHGHIL_ALLOW_OWNER_ROLE = 'true';
    const store = await openStore(database, MESSAGING_MIGRATIONS);
    eventId = await setTargets(store);
    service = await startService(
      targetsService,
      { ...env, TASHGHIL_MODE: 'distributed', TASHGHIL_ALLOW_OWNER_ROLE: 'true', PORT: '0', LOG_LEVEL: 'error' },
      {
        logDestination: new Writable({ write: (_c, _e, done) => done() }),
      },
    );
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await database.dispose();
  });

  it('lists the poison message, replays it after the fix, applies it once, and shows no lag after', async () => {
    const [dead] = await until('the dead letter', async () => ((await waiting()).length > 0 ? waiting() : undefined));
    expect(dead).toMatchObject({
      consumer: CONSUMER,
      topic: 'tashghil.conventions',
      reason: 'HANDLER_FAILED',
      eventType: 'ProgrammeTargetsSet',
      eventId,
      replayedAt: null,
    });
    expect(dead?.error).toMatch(/region_too_strict/);
    const listed = await ops('dead-letters');
    expect(listed.code).toBe(EXIT.ok);
    expect(listed.out).toMatch(
      new RegExp(
        `^#${dead?.id} ${CONSUMER} tashghil\\.conventions/\\d+@\\d+, \\d+ s ago: HANDLER_FAILED, ProgrammeTargetsSet ${eventId}$`,
        'm',
      ),
    );

    // Replayed before the fix: it fails again, as a new dead letter naming the first.
    expect((await ops('replay', dead?.id ?? '')).code).toBe(EXIT.ok);
    const again = await until('the second dead letter', async () =>
      (await waiting()).find((d) => d.replayOf === dead?.id),
    );
    expect(again.id).not.toBe(dead?.id);
    expect((await waiting()).map((d) => d.id)).toEqual([again.id]);

    await fix(database.db);
    const dry = await ops('replay', again.id, '--dry-run');
    expect(dry).toMatchObject({ code: EXIT.ok, out: expect.stringContaining('dry run: nothing published') });
    const replayed = await ops('replay', again.id, '--json');
    expect(replayed.code).toBe(EXIT.ok);
    expect(JSON.parse(replayed.out)).toMatchObject({
      mode: 'kafka',
      replayed: [{ id: again.id, topic: 'tashghil.conventions', marked: [again.id] }],
    });
    await until('the replay applied', async () => ((await applied(database.db)).length > 0 ? true : undefined));
    expect(await waiting()).toEqual([]);
    const all = JSON.parse((await ops('dead-letters', '--all', '--json')).out) as { deadLetters: DeadLetter[] };
    expect(all.deadLetters.map((d) => [d.id, d.replayedAt !== null])).toEqual([
      [dead?.id, true],
      [again.id, true],
    ]);

    // Refused without --force; forced, published once more, and the inbox drops it.
    const refused = await ops('replay', again.id);
    expect(refused).toMatchObject({ code: EXIT.broken, out: '' });
    expect(refused.err).toMatch(
      /^ops replay: dead letter \d+ was already replayed at .*; add --force to replay it again$/,
    );
    expect((await ops('replay', again.id, '--force')).code).toBe(EXIT.ok);

    const consumers = await until('no lag', async () => {
      const r = await ops('consumers', '--json');
      return r.code === EXIT.ok ? r : undefined;
    });
    const reading = JSON.parse(consumers.out) as {
      broker: string;
      consumers: Array<{
        consumer: string;
        partitions: Array<{ lag: number | null; high: string | null }>;
        projectionBehind: number;
        deadLetters: number;
      }>;
      relays: Array<{ context: string; behind: number }>;
    };
    expect(reading.broker).toBe('kafka');
    const mine = reading.consumers.find((c) => c.consumer === CONSUMER);
    expect(mine).toMatchObject({ projectionBehind: 0, deadLetters: 0 });
    expect(mine?.partitions.length).toBe(DEFAULT_TOPIC_PARTITIONS);
    expect(mine?.partitions.every((x) => x.lag === 0 && x.high !== null)).toBe(true);
    expect(reading.relays.find((r) => r.context === 'conventions')).toMatchObject({ behind: 0 });
    // Three deliveries of the event (the first and two replays), one effect.
    expect(await applied(database.db)).toEqual([eventId]);
    const { rows } = await database.db.query(`SELECT 1 FROM msg.inbox WHERE consumer = $1 AND event_id = $2`, [
      CONSUMER,
      eventId,
    ]);
    expect(rows).toHaveLength(1);
    expect((await ops('consumers')).out).toMatch(
      new RegExp(`^consumer ${CONSUMER}: 0 stored events not yet applied, 0 dead letters waiting$`, 'm'),
    );
  });

  it('answers ids that are not there, or not ids, with one line and its exit code', async () => {
    expect(await ops('replay', '987654321')).toMatchObject({
      code: EXIT.notFound,
      err: 'ops replay: there is no dead letter 987654321',
    });
    expect(await ops('replay', 'seven')).toMatchObject({
      code: EXIT.usage,
      err: expect.stringMatching(/^ops replay: seven is not a dead letter id/),
    });
    expect(await ops('replay')).toMatchObject({ code: EXIT.usage });
    expect(await ops('dead-letters', '--consumer')).toMatchObject({
      code: EXIT.usage,
      err: 'ops dead-letters: --consumer needs a value',
    });
    expect(await ops('rebuild')).toMatchObject({
      code: EXIT.broken,
      err: expect.stringMatching(/no reporting read model/),
    });
  });
});
