import { runAudit } from './audit';
import { runOps } from './ops';

export const TASHGHIL_HELP = `tashghil <command> [options]

  audit     the auditor's tools: verify, history, report, rerun-matching (tashghil audit --help)
  ops       the operator's tools: dead-letters, replay, consumers, rebuild (tashghil ops --help)

Exit codes: 0 done, 2 bad usage; each command documents its own in --help.`;

/** `tashghil audit …`: the one entry of the bin, so later tools join as subcommands. */
export const tashghil = async (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> => {
  const [command, ...rest] = argv;
  if (command === 'audit') return runAudit(rest, env, out, err);
  if (command === 'ops') return runOps(rest, env, out, err);
  if (command === undefined || command === '--help' || command === 'help') {
    out(TASHGHIL_HELP);
    return command === undefined ? 2 : 0;
  }
  err(`tashghil: unknown command ${command}; try --help`);
  return 2;
};

/**
 * Runs as a process: waits for stdout to drain before exiting, so a large --json report piped to
 * another program arrives whole.
 */
export const main = (argv: readonly string[] = process.argv.slice(2)): void => {
  const write = (stream: NodeJS.WriteStream) => (s: string) => void stream.write(`${s}\n`);
  tashghil(argv, process.env, write(process.stdout), write(process.stderr))
    .catch((error: unknown) => {
      process.stderr.write(`tashghil: ${(error as Error).message}\n`);
      return 3;
    })
    .then(
      (code) => process.stdout.write('', () => process.exit(code)),
      () => process.exit(3),
    );
};

if (require.main === module) main();
