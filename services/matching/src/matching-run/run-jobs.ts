import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  ensureQueryModel,
  EVENT_STORE,
  EventStore,
  handleWorkflow,
  type Queryable,
  type SqlClient,
} from '@tashghil/event-store';
import { LOGGER, METRICS, SERVICE_ENV, startDuration, type MetricsRegistry } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { runStep } from './batch-run.workflow';
import { matchingRunDecider } from './matching-run.decider';
import { executeRun, type RunPhase } from './run-job';
import { RUN_CHUNK_SIZE } from './run-proposals.decider';
import { solveOffThread } from './solve-thread';

/** Where each run stands while it runs, and who runs it: operational state beside the run's events. */
export const RUN_JOBS_TABLE = 'q.matching_run_jobs';

export const ensureRunJobs = (db: SqlClient): Promise<void> =>
  // Replicas starting together take turns: two concurrent CREATE TABLE IF NOT EXISTS can collide.
  db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${RUN_JOBS_TABLE}'))`);
    await createRunJobs(tx);
  });

const createRunJobs = async (db: Queryable): Promise<void> => {
  // A service role may create tables in q but not schemas: where roles exist a migration made q.
  const { rows } = await db.query<{ made: boolean }>(`SELECT to_regnamespace('q') IS NOT NULL AS made`);
  if (!rows[0]?.made) await db.query(`CREATE SCHEMA IF NOT EXISTS q`);
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${RUN_JOBS_TABLE} (
       run_id text PRIMARY KEY,
       holder text NOT NULL,
       phase text NOT NULL,
       done bigint NOT NULL DEFAULT 0,
       total bigint NOT NULL DEFAULT 0,
       attempts integer NOT NULL DEFAULT 1,
       started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  );
};

export interface RunProgress {
  readonly phase: 'queued' | RunPhase | 'completed' | 'failed';
  readonly done: number;
  readonly total: number;
  readonly attempts: number;
  readonly heartbeatAt: string;
}

export const progressOf = async (db: Queryable, runId: string): Promise<RunProgress | undefined> => {
  const { rows } = await db.query<{
    phase: RunProgress['phase'];
    done: string;
    total: string;
    attempts: number;
    heartbeat_at: Date;
  }>(`SELECT phase, done::text, total::text, attempts, heartbeat_at FROM ${RUN_JOBS_TABLE} WHERE run_id = $1`, [runId]);
  const row = rows[0];
  return row
    ? {
        phase: row.phase,
        done: Number(row.done),
        total: Number(row.total),
        attempts: row.attempts,
        heartbeatAt: new Date(row.heartbeat_at).toISOString(),
      }
    : undefined;
};

/** How the jobs of one process behave; the defaults suit a service, tests shorten them. */
export interface RunJobSettings {
  /** A run whose holder gave no sign of life for this long is taken over by the next process that looks. */
  readonly leaseMs: number;
  /** How often a process looks for runs nobody runs (requested, or interrupted by a crash). */
  readonly sweepMs: number;
  /** A run that failed this many times without a rule to blame is recorded as failed. */
  readonly maxAttempts: number;
  readonly chunkSize?: number;
}

const settingsFrom = (env: NodeJS.ProcessEnv): RunJobSettings => {
  const chunkSize = Number(env.MATCHING_RUN_CHUNK_SIZE ?? RUN_CHUNK_SIZE);
  return {
    leaseMs: Number(env.MATCHING_RUN_LEASE_MS ?? 30_000),
    sweepMs: Number(env.MATCHING_RUN_SWEEP_MS ?? 5_000),
    maxAttempts: 3,
    // Smaller chunks only (a test's several chunks from a few proposals): the decider refuses larger.
    chunkSize: Math.min(RUN_CHUNK_SIZE, Math.max(1, Math.floor(chunkSize) || RUN_CHUNK_SIZE)),
  };
};

/**
 * The batch runs this process computes, each off the request that asked for it, its CPU work on a
 * worker thread. A run is claimed through its row in q.matching_run_jobs and kept by a heartbeat: a
 * run whose process died (its heartbeat stopped) is taken over at the next start, or by another
 * replica, and resumed from its record (run-job.ts).
 */
