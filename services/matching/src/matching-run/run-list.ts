import { loadAggregate, NotFoundError, selectPage, sql, type EventStore, type SqlPart } from '@tashghil/event-store';
import { decodeCursor, encodeCursor, pageQuery, setPageHeaders } from '@tashghil/service-kit';
import { z } from 'zod';
import {
  matchingRunDecider,
  matchingRunStreamId,
  type MatchingRun,
  type RecordedProposal,
} from './matching-run.decider';
import { readChunks } from './run-chunks';
import { progressOf, RUN_JOBS_TABLE, type RunProgress } from './run-jobs';

export const RUN_STATUSES = ['requested', 'solved', 'completed', 'failed'] as const;
export const runListQuery = pageQuery.extend({ status: z.enum(RUN_STATUSES).optional() });
export const RUN_LIST_PARAMS: Readonly<Record<string, string>> = {
  limit: 'rows per page, 1 to 500 (100 by default)',
  cursor: 'the `next` of the page before',
  status: RUN_STATUSES.join(', '),
};
export const proposalsQuery = pageQuery.pick({ limit: true, cursor: true });

type Http = { url: string; res: { setHeader(name: string, value: string): unknown } };

/** Where a run stands: the phase from its job while it runs, from its record once it ended. */
const phaseOf = (status: MatchingRun['status'], job: RunProgress | undefined) => {
  if (status === 'completed' || status === 'failed') return { phase: status, progress: undefined };
  if (status === 'solved') return { phase: 'recording', progress: job?.phase === 'recording' ? job : undefined };
  return { phase: job?.phase ?? 'queued', progress: job };
};

/** A run as the API shows it: its request, its phase and progress, and its result once solved. */
export const runResource = (run: Exclude<MatchingRun, { status: 'none' }>, job: RunProgress | undefined) => {
  const { phase, progress } = phaseOf(run.status, job);
  const { legacyProposals: _legacy, ...shown } = run as typeof run & { legacyProposals?: unknown };
  const solution = 'solution' in run ? run.solution : undefined;
  return {
    ...shown,
    phase,
    ...(progress
      ? { progress: { done: progress.done, total: progress.total, heartbeatAt: progress.heartbeatAt } }
      : {}),
    ...(solution
      ? { solution: { ...solution, improvementOverGreedy: solution.objective - solution.greedyObjective } }
      : {}),
    links: { self: `/matching-runs/${run.runId}`, proposals: `/matching-runs/${run.runId}/proposals` },
  };
};

export const loadRunResource = async (store: EventStore, runId: string) => {
  const { state, version } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  if (state.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', `no matching run ${runId}`);
  return { resource: runResource(state, await progressOf(store.db, runId)), version };
};

interface RunRow extends Record<string, unknown> {
  readonly stream_id: string;
  readonly run_id: string;
  readonly status: string;
  readonly requested_at: Date | string;
  readonly run_on: string;
  readonly objective: string | number | null;
  readonly placed: number | null;
  readonly proposals: number | null;
  readonly phase: string | null;
  readonly done: string | null;
  readonly total: string | null;
}

const count = (x: string | number | null): number | null => (x === null ? null : Number(x));

/** One page of runs, newest first, from q.matching_runs and the jobs' progress. */
export const listRuns = async (store: EventStore, query: z.infer<typeof runListQuery>, http: Http) => {
  const where: SqlPart[] = query.status ? [sql`r.status = ${query.status}`] : [];
  const after = decodeCursor('matching-runs', query.cursor, 2);
  const { rows, next } = await selectPage<RunRow>(store.db, {
    columns: `r.stream_id, r.run_id, r.status, r.requested_at, r.run_on::text AS run_on, r.objective, r.placed,
              r.proposals, j.phase, j.done::text AS done, j.total::text AS total`,
    from: `q.matching_runs r LEFT JOIN ${RUN_JOBS_TABLE} j ON j.run_id = r.run_id`,
    where,
    orderBy: ['requested_at', 'stream_id'],
    direction: 'desc',
    limit: query.limit,
    ...(after ? { after } : {}),
  });
  const cursor = next ? encodeCursor('matching-runs', next) : null;
  setPageHeaders(http.res, http.url, cursor);
  return {
    runs: rows.map((r) => ({
      runId: r.run_id,
      status: r.status,
      phase: r.status === 'completed' || r.status === 'failed' ? r.status : (r.phase ?? 'queued'),
      ...(r.status === 'requested' || r.status === 'solved'
        ? { progress: { done: count(r.done) ?? 0, total: count(r.total) ?? 0 } }
        : {}),
      requestedAt: new Date(r.requested_at).toISOString(),
      on: r.run_on,
      objective: count(r.objective),
      placed: r.placed,
      proposals: r.proposals,
    })),
    next: cursor,
  };
};

/**
 * One page of a run's proposals, in the order the run recorded them, read from its chunks: a page
 * reads the two or three chunks it spans, however deep it is. The cursor is (chunk, position).
 */
export const listProposals = async (
  store: EventStore,
  runId: string,
  query: z.infer<typeof proposalsQuery>,
  http: Http,
): Promise<{ proposals: RecordedProposal[]; next: string | null }> => {
  const { state } = await loadAggregate(store, matchingRunDecider, matchingRunStreamId(runId));
  if (state.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', `no matching run ${runId}`);
  if (state.status !== 'completed' && state.status !== 'solved') return { proposals: [], next: null };
  const list = `matching-run-proposals:${runId}`;
  const [chunk, position] = (decodeCursor(list, query.cursor, 2) ?? [0, 0]).map(Number) as [number, number];
  let proposals: readonly RecordedProposal[];
  let size: number;
  let chunks: number;
  if (state.status === 'completed' && state.legacyProposals) {
    proposals = state.legacyProposals;
    size = Math.max(1, proposals.length);
    chunks = 1;
  } else {
    size = state.solution.chunkSize;
    chunks = state.solution.chunks;
    const last = Math.min(chunks, chunk + Math.ceil((position + query.limit) / size) + 1);
    proposals = (await readChunks(store, runId, chunk, last)).flatMap((c) => c.proposals);
  }
  const page = proposals.slice(position, position + query.limit);
  const reached = chunk * size + position + page.length;
  const total = state.solution.proposals;
  const next =
    reached < total && page.length > 0 ? encodeCursor(list, [Math.floor(reached / size), reached % size]) : null;
  setPageHeaders(http.res, http.url, next);
  return { proposals: [...page], next };
};
