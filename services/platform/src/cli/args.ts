export interface Parsed {
  readonly command: string;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | true>>;
}

/** The audit's flags that take the next word as their value; every other `--flag` is a switch. */
const AUDIT_VALUED = ['below-tx', 'expect-root', 'as-of', 'region'];

/** A usage mistake: the command answers it with exit 2 and one readable line. */
export class UsageError extends Error {}

/**
 * `report --as-of 2022-12-31 --json` → command `report`, flags `as-of` and `json`; `--as-of=…` works
 * too. `valued` names the flags that take the next word as their value.
 */
export const parseArgs = (argv: readonly string[], valued: readonly string[] = AUDIT_VALUED): Parsed => {
  const args: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) {
      args.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 2) {
      flags[a.slice(2, eq)] = a.slice(eq + 1);
      continue;
    }
    const name = a.slice(2);
    const next = argv[i + 1];
    if (valued.includes(name) && next !== undefined && !next.startsWith('--')) {
      flags[name] = next;
      i += 1;
    } else {
      flags[name] = true;
    }
  }
  return { command: args[0] ?? '', args: args.slice(1), flags };
};

/** A flag's value, or undefined when absent; a valued flag given without a value is a usage error. */
export const valueOf = (p: Parsed, flag: string): string | undefined => {
  const v = p.flags[flag];
  if (v === true) throw new UsageError(`--${flag} needs a value`);
  return v;
};
