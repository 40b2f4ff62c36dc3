import { parentPort, workerData } from 'node:worker_threads';
import { candidateArcs, type SolveRequest } from './solve';

/* A helper of the solving thread: one range of seekers' candidates, sent back without copying. */
const port = parentPort;
if (!port) throw new Error('candidates.worker runs as a worker thread');
const { request, from, to } = workerData as { request: SolveRequest; from: number; to: number };
const arcs = candidateArcs(request, from, to);
port.postMessage(arcs, [arcs.arcStart.buffer, arcs.arcOffer.buffer, arcs.arcWeight.buffer] as ArrayBuffer[]);
