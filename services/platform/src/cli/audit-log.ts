import { digestLog, readHistory, verifyChains, type Queryable } from '@tashghil/event-store';
import { UsageError, type Parsed } from './args';
import { EXIT, type AuditCommand, type AuditContext } from './audit-command';
import type { ProgressBar } from './progress';

const horizon = (p: Parsed): { belowTx?: string; expectRoot?: string } => {
  const belowTx = p.flags['below-tx'];
  const expectRoot = p.flags['expect-root'];
  if ((belowTx === undefined) !== (expectRoot === undefined) || belowTx === true || expectRoot === true) {
    throw new UsageError('--below-tx and --expect-root go together, each with a value');
  }
  return { ...(belowTx ? { belowTx } : {}), ...(expectRoot ? { expectRoot } : {}) };
};

/**
 * The store's SQL, counting the rows each page returns: verifyChains reads the log page by page in
 * one pass, so the rows it has read are its progress, without a hook in the library.
 */
const counting = (db: Queryable, bar: ProgressBar, total: number): Queryable => {
  let done = 0;
  return {
    query: async <R>(text: string, params?: readonly unknown[]) => {
      const result = await db.query<R>(text, params);
      done += result.rows.length;
      bar.update(Math.min(done, total), total);
      return result;
    },
  };
};

const verify = async ({ store, p, out, progress }: AuditContext): Promise<number> => {
  const { belowTx, expectRoot } = horizon(p);
  const chainsBar = progress('chains');
  // Counting is a scan of its own: done only when someone watches the bar.
  const total = chainsBar.active
    ? Number((await store.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM es.events`)).rows[0]?.n ?? 0)
    : 0;
  const chains = await verifyChains(chainsBar.active ? counting(store.db, chainsBar, total) : store.db).finally(() =>
    chainsBar.end(),
  );
  const digestBar = progress('digest');
  const digest = await digestLog(store.db, {
    ...(belowTx ? { belowTx } : {}),
    onProgress: (n) => digestBar.update(Math.min(n, total), total),
  }).finally(() => digestBar.end());
  const matches = expectRoot === undefined ? undefined : digest.root === expectRoot;
  const ok = chains.ok && matches !== false;
  if (p.flags.json) {
    out(JSON.stringify({ ok, chains, digest, ...(matches === undefined ? {} : { digestMatches: matches }) }));
  } else {
    out(
      chains.ok
        ? `chains: sound (${chains.streams} streams, ${chains.events} events)`
        : `chains: BROKEN at ${chains.firstBroken?.streamId} position ${chains.firstBroken?.streamPosition}: ${chains.firstBroken?.reason}`,
    );
    out(
      `digest: ${digest.root} over ${digest.events} events, below transaction ${digest.belowTx} (last position ${digest.lastPosition})`,
    );
    if (matches !== undefined)
      out(
        matches
          ? 'digest: matches the one you kept'
          : 'digest: DIFFERS from the one you kept: something under that horizon changed',
      );
  }
  return ok ? EXIT.ok : EXIT.broken;
};

const history = async ({ store, p, out }: AuditContext): Promise<number> => {
  const stream = p.args[0] ?? '';
  const events = await readHistory(store, stream);
  if (events.length === 0) {
    out(p.flags.json ? JSON.stringify({ stream, events: [] }) : `no events in ${stream}`);
    return EXIT.broken;
  }
  if (p.flags.json) out(JSON.stringify({ stream, events }));
  else
    for (const r of events)
      out(
        `${r.position}\t${r.recordedAt}\t${r.type}\t${String(r.actor)}\t${String(r.command)}\tcorrelation ${String(r.correlationId)}\tcaused by ${String(r.causationId)}`,
      );
  return EXIT.ok;
};

export const VERIFY: AuditCommand = {
  help: `tashghil audit verify [--json] [--below-tx <id> --expect-root <hex>]

  Recomputes every stream's hash chain and names the first broken link. Prints a Merkle root over
  every event of finished transactions, with its horizon (belowTx). Keep both; later, pass them back
  with --below-tx and --expect-root to check that nothing under that horizon changed.

  Exit 0 sound (and the digest matches), 1 a broken chain or a digest that differs, 2 bad usage,
  3 store unavailable.`,
  check: (p) => void horizon(p),
  run: verify,
};

export const HISTORY: AuditCommand = {
  help: `tashghil audit history <stream> [--json]

  Lists every event of a stream in order: position, recorded time, type, actor, roles, command,
  correlation and causation ids. Personal fields stay sealed.

  Exit 0 listed, 1 no events in that stream, 2 no stream named, 3 store unavailable.`,
  check: (p) => {
    if (!p.args[0]) throw new UsageError('name the stream, e.g. conventions.convention-souss-massa-2020-2022');
  },
  run: history,
};
