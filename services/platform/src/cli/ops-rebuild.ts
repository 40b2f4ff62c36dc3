import { setTimeout as sleep } from 'node:timers/promises';
import { EventStore, SubjectKeyring } from '@tashghil/event-store';
import { activeSchema, checksums, REPORTING_CONSUMER, rebuild as rebuildReadModel } from '@tashghil/reporting';
import { UsageError, valueOf, type Parsed } from './args';
import { EXIT, type OpsCommand, type OpsContext } from './ops-command';

interface Rebuilt {
  readonly via: 'direct' | 'http';
  readonly previous: string | null;
  readonly schema: string;
  readonly events: number;
  readonly caughtUpAtSwitch: number;
  readonly ms: number;
  readonly before: Record<string, string> | null;
  readonly after: Record<string, string>;
}

const target = (p: Parsed, env: NodeJS.ProcessEnv): { url: string; token: string } | undefined => {
  const url = valueOf(p, 'url');
  const token = valueOf(p, 'token') ?? env.TASHGHIL_TOKEN;
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/]+/.test(url))
    throw new UsageError(`--url ${url} is not an http(s) address, e.g. --url http://127.0.0.1:3002`);
  if (!token)
    throw new UsageError(
      '--url needs an admin token: --token <jwt> or TASHGHIL_TOKEN (npm run -s token -- --role admin)',
    );
  return { url: url.replace(/\/+$/, ''), token };
};

class ServiceRefused extends Error {}

/** How often the job the service started is asked how far it is. */
const POLL_MS = 500;

const viaHttp = async (ctx: OpsContext, t: { url: string; token: string }): Promise<Rebuilt> => {
  const call = async (method: string, path: string): Promise<Record<string, unknown>> => {
    const res = await ctx.fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, accept: 'application/json' },
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok)
      throw new ServiceRefused(
        `${method} ${path} answered ${res.status}: ${String(body.detail ?? body.title ?? res.statusText)}`,
      );
    return body;
  };
  const live = await call('GET', '/reports/read-model');
  const started = await call('POST', '/reports/read-model/rebuild');
  let job = started;
  const bar = ctx.progress('rebuilding');
  try {
    while (job.state === 'running') {
      if (bar.active) bar.update(Number(job.done), Number(job.total));
      await sleep(POLL_MS);
      job = await call('GET', `/reports/read-model/rebuilds/${encodeURIComponent(String(started.id))}`);
    }
  } finally {
    bar.end();
  }
  if (job.state !== 'done')
    throw new ServiceRefused(
      `the service's rebuild ${String(started.id)} ${String(job.state)}: ${String(job.error ?? 'no reason given')}`,
    );
  const r = (job.result ?? {}) as Record<string, unknown>;
  return {
    via: 'http',
    previous: (r.previous as string | null) ?? null,
    schema: String(r.schema),
    events: Number(r.events),
    caughtUpAtSwitch: Number(r.caughtUpAtSwitch),
    ms: Number(r.ms),
    before: (live.checksums as Record<string, string>) ?? null,
    after: r.checksums as Record<string, string>,
  };
};

/**
 * The reporting consumer group has members while a reporting service (or the platform) runs in the
 * distributed mode. Builds are serialised by the build lease either way, but a rebuild the service
 * runs is a job any of its replicas can answer for, so while one runs the direct way steps aside.
 */
