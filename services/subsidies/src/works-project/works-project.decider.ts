import { NotFoundError, type ModelledDecider } from '@tashghil/event-store';
import { decideProject, launch, propose } from './works-project-approval.decider';
import { complete, enrol, recordPayroll } from './works-project-site.decider';
import {
  evolve,
  initialState,
  type ActiveWorksProject,
  type WorksProject,
  type WorksProjectCommand,
  type WorksProjectEvent,
} from './works-project-state.decider';
import { worksProjectQueryModel } from './works-project.query-model';

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

const existing = (state: WorksProject): ActiveWorksProject => {
  if (state.status === 'none') throw new NotFoundError('PROJECT_NOT_FOUND', 'no such works project');
  return state;
};

const decide = (command: WorksProjectCommand, state: WorksProject): WorksProjectEvent[] => {
  switch (command.type) {
    case 'ProposeWorksProject':
      return propose(command, state);
    case 'DecideWorksProject':
      return decideProject(command, existing(state));
    case 'LaunchWorksSite':
      return launch(command, existing(state));
    case 'EnrolBeneficiary':
      return enrol(command, existing(state));
    case 'RecordPayroll':
      return recordPayroll(command, existing(state));
    case 'CompleteWorksSite':
      return complete(command, existing(state));
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

/** Keeps `q.works_projects`, the list of sites and what their tracking counts, with every append. */
export const worksProjectDecider: ModelledDecider<WorksProjectCommand, WorksProject, WorksProjectEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: worksProjectQueryModel,
};
