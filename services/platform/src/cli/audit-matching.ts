import { DomainError } from '@tashghil/event-store';
import { replayMatchingRun } from '@tashghil/matching';
import { UsageError } from './args';
import { EXIT, type AuditCommand, type AuditContext } from './audit-command';

const rerun = async ({ store, p, out }: AuditContext): Promise<number> => {
  const runId = p.args[0] ?? '';
  try {
    const r = await replayMatchingRun(store, runId);
    if (p.flags.json) {
      out(JSON.stringify(r));
    } else {
      out(
        r.sameResult
          ? `run ${runId}: same result (objective ${r.objective.recorded}, no proposal differs)`
          : `run ${runId}: DIFFERENT result: objective ${r.objective.recorded} recorded, ${r.objective.replayed} now; ${r.differingProposals} proposals differ`,
      );
      out(`inputs: ${r.sameInputs ? 'the same as recorded' : 'DIFFERENT from the hash the run recorded'}`);
      out(`engine: ${r.engine.recorded} recorded, ${r.engine.now} now`);
    }
    return r.sameResult ? EXIT.ok : EXIT.broken;
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'RUN_NOT_FOUND') throw error;
    out(p.flags.json ? JSON.stringify({ runId, found: false }) : `no matching run ${runId}`);
    return EXIT.notFound;
  }
};

export const RERUN_MATCHING: AuditCommand = {
  help: `tashghil audit rerun-matching <run id> [--json]

  Re-runs a recorded batch matching run from its recorded inputs: the seekers and offers as they
  stood at the run's checkpoint, its parameters and regional multipliers. Says whether the inputs
  hash and the result (objective and every seeker–offer pair) are the same; events written after
  the run do not change what it reads.

  Exit 0 same result, 1 different result, 4 no such run, 2 no run named, 3 store unavailable.`,
  check: (p) => {
    if (!p.args[0]) throw new UsageError('name the run, e.g. tashghil audit rerun-matching national-2024-03');
  },
  run: rerun,
};
