import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buffersOf } from './run-arrays';
import type { CandidateArcs, Progress, SolveRequest, SolveResult } from './solve';

type FromWorker =
  | {
      readonly kind: 'progress';
      readonly phase: Parameters<Progress>[0];
      readonly done: number;
      readonly total: number;
    }
  | { readonly kind: 'done'; readonly result: SolveResult }
  | { readonly kind: 'failed'; readonly name: string; readonly message: string; readonly code?: string };

/** An error of the solving thread, with the name and code it had there (MatchingInputError and its code). */
export class SolveError extends Error {
  constructor(
    name: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * A worker loads TypeScript the way the service does (@swc-node/register), whether the service runs
 * under node -r @swc-node/register or under jest, whose transform a worker does not inherit.
 */
const bootstrap = (file: string): string =>
  [
    `require(${JSON.stringify(require.resolve('@swc-node/register'))});`,
    `require(${JSON.stringify(join(__dirname, file))});`,
  ].join('\n');

/** Rejects when the worker fails, or when it exits before it has answered. */
const rejectOnFailure = (worker: Worker, name: string, answered: () => boolean, reject: (e: Error) => void): void => {
  worker.once('error', reject);
  worker.once('exit', (code) => {
    if (!answered()) reject(new Error(`the ${name} thread stopped with code ${code} before answering`));
  });
};

/**
 * Candidates of seekers `from` .. `to - 1` on a helper thread (candidates.worker.ts). The request is
 * copied to it (the caller keeps its arrays: tens of megabytes at national size); the arcs come back
 * without copying.
 */
export const candidatesOffThread = (request: SolveRequest, from: number, to: number): Promise<CandidateArcs> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap('candidates.worker.ts'), { eval: true, workerData: { request, from, to } });
    let answered = false;
    worker.once('message', (arcs: CandidateArcs) => {
      answered = true;
      resolve(arcs);
    });
    rejectOnFailure(worker, 'candidates', () => answered, reject);
  });

/**
 * Runs `solveRun` on a worker thread (ending it when `signal` aborts). The request's buffers move to the worker (the caller must not
 * use `request.arrays` afterwards); the answer's move back. A worker that fails or exits early
 * rejects the promise.
 */
export const solveOffThread = (
  request: SolveRequest,
  progress: Progress = () => {},
  signal?: AbortSignal,
): Promise<SolveResult> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('the run was stopped before solving'));
    const worker = new Worker(bootstrap('solve.worker.ts'), {
      eval: true,
      workerData: request,
      transferList: buffersOf(request.arrays),
    });
    let answered = false;
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'progress') return progress(message.phase, message.done, message.total);
      answered = true;
      if (message.kind === 'done') resolve(message.result);
      else reject(new SolveError(message.name, message.message, message.code));
    });
    rejectOnFailure(worker, 'solving', () => answered, reject);
    // A service that stops does not wait for a national run: the run resumes elsewhere or at the next start.
    signal?.addEventListener('abort', () => void worker.terminate(), { once: true });
  });
