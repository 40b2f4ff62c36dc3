import { eventIdFor, type SqlClient } from '@tashghil/event-store';
import { call, tokenFor } from '@tashghil/testing';
import { firstEventId, type CommandRecord, type Kind } from './load-generator';

export const ADMIN = tokenFor({ sub: 'faults-admin', roles: ['admin'] });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The event a command's effect downstream hangs on: the last step's first event (the offer's publication). */
const keyEventId = (c: CommandRecord): string => {
  const last = c.steps[c.steps.length - 1];
  if (!last) throw new Error(`command ${c.id} has no steps`);
  return firstEventId(c, last);
};

/** Where each kind lands in the reporting read model, keyed by the command's id. */
const READ_MODEL: Record<Kind, string> = {
  targets: `SELECT programme AS id FROM {s}.programme_revisions WHERE programme = ANY($1) AND year = 2025`,
  convention: `SELECT convention_id AS id FROM {s}.conventions WHERE convention_id = ANY($1)`,
  works: `SELECT project_id AS id FROM {s}.works_sites WHERE project_id = ANY($1)`,
  offer: `SELECT offer_id AS id FROM {s}.offers WHERE offer_id = ANY($1) AND published_on IS NOT NULL`,
};

const activeSchema = async (db: SqlClient): Promise<string> => {
  const { rows } = await db.query<{ schema_name: string }>(
    `SELECT schema_name FROM reporting.generations WHERE state = 'active'`,
  );
  const schema = rows[0]?.schema_name;
  if (!schema || !/^reporting_g\d+$/.test(schema)) throw new Error('no active read model');
  return schema;
};

export interface Found {
  /** Accepted commands whose events are all in the store, in every consumer's inbox and in the read model. */
  readonly found: number;
  readonly missing: string[];
}

/** Which of `commands` have gone all the way: stored, consumed by every consumer that takes them, projected. */
export const findCommands = async (db: SqlClient, commands: readonly CommandRecord[]): Promise<Found> => {
  const stored = new Set(
    (
      await db.query<{ id: string }>(`SELECT event_id::text AS id FROM es.events WHERE event_id = ANY($1::uuid[])`, [
        commands.flatMap((c) => c.steps.map((s) => firstEventId(c, s))),
      ])
    ).rows.map((r) => r.id),
  );
  const inbox = new Set(
    (
      await db.query<{ k: string }>(
        `SELECT consumer || ':' || event_id::text AS k FROM msg.inbox WHERE event_id = ANY($1::uuid[])`,
        [commands.map(keyEventId)],
      )
    ).rows.map((r) => r.k),
  );
  const envelopes = new Set(
    (
      await db.query<{ id: string }>(`SELECT event_id::text AS id FROM es.events WHERE event_id = ANY($1::uuid[])`, [
        commands.filter((c) => c.kind === 'targets').map((c) => eventIdFor(`subsidies:${keyEventId(c)}`, 0)),
      ])
    ).rows.map((r) => r.id),
  );
  const schema = await activeSchema(db);
  const projected = new Set<string>();
  for (const [kind, sql] of Object.entries(READ_MODEL)) {
    const ids = commands.filter((c) => c.kind === kind).map((c) => c.id);
    if (ids.length === 0) continue;
    for (const r of (await db.query<{ id: string }>(sql.replace('{s}', schema), [ids])).rows) projected.add(r.id);
  }
  const missing = commands
    .filter((c) => {
      const key = keyEventId(c);
      const consumed =
        inbox.has(`reporting:${key}`) &&
        (c.kind !== 'targets' || (inbox.has(`subsidies:${key}`) && envelopes.has(eventIdFor(`subsidies:${key}`, 0))));
      return !(c.steps.every((s) => stored.has(firstEventId(c, s))) && consumed && projected.has(c.id));
    })
    .map((c) => c.id);
  return { found: commands.length - missing.length, missing };
};

export interface ExactlyOnce {
  readonly ok: boolean;
  readonly problems: string[];
}

/**
 * Each accepted command's events are stored once: its command id names exactly the events it
 * derived (no second batch under another id), its stream holds one event of that type (a retry did
 * not decide again), the subsidies consumer recorded one envelope per target set, and the read
 * model holds one row per accepted command and none for a refused one.
 */
export const exactlyOnce = async (db: SqlClient, commands: readonly CommandRecord[]): Promise<ExactlyOnce> => {
  const problems: string[] = [];
  const accepted = commands.filter((c) => c.outcome === 'accepted');
  const byCommand = new Map(
    (
      await db.query<{ c: string; ids: string[] }>(
        `SELECT metadata->>'commandId' AS c, array_agg(event_id::text) AS ids FROM es.events WHERE metadata->>'commandId' = ANY($1) GROUP BY 1`,
        [commands.flatMap((c) => c.steps.map((s) => `officer-${c.region}:${s.key}`))],
      )
    ).rows.map((r) => [r.c, r.ids]),
  );
  for (const c of commands) {
    for (const s of c.steps) {
      const commandId = `officer-${c.region}:${s.key}`;
      const ids = byCommand.get(commandId) ?? [];
      const derived = new Set(ids.map((_, i) => eventIdFor(commandId, i)));
      if (c.outcome === 'accepted' && ids.length === 0)
        problems.push(`${c.id}: ${s.method} ${s.path} accepted but not stored`);
      if (ids.some((id) => !derived.has(id)))
        problems.push(`${c.id}: ${s.method} ${s.path} stored events under ids it does not derive`);
      if (c.outcome === 'refused' && ids.length > 0)
        problems.push(`${c.id}: refused, yet ${ids.length} event(s) stored`);
    }
  }
  const streams = await db.query<{ stream_id: string; type: string; n: number }>(
    `SELECT e.stream_id, e.type, count(*)::int AS n FROM es.events e
      WHERE e.stream_id IN (SELECT stream_id FROM es.events WHERE event_id = ANY($1::uuid[])) GROUP BY 1, 2 HAVING count(*) > 1`,
    [accepted.map(keyEventId)],
  );
  for (const r of streams.rows) problems.push(`stream ${r.stream_id} holds ${r.n} ${r.type} events`);
  const envelopes = await db.query<{ source: string; n: number }>(
    `SELECT data->>'sourceEventId' AS source, count(*)::int AS n FROM es.events
      WHERE type = 'EnvelopeLimitsSet' AND data->>'sourceEventId' = ANY($1) GROUP BY 1`,
    [accepted.filter((c) => c.kind === 'targets').map(keyEventId)],
  );
  for (const r of envelopes.rows)
    if (r.n !== 1) problems.push(`target set ${r.source} recorded ${r.n} times by the subsidies consumer`);
  const schema = await activeSchema(db);
  for (const [kind, sql] of Object.entries(READ_MODEL)) {
    const ofKind = commands.filter((c) => c.kind === kind);
    const rows = (await db.query<{ id: string }>(sql.replace('{s}', schema), [ofKind.map((c) => c.id)])).rows.map(
      (r) => r.id,
    );
    const acceptedIds = new Set(ofKind.filter((c) => c.outcome === 'accepted').map((c) => c.id));
    const refused = new Set(ofKind.filter((c) => c.outcome === 'refused').map((c) => c.id));
    if (new Set(rows).size !== rows.length) problems.push(`${kind}: a read-model row appears twice`);
    const projectedAccepted = rows.filter((id) => acceptedIds.has(id)).length;
    if (projectedAccepted !== acceptedIds.size)
      problems.push(`${kind}: ${acceptedIds.size} accepted, ${projectedAccepted} in the read model`);
    for (const id of rows.filter((x) => refused.has(x))) problems.push(`${kind}: refused ${id} is in the read model`);
  }
  return { ok: problems.length === 0, problems };
};

/** A running replica the checks ask: its name (`conventions#1`) and address. */
export interface Endpoint {
  readonly name: string;
  readonly base: string;
}

/** Each replica's lags as its /metrics reads them: relay, broker (consumer) and projection lag, summed. */
export const lags = async (endpoints: readonly Endpoint[]): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const { name, base } of endpoints) {
    try {
      const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      out[name] = text
        .split('\n')
        .filter((l) =>
          /^(relay_lag_events|subscription_lag_events|consumer_lag_messages|projection_lag_events)\{/.test(l),
        )
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    } catch {
      out[name] = Number.NaN;
    }
  }
  return out;
};

