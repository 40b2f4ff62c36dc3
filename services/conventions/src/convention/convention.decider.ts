import { NotFoundError, type ModelledDecider } from '@tashghil/event-store';
import {
  addMeasure,
  addParty,
  changeMeasure,
  draftConvention,
  editConvention,
  removeMeasure,
  removeParty,
} from './convention-draft.decider';
import { amendConvention, closeConvention, signConvention } from './convention-signed.decider';
import { evolve, initialState } from './convention-state.decider';
import { draftOf, type ConventionCommand, type ConventionEvent, type ConventionState } from './convention.model';
import { conventionQueryModel } from './convention.query-model';

export * from './convention.model';

export const conventionStreamId = (conventionId: string): string => `conventions.convention-${conventionId}`;

const drafted = (state: ConventionState): Exclude<ConventionState, { status: 'none' }> => {
  if (state.status === 'none') throw new NotFoundError('CONVENTION_NOT_FOUND', 'no such convention');
  return state;
};

/** Until the first signature the convention is edited; from then on it changes only by amendment. */
const decide = (command: ConventionCommand, state: ConventionState): ConventionEvent[] => {
  switch (command.type) {
    case 'DraftConvention':
      return draftConvention(command, state);
    case 'EditConvention':
      return editConvention(command, draftOf(state));
    case 'AddParty':
      return addParty(command, draftOf(state));
    case 'RemoveParty':
      return removeParty(command, draftOf(state));
    case 'AddMeasure':
      return addMeasure(command, draftOf(state));
    case 'ChangeMeasure':
      return changeMeasure(command, draftOf(state));
    case 'RemoveMeasure':
      return removeMeasure(command, draftOf(state));
    case 'SignConvention':
      return signConvention(command, drafted(state));
    case 'AmendConvention':
      return amendConvention(command, drafted(state));
    case 'CloseConvention':
      return closeConvention(command, drafted(state));
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

/** Keeps `q.conventions`, the list of conventions, with every append. */
export const conventionDecider: ModelledDecider<ConventionCommand, ConventionState, ConventionEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: conventionQueryModel,
};
