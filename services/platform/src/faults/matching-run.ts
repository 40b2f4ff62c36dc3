import type { SqlClient } from '@tashghil/event-store';
import { call, officer } from '@tashghil/testing';
import { ADMIN } from './checks';
import { replicaName, type Services } from './cluster';
import type { ReplicaFaults } from './replica-faults';
import { beforeKill } from './replicas';
import type { InterruptedRun } from './report';

/**
 * A national batch run as a job (services/matching matching-run: `POST /matching-runs` answers 202
 * and a run is claimed through its row in q.matching_run_jobs), interrupted by the SIGKILL of the
 * replica computing it and finished by another.
 */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const REGIONS = Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`);

/**
 * Registers `count` seekers of the load's offers' occupation (ISCO 6111), over every region, willing
 * to move anywhere: each is a candidate for every offer of the load. Spread over the replicas; a
 * lost connection or a 503 is retried on the next one under the same Idempotency-Key.
 */
export const seedSeekers = async (bases: readonly string[], prefix: string, count: number): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let n = next++; n < count; n = next++) {
      const region = REGIONS[n % REGIONS.length] ?? 'MA-01';
      const body = {
        seekerId: `${prefix}-s${n}`,
        registeredOn: '2025-01-15',
        region,
        province: 'Province',
        gender: n % 2 === 0 ? 'female' : 'male',
        birthDate: '1995-06-01',
        education: 'primary',
        occupations: ['6111'],
        skills: ['irrigation'],
        languages: ['ar'],
        disability: false,
        pandemicJobLoss: false,
        area: 'rural',
        mobility: 'any_region',
        fullName: `Chercheur ${n}`,
        cin: `AB${String(100_000 + n).slice(-6)}`,
      };
      for (let attempt = 0; ; attempt += 1) {
        const base = bases[(n + attempt) % bases.length] ?? '';
        const res = await call(base, 'POST', '/seekers', officer(region), body, {
          'idempotency-key': `${prefix}-s${n}`,
        }).catch(() => ({ status: 0, body: {} }));
        if (res.status >= 200 && res.status < 300) break;
        if ((res.status !== 0 && res.status !== 503) || attempt > 20)
          throw new Error(`POST /seekers answered ${res.status} ${JSON.stringify(res.body)}`);
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
};

export const requestRun = async (base: string, runId: string): Promise<void> => {
  const res = await call(base, 'POST', '/matching-runs', ADMIN, { runId }, { 'idempotency-key': `${runId}-request` });
  if (res.status !== 202) throw new Error(`POST /matching-runs answered ${res.status} ${JSON.stringify(res.body)}`);
};

export interface RunJob {
  readonly holder: string;
  /** The holder's pid, the second field of its id (`host:pid:nonce`, run-jobs.ts). */
  readonly pid: number;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly attempts: number;
}

export const runJob = async (db: SqlClient, runId: string): Promise<RunJob | undefined> => {
  const { rows } = await db.query<{ holder: string; phase: string; done: string; total: string; attempts: number }>(
    `SELECT holder, phase, done::text, total::text, attempts FROM q.matching_run_jobs WHERE run_id = $1`,
    [runId],
  );
  const row = rows[0];
  return row
    ? {
        holder: row.holder,
        pid: Number(row.holder.split(':')[1]),
        phase: row.phase,
        done: Number(row.done),
        total: Number(row.total),
        attempts: row.attempts,
      }
    : undefined;
};

const chunksStored = async (db: SqlClient, runId: string, before?: number): Promise<number> => {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM es.events WHERE stream_id LIKE $1 AND type = 'MatchingRunProposalsRecorded'
        AND ($2::bigint IS NULL OR recorded_at <= to_timestamp($2::bigint / 1000.0))`,
    [`matching.runProposals-${runId}.%`, before === undefined ? null : String(before)],
  );
  return rows[0]?.n ?? 0;
};

