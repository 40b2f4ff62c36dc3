import { NotFoundError, type Decider } from '@tashghil/event-store';
import { decideProject, launch, propose } from './works-project-approval.decider';
import { complete, enrol, recordPayroll } from './works-project-site.decider';
import {
  evolve,
  initialState,
  type WorksProject,
  type WorksProjectCommand,
  type WorksProjectEvent,
} from './works-project-state.decider';

export { envelopeReservation, monthSpan } from './works-project-approval.decider';
export {
  beneficiarySubjectId,
  WORKS_PROJECT_CATEGORY,
  worksProjectStreamId,
  type ActiveWorksProject,
  type BeneficiaryCategories,
  type Certificate,
  type CompleteWorksSite,
  type DecideWorksProject,
  type EnrolBeneficiary,
  type LaunchWorksSite,
  type ProposeWorksProject,
  type RecordPayroll,
  type WorksBeneficiaryEnrolled,
  type WorksBeneficiaryIdentified,
  type WorksCommitmentRevised,
  type WorksPayrollRecorded,
  type WorksProject,
  type WorksProjectCommand,
  type WorksProjectDecided,
  type WorksProjectEvent,
  type WorksProjectProposed,
  type WorksProjectStatus,
  type WorksSiteCompleted,
  type WorksSiteLaunched,
} from './works-project-state.decider';

const decide = (c: WorksProjectCommand, s: WorksProject): WorksProjectEvent[] => {
  if (c.type === 'ProposeWorksProject') return propose(c, s);
  if (s.status === 'none') throw new NotFoundError('PROJECT_NOT_FOUND', 'no such works project');
  switch (c.type) {
    case 'DecideWorksProject':
      return decideProject(c, s);
    case 'LaunchWorksSite':
      return launch(c, s);
    case 'EnrolBeneficiary':
      return enrol(c, s);
    case 'RecordPayroll':
      return recordPayroll(c, s);
    case 'CompleteWorksSite':
      return complete(c, s);
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

export const worksProjectDecider: Decider<WorksProjectCommand, WorksProject, WorksProjectEvent> = {
  initialState,
  evolve,
  decide,
};
