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
