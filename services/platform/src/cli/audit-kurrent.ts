import { KurrentDBClient, UnavailableError } from '@kurrent/kurrentdb-client';
import { auditMirror, CategorySelection, isKurrentConnectionString, type MirrorAudit } from '@tashghil/kurrent-gateway';
import { UsageError, type Parsed } from './args';
import { EXIT, type AuditCommand, type AuditContext } from './audit-command';

/** Whether the audit's first word is a mirror to verify rather than a command. */
export const isKurrentTarget = (command: string): boolean =>
  isKurrentConnectionString(command) || /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:/.test(command);

/** The server a connection string names, without its credentials, for messages. */
export const serverOf = (connection: string): string =>
  /^[a-z+]+:\/\/(?:[^@/]*@)?([^/?]+)/.exec(connection)?.[1] ?? 'the server';

const selectionOf = (p: Parsed): CategorySelection => {
  if (p.args.length === 0)
    throw new UsageError(
      'name the mirrored categories, e.g. tashghil audit kurrentdb://host:2113?tls=false conventions.*',
    );
  try {
    return new CategorySelection(p.args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};

const sinkOf = (p: Parsed): string => {
  const sink = p.flags.sink ?? 'default';
  if (sink === true) throw new UsageError('--sink needs a value: --sink=<name>');
  return sink;
};

const clientOf = (connection: string): KurrentDBClient => {
  try {
    return KurrentDBClient.connectionString(connection);
  } catch (error) {
    throw new UsageError(`not a KurrentDB connection string: ${(error as Error).message.split('\n', 1)[0]}`);
  }
};

const describe = (r: MirrorAudit, server: string): string =>
  r.ok
    ? `mirror at ${server}: the same as the store (${r.streams} streams, ${r.mirrored} events; ${r.required} required, ${r.pending} not mirrored yet)`
    : `mirror at ${server}: DIFFERS in ${r.stream}${r.revision === undefined ? '' : ` at revision ${r.revision}`}: ${r.reason}`;

const run = async ({ store, p, out, err }: AuditContext): Promise<number> => {
  const server = serverOf(p.command);
  const client = clientOf(p.command);
  try {
    const result = await auditMirror({
      store,
      client,
      categories: selectionOf(p),
      sink: sinkOf(p),
      ...(p.flags.complete ? { complete: true } : {}),
    });
    out(p.flags.json ? JSON.stringify({ server, ...result }) : describe(result, server));
    return result.ok ? EXIT.ok : EXIT.broken;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const why =
      error instanceof UnavailableError
        ? 'no KurrentDB server answers there'
        : (error as Error).message.split('\n', 1)[0];
    const line = `audit kurrentdb: cannot read the mirror at ${server}: ${why}`;
    if (!err) throw new Error(line);
    err(line);
    return EXIT.unavailable;
  } finally {
    await client.dispose();
  }
};

/**
 * `tashghil audit kurrentdb://… <category>…`: a mirror a KurrentDB sink feeds, verified against the
 * store (sink files in services/kurrent-gateway/src/sink).
 */
export const KURRENT_MIRROR: AuditCommand = {
  help: `tashghil audit <kurrentdb://host:port?tls=false> <category>… [--sink=<name>] [--complete] [--json]
  Verifies a KurrentDB mirror of these categories (conventions.convention, or a whole context as
  conventions.*) against the store: every event in the mirror is the store's event at that revision,
  with the same id, type, data and metadata (personal fields sealed in both); every event at or before
  the sink's checkpoint (--sink, default "default") is there, or every event at all with --complete;
  no stream of the categories is in the mirror only.
  Exit codes: 0 the same, 1 the mirror differs (one line says where), 2 bad usage or connection
  string, 3 the store or the mirror cannot be read.`,
  check: (p) => {
    selectionOf(p);
    sinkOf(p);
    void clientOf(p.command).dispose();
  },
  run,
};
