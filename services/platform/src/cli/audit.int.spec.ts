import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE_MIGRATIONS, EventStore, migrate, PgliteSqlClient, SubjectKeyring } from '@tashghil/event-store';
import { EXIT, runAudit } from './audit';
import { progressTo } from './progress';

const dir = mkdtempSync(join(tmpdir(), 'tashghil-audit-'));
const env = { TASHGHIL_DATA_DIR: dir };
const stream = 'subsidies.grant-audit-0001';

const audit = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAudit(
    argv,
    env,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const withDb = async (work: (db: PgliteSqlClient) => Promise<void>): Promise<void> => {
  const db = await PgliteSqlClient.open(dir);
  try {
    await work(db);
  } finally {
    await db.close();
  }
};

describe('tashghil audit, on an embedded store', () => {
  beforeAll(() =>
    withDb(async (db) => {
      await migrate(db, EVENT_STORE_MIGRATIONS);
      const store = new EventStore(db, { keyring: new SubjectKeyring('test-master-key-not-for-production') });
      await store.append(stream, [
        {
          eventId: '00000000-0000-4000-8000-000000000001',
          type: 'GrantApplied',
          data: { grantId: 'audit-0001' },
          metadata: { actor: 'officer-ma10', correlationId: 'corr-1', commandType: 'ApplyForGrant' },
        },
        {
          eventId: '00000000-0000-4000-8000-000000000002',
          type: 'GrantDecided',
          data: { outcome: 'approved' },
          metadata: { actor: 'ct-ma10', correlationId: 'corr-2', causationId: 'cmd-2', commandType: 'DecideGrant' },
        },
      ]);
    }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a sound store, prints its digest, and confirms it later', async () => {
    const first = await audit('verify', '--json');
    expect(first.code).toBe(EXIT.ok);
    const { digest, chains } = JSON.parse(first.out) as {
      digest: { root: string; belowTx: string; events: number };
      chains: { ok: boolean };
    };
    expect(chains.ok).toBe(true);
    expect(digest.events).toBe(2);
    const again = await audit('verify', '--below-tx', digest.belowTx, '--expect-root', digest.root);
    expect(again).toMatchObject({ code: EXIT.ok, out: expect.stringContaining('matches the one you kept') });
    expect((await audit('verify', '--below-tx', digest.belowTx, '--expect-root', 'ab'.repeat(32))).code).toBe(
      EXIT.broken,
    );
  });

  it('tells a file’s history: who, when, what, and the correlation chain', async () => {
    const h = await audit('history', stream, '--json');
    expect(h.code).toBe(EXIT.ok);
    expect(JSON.parse(h.out)).toMatchObject({
      stream,
      events: [
        { position: 0, type: 'GrantApplied', actor: 'officer-ma10', command: 'ApplyForGrant', correlationId: 'corr-1' },
        { position: 1, type: 'GrantDecided', actor: 'ct-ma10', correlationId: 'corr-2', causationId: 'cmd-2' },
      ],
    });
    expect((await audit('history', stream)).out.split('\n')).toHaveLength(2);
    expect((await audit('history', 'subsidies.grant-nobody')).code).toBe(EXIT.broken);
  });

  it('answers bad usage with exit 2 and one readable line', async () => {
    expect(await audit('frobnicate')).toMatchObject({
      code: EXIT.usage,
      err: expect.stringMatching(/unknown command frobnicate/),
    });
    expect(await audit('verify', '--below-tx', '5')).toMatchObject({
      code: EXIT.usage,
      err: expect.stringMatching(/go together/),
    });
    expect(await audit('history')).toMatchObject({ code: EXIT.usage });
    expect(await audit('verify', '--help')).toMatchObject({
      code: EXIT.ok,
      out: expect.stringContaining('--expect-root'),
    });
    expect((await audit()).code).toBe(EXIT.usage);
    const missing = await runAudit(
      ['verify'],
      { TASHGHIL_DATA_DIR: join(dir, 'nowhere') },
      () => undefined,
      (s) => expect(s).toMatch(/no embedded store/),
    );
    expect(missing).toBe(EXIT.unavailable);
  });

  it('names the first broken link of a tampered row, with exit 1', async () => {
    await withDb(async (db) => {
      await db.transaction(async (tx) => {
        await tx.query(`ALTER TABLE es.events DISABLE TRIGGER events_append_only`);
        await tx.query(
          `UPDATE es.events SET data = '{"outcome": "rejected"}' WHERE stream_id = $1 AND stream_position = 1`,
          [stream],
        );
        await tx.query(`ALTER TABLE es.events ENABLE TRIGGER events_append_only`);
      });
    });
    const v = await audit('verify');
    expect(v).toMatchObject({ code: EXIT.broken, out: expect.stringContaining(`BROKEN at ${stream} position 1`) });
  });

  it('draws its progress on a terminal, redrawn in place and cleared, and nothing when stderr is piped', async () => {
    const drawn: string[] = [];
    const onTerminal = await runAudit(
      ['verify', '--json'],
      env,
      () => undefined,
      () => undefined,
      { progress: progressTo({ isTTY: true, write: (s) => drawn.push(s) }) },
    );
    expect(onTerminal).toBe(EXIT.broken);
    expect(drawn.some((s) => /^\rchains \[#+\.*\] +\d+% \d+\/2/.test(s))).toBe(true);
    expect(drawn.some((s) => s.startsWith('\rdigest ['))).toBe(true);
    expect(drawn.at(-1)).toMatch(/^\r +\r$/);
    expect(drawn.join('')).not.toContain('\n');

    const piped: string[] = [];
    await runAudit(
      ['verify'],
      env,
      () => undefined,
      () => undefined,
      { progress: progressTo({ isTTY: false, write: (s) => piped.push(s) }) },
    );
    expect(piped).toEqual([]);
  });

  it('lists every command and its exit codes in its help', async () => {
    const help = await audit('--help');
    expect(help.code).toBe(EXIT.ok);
    for (const c of ['verify', 'history', 'report', 'rerun-matching']) expect(help.out).toContain(c);
    expect(help.out).toMatch(/4 no such run/);
    for (const c of ['history', 'report', 'rerun-matching'])
      expect((await audit(c, '--help')).out).toMatch(new RegExp(`^tashghil audit ${c}`));
  });
});