const runEnded = async (db: SqlClient, runId: string): Promise<boolean> => {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM es.events WHERE stream_id = $1 AND type IN ('MatchingRunCompleted', 'MatchingRunFailed')`,
    [`matching.run-${runId}`],
  );
  return (rows[0]?.n ?? 0) > 0;
};

/**
 * Waits until the run has stored its first chunk, read off the store (the job row's progress is only
 * written every few seconds), and answers its job: the instant to interrupt it. Throws when it ends
 * first, since a run too small to interrupt proves nothing.
 */
export const waitMidRecording = async (db: SqlClient, runId: string, ms = 90_000): Promise<RunJob> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await runJob(db, runId);
    if (job && (await chunksStored(db, runId)) > 0) {
      if (await runEnded(db, runId)) throw new Error(`the run ${runId} ended before it could be interrupted`);
      return job;
    }
    if (Date.now() > deadline)
      throw new Error(`the run ${runId} was not recording after ${ms / 1_000} s: ${JSON.stringify(job)}`);
    await sleep(10);
  }
};

export interface RunResource {
  readonly status: string;
  readonly solution?: { readonly proposals: number; readonly chunks: number; readonly proposalsDigest: string };
  readonly [k: string]: unknown;
}

/** Polls the run's resource on whichever replica answers, until it has completed or failed. */
export const waitRunEnded = async (bases: () => readonly string[], runId: string, ms: number): Promise<RunResource> => {
  const deadline = Date.now() + ms;
  let last = '';
  for (let n = 0; ; n += 1) {
    const all = bases();
    const res = await call(all[n % all.length] ?? '', 'GET', `/matching-runs/${runId}`, ADMIN).catch(() => undefined);
    const run = res?.body as RunResource | undefined;
    if (res?.status === 200 && (run?.status === 'completed' || run?.status === 'failed')) return run;
    last = `${res?.status ?? 'no answer'} ${JSON.stringify(res?.body ?? {}).slice(0, 300)}`;
    if (Date.now() > deadline) throw new Error(`the run ${runId} had not ended after ${ms / 1_000} s: ${last}`);
    await sleep(250);
  }
};

/** The run's proposals through its paged API, every page. */
export const pagedProposals = async (base: string, runId: string): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await call(base, 'GET', `/matching-runs/${runId}/proposals?limit=100${query}`, ADMIN);
    if (res.status !== 200) throw new Error(`GET proposals answered ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as { proposals?: Array<{ placementId: string }>; next?: string | null };
    ids.push(...(body.proposals ?? []).map((p) => p.placementId));
    cursor = body.next ?? null;
  } while (cursor);
  return ids;
};

/**
 * What "no proposal recorded twice" means in the store: one request, one solution and one completion
 * on the run's stream; each chunk stream written once, the chunks together holding the solution's
 * count of proposals with no placement twice; each of those placements proposed once on its own
 * stream; and the paged API listing the same proposals once each.
 */
export const runRecordedOnce = async (
  db: SqlClient,
  run: RunResource,
  runId: string,
  paged: readonly string[],
): Promise<string[]> => {
  const problems: string[] = [];
  const solution = run.solution;
  if (run.status !== 'completed' || !solution) return [`the run ended ${run.status}: ${JSON.stringify(run)}`];
  const types = new Map(
    (
      await db.query<{ type: string; n: number }>(
        `SELECT type, count(*)::int AS n FROM es.events WHERE stream_id = $1 GROUP BY 1`,
        [`matching.run-${runId}`],
      )
    ).rows.map((r) => [r.type, r.n]),
  );
  for (const type of ['MatchingRunRequested', 'MatchingRunSolved', 'MatchingRunCompleted'])
    if (types.get(type) !== 1) problems.push(`the run's stream holds ${types.get(type) ?? 0} ${type}`);
  const chunks = (
    await db.query<{ stream_id: string; n: number; proposals: number }>(
      `SELECT stream_id, count(*)::int AS n, sum(jsonb_array_length(data->'proposals'))::int AS proposals
         FROM es.events WHERE stream_id LIKE $1 AND type = 'MatchingRunProposalsRecorded' GROUP BY 1`,
      [`matching.runProposals-${runId}.%`],
    )
  ).rows;
  if (chunks.length !== solution.chunks) problems.push(`${chunks.length} chunk streams for ${solution.chunks} chunks`);
  for (const c of chunks) if (c.n !== 1) problems.push(`chunk stream ${c.stream_id} written ${c.n} times`);
  const stored = chunks.reduce((n, c) => n + c.proposals, 0);
  if (stored !== solution.proposals) problems.push(`${stored} proposals in the chunks, ${solution.proposals} solved`);
  const placements = (
    await db.query<{ id: string; n: number; proposed: number }>(
      `WITH recorded AS (
         SELECT p->>'placementId' AS id, count(*)::int AS n
           FROM es.events e, jsonb_array_elements(e.data->'proposals') p
          WHERE e.stream_id LIKE $1 AND e.type = 'MatchingRunProposalsRecorded' GROUP BY 1)
       SELECT r.id, r.n, (SELECT count(*)::int FROM es.events x
                           WHERE x.stream_id = 'matching.placement-' || r.id AND x.type = 'PlacementProposed') AS proposed
         FROM recorded r`,
      [`matching.runProposals-${runId}.%`],
    )
  ).rows;
  for (const p of placements) {
    if (p.n !== 1) problems.push(`placement ${p.id} is in ${p.n} chunks`);
    if (p.proposed !== 1) problems.push(`placement ${p.id} proposed ${p.proposed} times`);
  }
  if (paged.length !== solution.proposals)
    problems.push(`the API lists ${paged.length} proposals, ${solution.proposals} solved`);
  if (new Set(paged).size !== paged.length) problems.push('the API lists a proposal twice');
  return problems;
};

