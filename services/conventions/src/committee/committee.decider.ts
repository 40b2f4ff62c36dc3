import { NotFoundError, type ModelledDecider } from '@tashghil/event-store';
import { holdMeeting, recordDecision } from './committee-meetings.decider';
import { establish, updateMembership } from './committee-membership.decider';
import {
  evolve,
  initialState,
  type Committee,
  type CommitteeCommand,
  type CommitteeEvent,
  type EstablishedCommittee,
} from './committee-state.decider';
import { committeeQueryModel } from './committee.query-model';

export {
  COMMITTEE_CATEGORY,
  committeeStreamId,
  parentFrom,
  type Attendee,
  type Committee,
  type CommitteeCommand,
  type CommitteeDecisionRecorded,
  type CommitteeEstablished,
  type CommitteeEvent,
  type CommitteeKind,
  type CommitteeMeetingHeld,
  type CommitteeMembershipUpdated,
  type Decision,
  type DecisionOutcome,
  type EstablishCommittee,
  type EstablishedCommittee,
  type FileReference,
  type HoldMeeting,
  type Meeting,
  type Member,
  type ParentCommittee,
  type RecordDecision,
  type Seat,
  type UpdateMembership,
} from './committee-state.decider';

const existing = (state: Committee, committeeId: string): EstablishedCommittee => {
  if (state.status === 'none') throw new NotFoundError('COMMITTEE_NOT_FOUND', `no committee ${committeeId}`);
  return state;
};

const decide = (command: CommitteeCommand, state: Committee): CommitteeEvent[] => {
  switch (command.type) {
    case 'EstablishCommittee':
      return establish(command, state);
    case 'UpdateMembership':
      return updateMembership(command, existing(state, command.data.committeeId));
    case 'HoldMeeting':
      return holdMeeting(command, existing(state, command.data.committeeId));
    case 'RecordDecision':
      return recordDecision(command, existing(state, command.data.committeeId));
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

/** Keeps `q.committees`, the list of committees, with every append. */
export const committeeDecider: ModelledDecider<CommitteeCommand, Committee, CommitteeEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: committeeQueryModel,
};
