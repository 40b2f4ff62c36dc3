import { EventStore, SubjectKeyring, type SqlClient } from '@tashghil/event-store';
import { parseArgs, UsageError } from './args';
import { EXIT, type AuditCommand } from './audit-command';
import { isKurrentTarget, KURRENT_MIRROR } from './audit-kurrent';
import { HISTORY, VERIFY } from './audit-log';
import { RERUN_MATCHING } from './audit-matching';
import { REPORT } from './audit-report';
import { progressTo, type Progress } from './progress';
import { openDb } from './store';

export { EXIT } from './audit-command';

const COMMANDS: Readonly<Record<string, AuditCommand>> = {
  verify: VERIFY,
  history: HISTORY,
  report: REPORT,
  'rerun-matching': RERUN_MATCHING,
};

export const AUDIT_HELP = `tashghil audit <command> [options]

  verify                      recompute every hash chain and digest the whole log
  history <stream>            every event of one file: who, when, what, and the correlation chain
  report --as-of <day>        the committee report as it stood at the end of a day
  rerun-matching <run id>     re-run a recorded matching run from its inputs and compare
  kurrentdb://… <category>…   check a KurrentDB mirror (the sink's) against the store, event by event
                              [--sink=<name>] [--complete]

Options for every command: --json (machine-readable output), --help.
The store is DATABASE_URL when set, else the embedded store in TASHGHIL_DATA_DIR (./data).
Long work (verify, report) draws a progress bar on stderr when stderr is a terminal.
Exit codes: 0 sound or the same result; 1 a broken chain, a digest that differs, a stream with no
events or a run that gives a different result; 2 bad usage; 3 store unavailable; 4 no such run.`;

export interface AuditOptions {
  /** How long work shows its progress; by default a bar on stderr when it is a terminal. */
  readonly progress?: Progress;
  /** A database already open (a test's), used as it is and left open. */
  readonly database?: SqlClient;
}

export const runAudit = async (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
  options: AuditOptions = {},
): Promise<number> => {
  const p = parseArgs(argv);
  const mirror = isKurrentTarget(p.command);
  // A connection string can carry a password: messages name it 'kurrentdb', never the URL.
  const label = mirror ? 'kurrentdb' : p.command;
  const command = mirror ? KURRENT_MIRROR : COMMANDS[p.command];
  if (p.flags.help || p.command === '' || p.command === 'help') {
    out(command?.help ?? AUDIT_HELP);
    return p.command === '' && !p.flags.help ? EXIT.usage : EXIT.ok;
  }
  if (!command) {
    err(`audit: unknown command ${p.command}; try --help`);
    return EXIT.usage;
  }
  try {
    command.check?.(p);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`audit ${label}: ${error.message}`);
    return EXIT.usage;
  }
  let db: SqlClient;
  try {
    db = options.database ?? (await openDb(env));
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
    const store = new EventStore(db, { keyring: new SubjectKeyring('audit-never-decrypts') });
    return await command.run({ store, p, out, err, progress: options.progress ?? progressTo(process.stderr) });
  } catch (error) {
    err(`audit ${label}: ${(error as Error).message}`);
    return EXIT.unavailable;
  } finally {
    if (!options.database) await db.close();
  }
};