@Injectable()
export class MatchingRunJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, { abort: AbortController; finished: Promise<void> }>();
  private settings: RunJobSettings;
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(METRICS) private readonly metrics: MetricsRegistry,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(SERVICE_ENV) env: NodeJS.ProcessEnv,
  ) {
    this.settings = settingsFrom(env);
  }

  configure(settings: Partial<RunJobSettings>): void {
    this.settings = { ...this.settings, ...settings };
    if (this.sweeper) this.sweepEvery();
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureQueryModel(this.store, matchingRunDecider);
    await ensureRunJobs(this.store.db);
    this.sweepEvery();
    await this.sweep();
  }

  private sweepEvery(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = setInterval(() => void this.sweep(), this.settings.sweepMs);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    const jobs = [...this.running.values()];
    for (const job of jobs) job.abort.abort();
    await Promise.all(jobs.map((job) => job.finished));
  }

  /** Runs nobody runs: requested or solved, with no holder or a holder gone quiet. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      const { rows } = await this.store.db.query<{ run_id: string }>(
        `SELECT r.run_id FROM q.matching_runs r LEFT JOIN ${RUN_JOBS_TABLE} j ON j.run_id = r.run_id
          WHERE r.status IN ('requested', 'solved')
            AND (j.run_id IS NULL OR j.heartbeat_at < clock_timestamp() - $1::bigint * interval '1 millisecond')
          ORDER BY r.requested_at LIMIT 10`,
        [String(this.settings.leaseMs)],
      );
      for (const { run_id } of rows) await this.start(run_id);
    } catch (error) {
      this.log.warn({ err: error }, 'could not look for matching runs to take up');
    }
  }

  /** Claims the run and runs it in the background; false when another process holds it. */
  async start(runId: string): Promise<boolean> {
    if (this.stopped || this.running.has(runId)) return false;
    const { rows } = await this.store.db.query<{ attempts: number }>(
      `INSERT INTO ${RUN_JOBS_TABLE} AS j (run_id, holder, phase) VALUES ($1, $2, 'queued')
       ON CONFLICT (run_id) DO UPDATE
          SET holder = excluded.holder, phase = 'queued', done = 0, total = 0, attempts = j.attempts + 1,
              heartbeat_at = clock_timestamp()
        WHERE j.heartbeat_at < clock_timestamp() - $3::bigint * interval '1 millisecond'
       RETURNING attempts`,
      [runId, this.holder, String(this.settings.leaseMs)],
    );
    const claimed = rows[0];
    if (!claimed) return false;
    const abort = new AbortController();
    const job = { abort, finished: Promise.resolve() };
    this.running.set(runId, job);
    job.finished = this.run(runId, claimed.attempts, abort)
      .catch((error: unknown) =>
        this.log.error({ err: error, runId }, 'matching run stopped; it will be taken up again'),
      )
      .finally(() => this.running.delete(runId));
    return true;
  }

  private async run(runId: string, attempts: number, abort: AbortController): Promise<void> {
    const meta = { actor: 'matching-run', roles: ['admin'], correlationId: `run:${runId}` };
    if (attempts > this.settings.maxAttempts) {
      await handleWorkflow(this.store, [
        runStep(
          runId,
          {
            type: 'FailMatchingRun',
            data: { code: 'RUN_ABANDONED', message: `stopped ${attempts - 1} times without finishing` },
          },
          { ...meta, now: new Date().toISOString(), commandId: '' },
          'failed',
        ),
      ]);
      return;
    }
    let current: { phase: RunProgress['phase']; done: number; total: number } = { phase: 'queued', done: 0, total: 0 };
    const beat = async (): Promise<void> => {
      const { rowCount } = await this.store.db.query(
        `UPDATE ${RUN_JOBS_TABLE} SET phase = $3, done = $4, total = $5, heartbeat_at = clock_timestamp()
          WHERE run_id = $1 AND holder = $2`,
        [runId, this.holder, current.phase, current.done, current.total],
      );
      if (rowCount === 0) abort.abort();
    };
    const heart = setInterval(() => void beat().catch(() => {}), Math.max(50, Math.floor(this.settings.leaseMs / 3)));
    const done = startDuration(
      this.metrics,
      'matching_run_duration_seconds',
      'National batch matching runs, from reading the inputs to the last proposal recorded',
    );
    try {
      const end = await executeRun(this.store, runId, {
        solve: (request, progress) => solveOffThread(request, progress, abort.signal),
        progress: async (phase, d, total) => {
          if (abort.signal.aborted) throw new Error(`run ${runId} stopped here: the service stops or another holds it`);
          const changed = phase !== current.phase;
          current = { phase, done: d, total };
          if (changed) await beat();
        },
        metadata: meta,
        signal: abort.signal,
        ...(this.settings.chunkSize ? { chunkSize: this.settings.chunkSize } : {}),
      });
      if (end.status === 'completed') done();
      await this.store.db.query(
        `UPDATE ${RUN_JOBS_TABLE} SET phase = $3, done = total WHERE run_id = $1 AND holder = $2`,
        [runId, this.holder, end.status],
      );
    } finally {
      clearInterval(heart);
      // Stopped before its end (the service stops): the next process to look takes it up at once.
      if (abort.signal.aborted && this.stopped)
        await this.store.db
          .query(`UPDATE ${RUN_JOBS_TABLE} SET heartbeat_at = '-infinity' WHERE run_id = $1 AND holder = $2`, [
            runId,
            this.holder,
          ])
          .catch(() => {});
    }
  }
}