const runningReporting = async ({ kafka, prefix }: OpsContext): Promise<number> => {
  if (!kafka) return 0;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([`${prefix}${REPORTING_CONSUMER}`]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
};

const direct = async (ctx: OpsContext): Promise<Rebuilt | string> => {
  const members = await runningReporting(ctx);
  if (members > 0 && !ctx.p.flags.force) {
    return `a reporting service is running (consumer group ${ctx.prefix}${REPORTING_CONSUMER} has ${members} member${members > 1 ? 's' : ''}): rebuild through it with --url <its address> --token <admin jwt>`;
  }
  const db = await ctx.db();
  const { rows: present } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('reporting.generations') IS NOT NULL AS present`,
  );
  if (!present[0]?.present)
    return 'this database holds no reporting read model (no reporting.generations): start the reporting service once';
  const { rows: building } = await db.query<{ schema_name: string; created: string }>(
    `SELECT schema_name, created_at::text AS created FROM reporting.generations WHERE state = 'building'`,
  );
  if (building.length > 0 && !ctx.p.flags.force) {
    return `generation ${building.map((b) => b.schema_name).join(', ')} is being built (since ${building[0]?.created}); wait for it, or add --force if the process building it has died`;
  }
  const store = new EventStore(db, { keyring: new SubjectKeyring('ops-never-decrypts') });
  const active = await activeSchema(db);
  const before = active ? await checksums(db, active.schema) : null;
  const started = Date.now();
  const bar = ctx.progress('rebuilding');
  const result = await rebuildReadModel(store, {
    ...(bar.active ? { onProgress: (done: number, total: number) => bar.update(done, total) } : {}),
  }).finally(() => bar.end());
  return {
    via: 'direct',
    previous: active?.schema ?? null,
    schema: result.schema,
    events: result.applied + result.caughtUp,
    caughtUpAtSwitch: result.caughtUp,
    ms: Date.now() - started,
    before,
    after: await checksums(db, result.schema),
  };
};

const rebuild = async (ctx: OpsContext): Promise<number> => {
  const { p, out, env } = ctx;
  const t = target(p, env);
  let r: Rebuilt | string;
  try {
    r = t ? await viaHttp(ctx, t) : await direct(ctx);
  } catch (error) {
    if (error instanceof ServiceRefused) r = error.message;
    else throw error;
  }
  if (typeof r === 'string') throw new RebuildRefused(r);
  const same = r.before !== null && Object.keys(r.after).every((table) => r.before?.[table] === r.after[table]);
  if (p.flags.json) {
    out(JSON.stringify({ ...r, same }));
    return EXIT.ok;
  }
  out(
    `rebuilt ${r.via === 'http' ? 'by the reporting service' : 'here'}: ${r.schema} from ${r.events} events (${r.caughtUpAtSwitch} taken in at the switch) in ${(r.ms / 1000).toFixed(1)} s; it replaced ${r.previous ?? 'no generation'}`,
  );
  const width = Math.max(...Object.keys(r.after).map((k) => k.length));
  for (const [table, sum] of Object.entries(r.after)) {
    const was = r.before?.[table];
    out(
      `  ${table.padEnd(width)}  ${was ?? '-'.repeat(32)}  ${sum}  ${was === undefined ? 'new' : was === sum ? 'same' : 'DIFFERS'}`,
    );
  }
  out(
    r.before === null
      ? 'no generation before to compare with'
      : same
        ? 'every table holds the same rows as before'
        : 'some tables differ from the generation replaced (expected after a projection fix)',
  );
  return EXIT.ok;
};

/** A rebuild the command declines to run, or one the service refused: exit 1 with the reason. */
export class RebuildRefused extends Error {}

export const REBUILD: OpsCommand = {
  help: `tashghil ops rebuild [--url <reporting service> --token <admin jwt>] [--force] [--json]

  Rebuilds the reporting read model blue/green: replays the store from position 0 into a new
  generation while the current one keeps serving, switches, and prints each table's checksum
  before and after (equal checksums, equal rows).

  With --url (and --token, or TASHGHIL_TOKEN), the running reporting service does it: it starts
  a job (POST /reports/read-model/rebuild, 202), which this command follows every half second
  (GET /reports/read-model/rebuilds/{id}) until it is done or failed. That is the way while one
  runs. Without --url, this process rebuilds directly on the store (the embedded ./data with the
  platform stopped, or DATABASE_URL), with a progress bar on a terminal; it refuses while a
  reporting consumer group has members on the broker (KAFKA_BROKERS) or a generation is being
  built, unless --force. Either way one build runs at a time: a build holds the read model's build
  lease, and one started while another holds it is refused.

  Exit 0 rebuilt, 1 refused (a reporting service running, a rebuild under way, the service's
  error or its job failed), 2 bad usage, 3 store or service unavailable.`,
  check: (p) => void target(p, { TASHGHIL_TOKEN: 'checked-later' }),
  run: rebuild,
};
