import type { EventStore } from '@tashghil/event-store';
import type { Parsed } from './args';
import type { Progress } from './progress';

/** Exit codes an auditor's script can rely on; `tashghil audit --help` lists them. */
export const EXIT = { ok: 0, broken: 1, usage: 2, unavailable: 3, notFound: 4 } as const;

export interface AuditContext {
  readonly store: EventStore;
  readonly p: Parsed;
  readonly out: (line: string) => void;
  /** Where a command that cannot do its work says why (stderr); commands without it throw instead. */
  readonly err?: (line: string) => void;
  readonly progress: Progress;
}

export interface AuditCommand {
  readonly help: string;
  /** Usage checks that need no store, so a mistyped date is told as such even with no store at hand. */
  readonly check?: (p: Parsed) => void;
  readonly run: (ctx: AuditContext) => Promise<number>;
}