export const allReady = async (endpoints: readonly Endpoint[]): Promise<boolean> => {
  const answers = await Promise.all(
    endpoints.map(async ({ base }) => {
      try {
        return (await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(5_000) })).status === 200;
      } catch {
        return false;
      }
    }),
  );
  return answers.every(Boolean);
};

/**
 * Polls until the system has caught up with `commands()`: every one of them answered, every
 * accepted one found downstream, every replica of `endpoints()` ready and, when `zeroLag`, every lag
 * at zero.
 * Returns the seconds it took, or throws after `ms`.
 */
export const waitCaughtUp = async (
  db: SqlClient,
  endpoints: () => readonly Endpoint[],
  commands: () => readonly CommandRecord[],
  options: { ms: number; zeroLag: boolean },
): Promise<number> => {
  const started = Date.now();
  let last = '';
  let quiet = 0;
  for (;;) {
    try {
      const cs = commands();
      const pending = cs.filter((c) => c.outcome === 'pending').length;
      const { missing } =
        pending > 0
          ? { missing: [] }
          : await findCommands(
              db,
              cs.filter((c) => c.outcome === 'accepted'),
            );
      const ready = await allReady(endpoints());
      const lag = options.zeroLag ? await lags(endpoints()) : {};
      const lagging = Object.entries(lag).filter(([, n]) => n !== 0);
      // Zero lag twice in a row: one scrape reads a process's lags side by side, so an event stored
      // between two of its readings (streaming proposals, written before their checkpoint moves)
      // can read as neither behind the subscription nor behind the relay.
      quiet = pending === 0 && missing.length === 0 && ready && lagging.length === 0 ? quiet + 1 : 0;
      if (quiet >= (options.zeroLag ? 2 : 1)) return (Date.now() - started) / 1_000;
      last = `pending ${pending}, missing ${missing.length} (${missing.slice(0, 3).join(', ')}), ready ${ready}, lags ${JSON.stringify(lag)}`;
    } catch (error) {
      last = `check failed: ${(error as Error).message}`;
    }
    if (Date.now() - started > options.ms) throw new Error(`not caught up after ${options.ms / 1_000} s: ${last}`);
    await sleep(500);
  }
};

