import { DomainError, NotFoundError, type SqlClient } from '@tashghil/event-store';
import { kafkaClient } from '@tashghil/messaging';
import type { ServiceSpec } from '@tashghil/service-kit';
import { platformService } from '../service';
import { parseArgs, UsageError } from './args';
import { CONSUMERS } from './ops-consumers';
import { DEAD_LETTERS, REPLAY } from './ops-dead-letters';
import { EXIT, type OpsCommand } from './ops-command';
import { REBUILD, RebuildRefused } from './ops-rebuild';
import { progressTo, type Progress } from './progress';
import { openDb } from './store';

export { EXIT } from './ops-command';

const COMMANDS: Readonly<Record<string, OpsCommand>> = {
  'dead-letters': DEAD_LETTERS,
  replay: REPLAY,
  consumers: CONSUMERS,
  rebuild: REBUILD,
};

/** Flags of these commands that take the next word as their value (`--consumer reporting`). */
const VALUED = ['consumer', 'topic', 'url', 'token'];

export const OPS_HELP = `tashghil ops <command> [options]

  dead-letters                 the messages consumers could not apply, not yet replayed
  replay <id>…                 publish dead letters again once their cause is fixed
  consumers                    each consumer's position and lag, each relay's against the store
  rebuild [--url U --token T]  rebuild the reporting read model blue/green, checksums before/after

Options for every command: --json (machine-readable output), --help.
The store is DATABASE_URL when set, else the embedded store in TASHGHIL_DATA_DIR (./data), which
only one process may open: stop the platform first. KAFKA_BROKERS (and KAFKA_TOPIC_PREFIX) name the
broker of the distributed mode; without it, the embedded mode's in-process bus is assumed.
Exit codes: 0 done; 1 refused, behind or failed again; 2 bad usage; 3 store, broker or service
unavailable; 4 no such dead letter.`;

export interface OpsOptions {
  readonly progress?: Progress;
  /** A database already open (a test's), used as it is and left open. */
  readonly database?: SqlClient;
  /** The composition whose consumers are read and, in the embedded mode, started for a replay. */
  readonly service?: ServiceSpec;
  readonly fetch?: typeof fetch;
}

export const runOps = async (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
  options: OpsOptions = {},
): Promise<number> => {
  const p = parseArgs(argv, VALUED);
  const command = COMMANDS[p.command];
  if (p.flags.help || p.command === '' || p.command === 'help') {
    out(command?.help ?? OPS_HELP);
    return p.command === '' && !p.flags.help ? EXIT.usage : EXIT.ok;
  }
  if (!command) {
    err(`ops: unknown command ${p.command}; try --help`);
    return EXIT.usage;
  }
  try {
    command.check?.(p);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`ops ${p.command}: ${error.message}`);
    return EXIT.usage;
  }
  let opened: SqlClient | undefined;
  const db = async (): Promise<SqlClient> => {
    if (options.database) return options.database;
    try {
      opened ??= await openDb(env);
    } catch (error) {
      throw new Error(`cannot open the store: ${(error as Error).message}`);
    }
    return opened;
  };
  const kafka = env.KAFKA_BROKERS ? kafkaClient(env.KAFKA_BROKERS, 'tashghil-ops') : undefined;
  try {
    return await command.run({
      p,
      env,
      out,
      db,
      kafka,
      prefix: env.KAFKA_TOPIC_PREFIX ?? '',
      service: options.service ?? platformService,
      progress: options.progress ?? progressTo(process.stderr),
      fetch: options.fetch ?? fetch,
    });
  } catch (error) {
    err(`ops ${p.command}: ${(error as Error).message}`);
    if (error instanceof UsageError) return EXIT.usage;
    if (error instanceof NotFoundError) return EXIT.notFound;
    if (error instanceof DomainError || error instanceof RebuildRefused) return EXIT.broken;
    return EXIT.unavailable;
  } finally {
    await opened?.close();
  }
};
