import { existsSync } from 'node:fs';
import { digestLog } from './digest';
import { EventStore } from './event-store';
import { SubjectKeyring } from './personal-data';
import { PgSqlClient } from './pg-client';
import { PgliteSqlClient } from './pglite-client';
import type { SqlClient } from './sql-client';

/** Exit codes an auditor's script can rely on. */
export const EXIT = { ok: 0, broken: 1, usage: 2, unavailable: 3 } as const;

const HELP: Record<string, string> = {
  '': `tashghil audit <command> [options]

  verify                    recompute every hash chain and digest the whole log
  history <stream>          every event of one file: who, when, what, and the correlation chain

Options for every command: --json (machine-readable output), --help.
The store is DATABASE_URL when set, else the embedded store in TASHGHIL_DATA_DIR (./data).
Exit codes: 0 sound, 1 broken or digest mismatch, 2 bad usage, 3 store unavailable.`,
  verify: `tashghil audit verify [--json] [--below-tx <id> --expect-root <hex>]

  Recomputes every stream's hash chain and names the first broken link. Prints a Merkle root over
  every event of finished transactions, with its horizon (belowTx). Keep both; later, pass them back
  with --below-tx and --expect-root to check that nothing under that horizon changed.`,
  history: `tashghil audit history <stream> [--json]

  Lists every event of a stream in order: position, recorded time, type, actor, roles, command,
  correlation and causation ids. Personal fields stay sealed.`,
};

interface Parsed {
  readonly command: string;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | true>>;
}

export const parseArgs = (argv: readonly string[]): Parsed => {
  const args: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) {
      args.push(a);
      continue;
    }
    const name = a.slice(2);
    const next = argv[i + 1];
    if (['below-tx', 'expect-root'].includes(name) && next !== undefined && !next.startsWith('--')) {
      flags[name] = next;
      i += 1;
    } else {
      flags[name] = true;
    }
  }
  return { command: args[0] ?? '', args: args.slice(1), flags };
};

class UsageError extends Error {}

const openDb = async (env: NodeJS.ProcessEnv): Promise<SqlClient> => {
  if (env.DATABASE_URL) return PgSqlClient.fromUrl(env.DATABASE_URL, 2);
  const dir = env.TASHGHIL_DATA_DIR ?? './data';
  // Opening PGlite on a missing directory would create an empty store; an auditor wants to be told.
  if (!existsSync(dir)) throw new Error(`there is no embedded store at ${dir}; run npm start once, or set DATABASE_URL`);
  return PgliteSqlClient.open(dir);
};

const verify = async (store: EventStore, p: Parsed, out: (s: string) => void): Promise<number> => {
  const belowTx = p.flags['below-tx'];
  const expectRoot = p.flags['expect-root'];
  if ((belowTx === undefined) !== (expectRoot === undefined) || belowTx === true || expectRoot === true) {
    throw new UsageError('--below-tx and --expect-root go together, each with a value');
  }
  const chains = await store.verify();
  const digest = await digestLog(store.db, belowTx ? { belowTx } : {});
  const matches = expectRoot === undefined ? undefined : digest.root === expectRoot;
  const ok = chains.ok && matches !== false;
  if (p.flags.json) {
    out(JSON.stringify({ ok, chains, digest, ...(matches === undefined ? {} : { digestMatches: matches }) }));
  } else {
    out(chains.ok ? `chains: sound (${chains.streams} streams, ${chains.events} events)` : `chains: BROKEN at ${chains.firstBroken?.streamId} position ${chains.firstBroken?.streamPosition}: ${chains.firstBroken?.reason}`);
    out(`digest: ${digest.root} over ${digest.events} events, below transaction ${digest.belowTx} (last position ${digest.lastPosition})`);
    if (matches !== undefined) out(matches ? 'digest: matches the one you kept' : 'digest: DIFFERS from the one you kept: something under that horizon changed');
  }
  return ok ? EXIT.ok : EXIT.broken;
};

const history = async (store: EventStore, p: Parsed, out: (s: string) => void): Promise<number> => {
  const stream = p.args[0];
  if (!stream) throw new UsageError('name the stream, e.g. conventions.convention-souss-massa-2020-2022');
  const events = await store.readStream(stream, { decrypt: false });
  if (events.length === 0) {
    out(p.flags.json ? JSON.stringify({ stream, events: [] }) : `no events in ${stream}`);
    return EXIT.broken;
  }
  const rows = events.map((e) => ({
    position: e.streamPosition, globalPosition: e.globalPosition, recordedAt: e.recordedAt, type: e.type, schemaVersion: e.schemaVersion,
    actor: e.metadata.actor ?? null, roles: e.metadata.roles ?? [], command: e.metadata.commandType ?? null,
    correlationId: e.metadata.correlationId ?? null, causationId: e.metadata.causationId ?? null, eventId: e.eventId, data: e.data,
  }));
  if (p.flags.json) out(JSON.stringify({ stream, events: rows }));
  else for (const r of rows) out(`${r.position}\t${r.recordedAt}\t${r.type}\t${String(r.actor)}\t${String(r.command)}\tcorrelation ${String(r.correlationId)}\tcaused by ${String(r.causationId)}`);
  return EXIT.ok;
};

const COMMANDS: Record<string, (store: EventStore, p: Parsed, out: (s: string) => void) => Promise<number>> = { verify, history };

export const runAudit = async (argv: readonly string[], env: NodeJS.ProcessEnv, out: (s: string) => void, err: (s: string) => void): Promise<number> => {
  const p = parseArgs(argv);
  if (p.flags.help || p.command === '' || p.command === 'help') {
    out(HELP[COMMANDS[p.command] ? p.command : ''] ?? '');
    return p.command === '' && !p.flags.help ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[p.command];
  if (!run) {
    err(`audit: unknown command ${p.command}; try --help`);
    return EXIT.usage;
  }
  let db: SqlClient;
  try {
    db = await openDb(env);
  } catch (error) {
    err(`audit: cannot open the store: ${(error as Error).message}`);
    return EXIT.unavailable;
  }
  try {
    const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass('es.events') IS NOT NULL AS present`);
    if (!rows[0]?.present) {
      err('audit: this database holds no event store (no es.events table)');
      return EXIT.unavailable;
    }
    // The auditor reads personal fields sealed, as stored: the keyring is never asked for a key.
    return await run(new EventStore(db, { keyring: new SubjectKeyring('audit-never-decrypts') }), p, out);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`audit ${p.command}: ${error.message}`);
      return EXIT.usage;
    }
    err(`audit ${p.command}: ${(error as Error).message}`);
    return EXIT.unavailable;
  } finally {
    await db.close();
  }
};

if (require.main === module) {
  runAudit(process.argv.slice(2), process.env, (s) => process.stdout.write(`${s}\n`), (s) => process.stderr.write(`${s}\n`))
    .then((code) => process.exit(code), (error: unknown) => {
      process.stderr.write(`audit: ${(error as Error).message}\n`);
      process.exit(EXIT.unavailable);
    });
}
