import { IllegalStateError, ValidationError, type Command, type Decider } from '@tashghil/event-store';

export interface Period {
  readonly start: string;
  readonly end: string;
}

export type DraftConvention = Command<'DraftConvention', {
  readonly conventionId: string;
  readonly region: string;
  readonly title: string;
  readonly period: Period;
}>;

export type ConventionCommand = DraftConvention;

export type ConventionDrafted = {
  readonly type: 'ConventionDrafted';
  readonly schemaVersion: 1;
  readonly data: DraftConvention['data'] & { readonly draftedAt: string; readonly draftedBy: string };
};

export type ConventionEvent = ConventionDrafted;

export type Convention =
  | { readonly status: 'none' }
  | { readonly status: 'drafted'; readonly conventionId: string; readonly region: string; readonly title: string; readonly period: Period };

export const conventionStreamId = (conventionId: string): string => `conventions.convention-${conventionId}`;

const initialState = (): Convention => ({ status: 'none' });

const evolve = (state: Convention, event: ConventionEvent): Convention => {
  switch (event.type) {
    case 'ConventionDrafted': {
      const { conventionId, region, title, period } = event.data;
      return { status: 'drafted', conventionId, region, title, period };
    }
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
};

const draft = (command: DraftConvention, state: Convention): ConventionEvent[] => {
  if (state.status !== 'none') {
    throw new IllegalStateError('CONVENTION_ALREADY_EXISTS', `convention ${command.data.conventionId} already exists`);
  }
  const { period } = command.data;
  if (period.end < period.start) {
    throw new ValidationError('PERIOD_ENDS_BEFORE_START', 'the period must end on or after its start', [
      { path: 'period.end', message: `${period.end} is before the start ${period.start}` },
    ]);
  }
  return [{
    type: 'ConventionDrafted',
    schemaVersion: 1,
    data: { ...command.data, draftedAt: command.metadata.now, draftedBy: command.metadata.actor },
  }];
};

const decide = (command: ConventionCommand, state: Convention): ConventionEvent[] => {
  switch (command.type) {
    case 'DraftConvention':
      return draft(command, state);
    default: {
      const _exhaustive: never = command.type;
      return [];
    }
  }
};

export const conventionDecider: Decider<ConventionCommand, Convention, ConventionEvent> = { initialState, evolve, decide };
