import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteSqlClient } from '@tashghil/event-store';
import { repoRoot } from '@tashghil/testing';
import { lags } from './faults/checks';

type Line = { readonly msg?: string; readonly stage?: string; readonly [key: string]: unknown };

/** Every process a test started, so a failing one leaves none running. */
const children = new Set<ChildProcess>();

/** `npm start` as a new user runs it: the platform, embedded, on its own data directory, its log lines kept. */
const start = (dataDir: string): { process: ChildProcess; lines: Line[]; exited: Promise<void> } => {
  const lines: Line[] = [];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'services/platform/src/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TASHGHIL_MODE: 'embedded',
      TASHGHIL_DATA_DIR: dataDir,
      KAFKA_BROKERS: '',
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as Line);
  });
  children.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  return { process: child, lines, exited };
};

const until = async (
  what: string,
  found: () => boolean,
  ms = 180_000,
  look: () => Promise<void> = async () => undefined,
): Promise<void> => {
  const deadline = Date.now() + ms;
  for (await look(); !found(); await look()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Starts, waits for `stage` to be logged (and `after` ms more), then kills the process as a power cut would. */
const startAndKill = async (dataDir: string, stage: string, after = 0): Promise<Line[]> => {
  const run = start(dataDir);
  await until(`stage ${stage}`, () => run.lines.some((l) => l.stage === stage) || run.process.exitCode !== null);
  if (after > 0) await new Promise((r) => setTimeout(r, after));
  run.process.kill('SIGKILL');
  await run.exited;
  return run.lines;
};

/**
 * Starts and lets the seeding finish, and the bus deliver all it stored, then stops cleanly. The
 * seeding ends before the subsidies consumer has noticed every hire the relay has yet to deliver; a
 * stop then leaves those for the next start, so a store compared at once would lack some at random.
 */
const startToTheEnd = async (dataDir: string): Promise<Line[]> => {
  const run = start(dataDir);
  await until(
    'platform listening',
    () => run.lines.some((l) => l.msg === 'platform listening') || run.process.exitCode !== null,
  );
  const url = run.lines.find((l) => l.msg === 'platform listening')?.url;
  if (typeof url !== 'string') throw new Error('the platform stopped before it listened');
  // Twice in a row at zero: a consumer's own events are relayed in turn, and delivered to the rest.
  let quiet = 0;
  await until(
    'every event delivered',
    () => quiet >= 2,
    120_000,
    async () => {
      await new Promise((r) => setTimeout(r, 250));
      const { platform } = await lags([{ name: 'platform', base: url }]);
      quiet = platform === 0 ? quiet + 1 : 0;
    },
  );
  run.process.kill('SIGTERM');
  await run.exited;
  return run.lines;
};

/**
 * How many events of each type each category holds: the demo, whatever order it was written in.
 * Streaming proposals are left out: the matching service proposes each published offer's best
 * seekers as they stand when it reads the offer, which depends on how far the seeding had got.
 */
const contents = async (dataDir: string): Promise<Record<string, number>> => {
  const db = await PgliteSqlClient.open(dataDir);
  try {
    const { rows } = await db.query<{ kind: string; n: number }>(
      `SELECT category || ' ' || type AS kind, count(*)::int AS n FROM es.events WHERE metadata->>'actor' IS DISTINCT FROM 'matching-streaming' GROUP BY 1 ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  } finally {
    await db.close();
  }
};

const streams = async (dataDir: string, category: string): Promise<number> => {
  const db = await PgliteSqlClient.open(dataDir);
  try {
    return (
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM es.streams WHERE category = $1`, [category]))
        .rows[0]?.n ?? 0
    );
  } finally {
    await db.close();
  }
};

describe('a first start stopped part-way', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'tashghil-demo-resume-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('ends with the full demo once started again, wherever it was stopped', async () => {
    const whole = dir();
    await startToTheEnd(whole);
    const full = await contents(whole);

    // One directory, stopped in each stage in turn: every start resumes what the one before left,
    // from a convention half-entered to grant files half-followed.
    const cut = dir();
    for (const [stage, after] of [
      ['convention', 100],
      ['matching', 0],
      ['hires', 0],
      ['subsidies', 300],
      ['subsidies', 2_500],
    ] as const) {
      await startAndKill(cut, stage, after);
    }
    const stopped = await contents(cut);
    const last = await startToTheEnd(cut);
    expect(last.some((l) => l.msg === 'demo data ready')).toBe(true);
    expect(await contents(cut)).toEqual(full);
    // The cuts did land inside the seeding: the store lacked part of the demo before the last start.
    expect(stopped).not.toEqual(full);
    const kinds = [
      'conventions.convention ConventionSigned',
      'conventions.committee CommitteeDecisionRecorded',
      'matching.seeker SeekerRegistered',
      'matching.offer OfferPublished',
      'matching.placement SeekerHired',
      'subsidies.grant GrantPaymentRecorded',
      'subsidies.grant GrantContractEnded',
      'subsidies.worksproject WorksSiteCompleted',
    ];
    expect(kinds.filter((k) => (full[k] ?? 0) === 0)).toEqual([]);
    expect(await streams(cut, 'subsidies.grant')).toBe(await streams(whole, 'subsidies.grant'));

    // Complete, a start seeds nothing again and says so.
    const again = await startToTheEnd(cut);
    expect(again.some((l) => l.msg === 'demo data already complete')).toBe(true);
    expect(again.some((l) => typeof l.stage === 'string')).toBe(false);
    expect(await contents(cut)).toEqual(full);
  }, 600_000);
});
