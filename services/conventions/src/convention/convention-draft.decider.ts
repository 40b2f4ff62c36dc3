import { IllegalStateError, NotFoundError } from '@tashghil/event-store';
import { checkAmounts, checkPeriod } from './convention-state.decider';
import type {
  AddMeasure,
  AddParty,
  ChangeMeasure,
  ConventionEvent,
  ConventionState,
  draftOf,
  DraftConvention,
  EditConvention,
  RemoveMeasure,
  RemoveParty,
} from './convention.model';

/** The convention while it may still be edited: drafted, and no signature collected yet. */
type Draft = ReturnType<typeof draftOf>;

export const draftConvention = (command: DraftConvention, state: ConventionState): ConventionEvent[] => {
  if (state.status !== 'none')
    throw new IllegalStateError('CONVENTION_ALREADY_EXISTS', `convention ${command.data.conventionId} already exists`);
  checkPeriod(command.data.period);
  return [
    {
      type: 'ConventionDrafted',
      schemaVersion: 1,
      data: {
        ...command.data,
        legalBasis: command.data.legalBasis ?? [],
        draftedAt: command.metadata.now,
        draftedBy: command.metadata.actor,
      },
    },
  ];
};

export const editConvention = (command: EditConvention, draft: Draft): ConventionEvent[] => {
  const period = command.data.period ?? draft.period;
  checkPeriod(period);
  for (const measure of draft.measures)
    checkAmounts(measure.target, measure.budget, period, `measures.${measure.measureId}.`);
  return [{ type: 'ConventionEdited', data: { conventionId: draft.conventionId, changes: command.data } }];
};

export const addParty = (command: AddParty, draft: Draft): ConventionEvent[] => {
  if (draft.parties.some((party) => party.partyId === command.data.partyId))
    throw new IllegalStateError('PARTY_ALREADY_ADDED', `party ${command.data.partyId} is already a party`);
  return [
    {
      type: 'PartyAdded',
      data: {
        conventionId: draft.conventionId,
        party: { ...command.data, mustSign: command.data.mustSign ?? true },
      },
    },
  ];
};

export const removeParty = (command: RemoveParty, draft: Draft): ConventionEvent[] => {
  if (!draft.parties.some((party) => party.partyId === command.data.partyId))
    throw new NotFoundError('PARTY_NOT_FOUND', `no party ${command.data.partyId}`);
  return [{ type: 'PartyRemoved', data: { conventionId: draft.conventionId, partyId: command.data.partyId } }];
};

export const addMeasure = (command: AddMeasure, draft: Draft): ConventionEvent[] => {
  if (draft.measures.some((measure) => measure.measureId === command.data.measureId))
    throw new IllegalStateError('MEASURE_ALREADY_ADDED', `measure ${command.data.measureId} already exists`);
  checkAmounts(command.data.target, command.data.budget, draft.period, '');
  return [{ type: 'MeasureAdded', data: { conventionId: draft.conventionId, measure: command.data } }];
};

export const changeMeasure = (command: ChangeMeasure, draft: Draft): ConventionEvent[] => {
  const current = draft.measures.find((measure) => measure.measureId === command.data.measureId);
  if (!current) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure ${command.data.measureId}`);
  checkAmounts(command.data.target, command.data.budget, draft.period, '');
  return [
    {
      type: 'MeasureChanged',
      data: { conventionId: draft.conventionId, measure: { ...current, ...command.data } },
    },
  ];
};

export const removeMeasure = (command: RemoveMeasure, draft: Draft): ConventionEvent[] => {
  if (!draft.measures.some((measure) => measure.measureId === command.data.measureId))
    throw new NotFoundError('MEASURE_NOT_FOUND', `no measure ${command.data.measureId}`);
  return [{ type: 'MeasureRemoved', data: { conventionId: draft.conventionId, measureId: command.data.measureId } }];
};