export interface ChecksumVerdict {
  readonly equal: boolean;
  readonly differing: string[];
  readonly rebuildMs: number;
}

/**
 * Starts a rebuild and answers the new generation's checksums: at once from a 200, or, where the
 * rebuild is a job (202 and its resource), once `GET /reports/read-model/rebuilds/{id}` says done.
 * A 409 (another build holds the build lease) is asked again.
 */
const rebuildChecksums = async (reporting: string, ms = 120_000): Promise<Record<string, string>> => {
  const deadline = Date.now() + ms;
  let started = await call(reporting, 'POST', '/reports/read-model/rebuild', ADMIN);
  while (started.status === 409 && Date.now() < deadline) {
    await sleep(1_000);
    started = await call(reporting, 'POST', '/reports/read-model/rebuild', ADMIN);
  }
  if (started.status === 200) return started.body.checksums as Record<string, string>;
  if (started.status !== 202)
    throw new Error(`POST /reports/read-model/rebuild answered ${started.status} ${JSON.stringify(started.body)}`);
  const id = String(started.body.id);
  for (;;) {
    const job = await call(reporting, 'GET', `/reports/read-model/rebuilds/${id}`, ADMIN);
    const state = job.body.state;
    if (job.status === 200 && state === 'done')
      return (job.body.result as { checksums: Record<string, string> }).checksums;
    if (job.status !== 200 || state === 'failed' || Date.now() > deadline)
      throw new Error(`the rebuild ${id} answered ${job.status} ${JSON.stringify(job.body)}`);
    await sleep(250);
  }
};

/** The live read model against a fresh blue/green rebuild from the store, table by table. */
export const compareWithRebuild = async (reporting: string): Promise<ChecksumVerdict> => {
  const live = await call(reporting, 'GET', '/reports/read-model', ADMIN);
  if (live.status !== 200) throw new Error(`GET /reports/read-model answered ${live.status}`);
  const started = Date.now();
  const a = live.body.checksums as Record<string, string>;
  const b = await rebuildChecksums(reporting);
  const tables = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return {
    equal: tables.every((t) => a[t] === b[t]),
    differing: tables.filter((t) => a[t] !== b[t]),
    rebuildMs: Date.now() - started,
  };
};

/** Dead letters recorded since `sinceId`, by consumer, topic and reason. */
export const deadLettersSince = async (
  db: SqlClient,
  sinceId: number,
): Promise<Array<{ id: number; consumer: string; topic: string; partition: number; offset: string; reason: string }>> =>
  (
    await db.query<{ id: number; consumer: string; topic: string; partition: number; offset: string; reason: string }>(
      `SELECT id::int AS id, consumer, topic, partition, "offset"::text AS offset, reason FROM msg.dead_letters WHERE id > $1 ORDER BY id`,
      [sinceId],
    )
  ).rows;

export const lastDeadLetterId = async (db: SqlClient): Promise<number> =>
  Number((await db.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM msg.dead_letters`)).rows[0]?.id ?? 0);
