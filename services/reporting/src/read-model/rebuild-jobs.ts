import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, IllegalStateError, NotFoundError, type EventStore } from '@tashghil/event-store';
import { LOGGER } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { acquireBuildLease, leaseHolder, releaseBuildLease } from './build-lease';
import { activeSchema, checksums, rebuild } from './generations';

export interface RebuildJob {
  readonly id: string;
  readonly state: 'running' | 'done' | 'failed';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly done: number;
  readonly total: number;
  /** When done: the generation it replaced, the new one, its events and its checksums. */
  readonly result: Record<string, unknown> | null;
  readonly error: string | null;
  readonly finishedAt: string | null;
}

/**
 * A manual rebuild is a job: it starts under the build lease (or is refused while another build
 * holds it), answers at once, and runs in this process; its row says how far it is, so any replica
 * can answer for it. A job whose process died shows as failed once its lease has run out.
 */
@Injectable()
export class RebuildJobs implements OnApplicationShutdown {
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async start(requestedBy: string): Promise<RebuildJob> {
    const db = this.store.db;
    const id = randomUUID();
    const lease = await acquireBuildLease(db, `job-${id}`);
    if (!lease) {
      const other = await leaseHolder(db);
      throw new IllegalStateError(
        'READ_MODEL_BUILD_RUNNING',
        `a read model is being built by ${other?.holder ?? 'another process'}${other?.schema ? ` (${other.schema})` : ''}; one build runs at a time`,
      );
    }
    await db.query(
      `INSERT INTO reporting.rebuild_jobs (id, requested_by, holder, token, state) VALUES ($1, $2, $3, $4, 'running')`,
      [id, requestedBy, lease.holder, lease.token],
    );
    const work = this.run(id, lease).finally(() => this.running.delete(work));
    this.running.add(work);
    return this.get(id);
  }

  async get(id: string): Promise<RebuildJob> {
    const { rows } = await this.store.db.query<{
      id: string;
      state: RebuildJob['state'];
      requested_by: string;
      requested_at: string;
      done: string;
      total: string;
      result: Record<string, unknown> | null;
      error: string | null;
      finished_at: string | null;
      abandoned: boolean;
    }>(
      `SELECT j.id::text, j.state, j.requested_by, to_char(j.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS requested_at,
              j.done::text, j.total::text, j.result, j.error,
              to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished_at,
              j.state = 'running' AND NOT EXISTS (
                SELECT 1 FROM reporting.build_lease l WHERE l.holder = j.holder AND l.token = j.token AND l.expires_at >= now()) AS abandoned
         FROM reporting.rebuild_jobs j WHERE j.id::text = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) throw new NotFoundError('REBUILD_NOT_FOUND', `no rebuild job ${id}`);
    return {
      id: r.id,
      state: r.abandoned ? 'failed' : r.state,
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      done: Number(r.done),
      total: Number(r.total),
      result: r.result,
      error: r.abandoned ? 'the process running it stopped before it finished' : r.error,
      finishedAt: r.finished_at,
    };
  }

  /** Waits for the jobs of this process (a test, a shutdown); they stop at their next page when shutting down. */
  async settled(): Promise<void> {
    await Promise.all([...this.running]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.settled();
  }

  private async run(id: string, lease: { holder: string; token: number }): Promise<void> {
    const db = this.store.db;
    const started = Date.now();
    let reported = 0;
    try {
      const before = await activeSchema(db);
      const result = await rebuild(this.store, {
        lease,
        onProgress: async (done, total) => {
          if (this.stopping) throw new Error('the process stopped');
          if (Date.now() - reported < 1_000 && done < total) return;
          reported = Date.now();
          await db.query(`UPDATE reporting.rebuild_jobs SET done = $2, total = $3 WHERE id = $1`, [id, done, total]);
        },
      });
      const summary = {
        previous: before?.schema ?? null,
        schema: result.schema,
        events: result.applied + result.caughtUp,
        caughtUpAtSwitch: result.caughtUp,
        ms: Date.now() - started,
        steps: result.steps,
        checksums: await checksums(db, result.schema),
      };
      await db.query(
        `UPDATE reporting.rebuild_jobs SET state = 'done', done = total, result = $2, finished_at = now() WHERE id = $1`,
        [id, JSON.stringify(summary)],
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, job: id }, 'read model rebuild failed');
      await db
        .query(`UPDATE reporting.rebuild_jobs SET state = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
          id,
          message,
        ])
        .catch(() => undefined);
    } finally {
      await releaseBuildLease(db, lease).catch(() => undefined);
    }
  }
}