/**
 * The phase's run: seekers registered, a run requested from the matching replica holding the relay
 * lease (the replica asked computes it), that replica killed once some chunks are stored and not
 * all; then the run awaited on the survivor and its record checked.
 */
export class RunInterruption {
  private interrupted: { holder: string; at: number } | undefined;
  private claimed: Promise<number> = Promise.resolve(Number.NaN);

  constructor(
    private readonly services: Services,
    private readonly db: SqlClient,
    private readonly faults: ReplicaFaults,
    readonly runId: string,
    private readonly boundMs: number,
  ) {}

  async inject(prefix: string, seekers: number): Promise<string[]> {
    const seeding = Date.now();
    await seedSeekers(this.services.bases('matching'), prefix, seekers);
    const seeded = `${seekers} seekers registered in ${((Date.now() - seeding) / 1_000).toFixed(1)} s`;
    const holder = this.services.byPid((await beforeKill(this.db, 'matching')).lease.pid);
    await requestRun(holder?.base ?? this.services.base('matching'), this.runId);
    const job = await waitMidRecording(this.db, this.runId);
    const computing = this.services.byPid(job.pid);
    if (!computing) throw new Error(`no replica has the run's holder pid ${job.pid}`);
    const notes = await this.faults.kill('matching', computing, (at) => {
      this.interrupted = { holder: job.holder, at };
      this.claimed = this.waitClaimed(job.holder);
    });
    return [seeded, ...notes];
  }

  /** Polls the run's job row until another holder has claimed it; answers when. */
  private async waitClaimed(from: string): Promise<number> {
    const deadline = Date.now() + this.boundMs;
    while (Date.now() < deadline) {
      const job = await runJob(this.db, this.runId);
      if (job && job.holder !== from) return Date.now();
      if (await runEnded(this.db, this.runId)) return Number.NaN;
      await sleep(100);
    }
    return Number.NaN;
  }

  async finish(): Promise<{ notes: string[]; run: InterruptedRun }> {
    const interrupted = this.interrupted;
    if (!interrupted) throw new Error('the run was not interrupted');
    const matching = () =>
      this.services
        .live()
        .filter((e) => e.name.startsWith('matching#'))
        .map((e) => e.base);
    const ended = await waitRunEnded(matching, this.runId, this.boundMs);
    // Read off the store once it is over: chunks recorded by the killed replica, of all.
    const atKill = await chunksStored(this.db, this.runId, interrupted.at);
    const completedSeconds = (Date.now() - interrupted.at) / 1_000;
    const claimedAt = await this.claimed;
    const job = await runJob(this.db, this.runId);
    const paged = await pagedProposals(this.services.base('matching'), this.runId);
    const survivor = job ? this.services.byPid(job.pid) : undefined;
    const killed = this.faults.killedReplica;
    const run: InterruptedRun = {
      runId: this.runId,
      killed: killed ? replicaName(killed.replica) : '?',
      survivor: survivor ? replicaName(survivor) : (job?.holder ?? '?'),
      chunksAtKill: `${atKill} of ${ended.solution?.chunks ?? '?'}`,
      interruptedMidway: atKill > 0 && atKill < (ended.solution?.chunks ?? 0),
      proposals: ended.solution?.proposals ?? 0,
      attempts: job?.attempts ?? 0,
      claimSeconds: (claimedAt - interrupted.at) / 1_000,
      completedSeconds,
      problems: await runRecordedOnce(this.db, ended, this.runId, paged),
    };
    return {
      run,
      notes: [
        `the run ${ended.status} on ${run.survivor} (attempt ${run.attempts}), claimed ${run.claimSeconds.toFixed(1)} s and completed ${completedSeconds.toFixed(1)} s after the kill, with ${run.proposals} proposals in ${ended.solution?.chunks ?? 0} chunks`,
      ],
    };
  }
}
