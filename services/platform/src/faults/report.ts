import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@tashghil/testing';
import type { PhaseCounts } from './load-generator';

export interface PhaseResult {
  readonly name: string;
  readonly fault: string;
  readonly counts: PhaseCounts;
  /** Accepted commands found in the store, in every consumer that takes them and in the read model. */
  readonly found: number;
  readonly exactlyOnce: { readonly ok: boolean; readonly problems: readonly string[] };
  readonly checksum: { readonly equal: boolean; readonly differing: readonly string[]; readonly rebuildMs: number };
  /** From the end of the fault until every command sent before it was answered and found downstream, and every service ready. */
  readonly recoverySeconds: number;
  /** After the load stopped: until every lag read zero. */
  readonly quiescenceSeconds: number;
  readonly notes: readonly string[];
  /** When the phase killed a relay's lease holder: how long its context went unpublished. */
  readonly handover?: HandoverResult;
  /** When the phase interrupted a batch matching run. */
  readonly run?: InterruptedRun;
}

export interface HandoverResult {
  readonly context: string;
  readonly killed: string;
  readonly survivor: string;
  readonly token: number;
  readonly leaseSeconds: number;
  readonly publishSeconds: number;
  readonly eventsInFirstBatch: number;
}

export interface InterruptedRun {
  readonly runId: string;
  readonly killed: string;
  readonly survivor: string;
  /** Chunks stored, of all, when the replica computing the run was killed. */
  readonly chunksAtKill: string;
  /** Some chunks were stored before the kill, and not all. */
  readonly interruptedMidway: boolean;
  readonly proposals: number;
  readonly attempts: number;
  /** From the kill to the survivor's claim on the run, and to its completion. */
  readonly claimSeconds: number;
  readonly completedSeconds: number;
  readonly problems: readonly string[];
}

const yesNo = (ok: boolean): string => (ok ? 'yes' : '**NO**');

export const writeReport = (results: readonly PhaseResult[], meta: Record<string, unknown>): string => {
  const dir = join(repoRoot, 'artifacts/faults');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify({ ...meta, phases: results }, null, 2)}\n`);
  const rows = results.map((r) =>
    [
      r.name,
      r.counts.sent,
      r.counts.accepted,
      r.counts.answers503,
      r.counts.answers500,
      r.counts.connectionErrors,
      r.found,
      yesNo(r.exactlyOnce.ok),
      yesNo(r.checksum.equal),
      r.recoverySeconds.toFixed(1),
      r.quiescenceSeconds.toFixed(1),
    ].join(' | '),
  );
  const md = [
    '# Fault-injection run',
    '',
    Object.entries(meta)
      .map(([k, v]) => `- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n'),
    '',
    'Counts are commands of the load sent during the phase; 503, 500 and lost connections count answers over every attempt (a',
    'command is retried with its Idempotency-Key until it is answered with a 2xx). *Found* is an accepted command whose events',
    'are in es.events, in each consuming service (inbox, and the subsidies envelope for a target set) and in the read model.',
    '*Recovery* runs from the end of the fault until every command sent before that instant is answered and found, and every',
    'service is ready; *quiet* from the end of the load until every relay, consumer and projection lag reads zero.',
    '',
    '| phase | sent | accepted | 503 answers | 500 answers | lost connections | found | exactly once | live = rebuild | recovery s | quiet s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
    ...handoverTable(results),
    ...runTable(results),
    ...results.flatMap((r) => [
      `## ${r.name}`,
      '',
      r.fault,
      '',
      ...r.notes.map((n) => `- ${n}`),
      ...r.exactlyOnce.problems.slice(0, 20).map((p) => `- exactly-once problem: ${p}`),
      ...(r.checksum.equal
        ? [`- read model equals a rebuild from the store (rebuild ${r.checksum.rebuildMs} ms)`]
        : [`- tables differing from the rebuild: ${r.checksum.differing.join(', ')}`]),
      '',
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'report.md'), md);
  return md;
};

const handoverTable = (results: readonly PhaseResult[]): string[] => {
  const rows = results.flatMap((r) => (r.handover ? [{ phase: r.name, ...r.handover }] : []));
  if (rows.length === 0) return [];
  return [
    '## Relay handovers',
    '',
    "The replica holding a context's relay lease (msg.leases) SIGKILLed under load: *lease* runs from the kill to the",
    "survivor's taking the lease, *first publish* to the broker's acknowledgement of the first batch it published (the",
    'shared checkpoint moving under its token).',
    '',
    '| phase | context | killed | survivor | token | lease s | first publish s | events in that batch |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (h) =>
        `| ${h.phase} | ${h.context} | ${h.killed} | ${h.survivor} | ${h.token} | ${h.leaseSeconds.toFixed(1)} | ${h.publishSeconds.toFixed(1)} | ${h.eventsInFirstBatch} |`,
    ),
    '',
  ];
};

const runTable = (results: readonly PhaseResult[]): string[] => {
  const runs = results.flatMap((r) => (r.run ? [{ phase: r.name, ...r.run }] : []));
  if (runs.length === 0) return [];
  return [
    '## Interrupted matching runs',
    '',
    '| phase | run | killed | chunks stored at the kill | finished by | attempts | claimed s | completed s | proposals | recorded once |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.phase} | ${r.runId} | ${r.killed} | ${r.chunksAtKill} | ${r.survivor} | ${r.attempts} | ${r.claimSeconds.toFixed(1)} | ${r.completedSeconds.toFixed(1)} | ${r.proposals} | ${yesNo(r.problems.length === 0)} |`,
    ),
    ...runs.flatMap((r) => r.problems.slice(0, 20).map((p) => `- ${r.runId}: ${p}`)),
    '',
  ];
};
