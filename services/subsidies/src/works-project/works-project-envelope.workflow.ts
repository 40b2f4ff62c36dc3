import type { Workflow } from '@tashghil/event-store';
import type { EnvelopeExceededError } from '../envelope/envelope.decider';
import { reservingPlaces, revisingPlaces } from '../envelope/envelope-places.workflow';
import {
  envelopeReservation,
  worksProjectDecider,
  worksProjectStreamId,
  type DecideWorksProject,
  type LaunchWorksSite,
  type RecordPayroll,
  type WorksProject,
} from './works-project.decider';

/** What the caller holds against the site: the version its client saw, and its access check. */
export interface WorksProjectGuard {
  readonly expectedVersion?: number;
  readonly authorize?: (state: WorksProject) => void;
}

/** The committee's decision and, for an approval, the site's jobs and budget taken from the works envelope. */
export const decideWorksProject = (
  projectId: string,
  command: DecideWorksProject,
  guard: WorksProjectGuard = {},
): Workflow =>
  reservingPlaces(
    { decider: worksProjectDecider, streamId: worksProjectStreamId(projectId), command, ...guard },
    (after) => envelopeReservation(projectId, after),
  );

/** The same decision recorded as a waitlisting, when the envelope refused the approval: its refusal is the reason. */
export const waitlisting = (command: DecideWorksProject, refusal: EnvelopeExceededError): DecideWorksProject => ({
  ...command,
  data: { ...command.data, outcome: 'waitlisted', reason: refusal.message },
});

/**
 * A launch or a payroll, which may re-commit the site (its months moved across a SMIG change, or a
 * SMIG value learnt since), and the site's envelope reservation moved to its last commitment.
 */
export const recommitting = (
  projectId: string,
  command: LaunchWorksSite | RecordPayroll,
  guard: WorksProjectGuard = {},
): Workflow =>
  revisingPlaces(
    { decider: worksProjectDecider, streamId: worksProjectStreamId(projectId), command, ...guard },
    (decided) => {
      const revised = decided.flatMap((e) => (e.type === 'WorksCommitmentRevised' ? [e.data] : [])).at(-1);
      if (!revised) return undefined;
      const { programme, year, component, centimes } = revised.envelope;
      return {
        region: revised.region,
        programme,
        year,
        component,
        file: { kind: 'works-project', id: revised.projectId },
        centimes,
        reason: `works commitment revision ${revised.revision} (${revised.reason})`,
      };
    },
  );
