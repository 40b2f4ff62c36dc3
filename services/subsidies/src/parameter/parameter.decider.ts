import { ValidationError, type Command, type Decider, AppendList, invalidField } from '@tashghil/event-store';
import { BASELINE, isParameterName, PARAMETERS } from '../rules/parameters';

export type SetParameterValue = Command<
  'SetParameterValue',
  {
    readonly name: string;
    readonly effectiveFrom: string;
    readonly value: number;
    readonly reference: string;
  }
>;
export type ParameterCommand = SetParameterValue;

export type ParameterValueSet = {
  readonly type: 'ParameterValueSet';
  readonly schemaVersion: 1;
  readonly data: SetParameterValue['data'] & { readonly setBy: string; readonly setAt: string };
};

/** Every value recorded, in order; a parameter's stream only grows, so its fold appends. */
export type ParameterState = { readonly values: AppendList<ParameterValueSet['data']> };

export const PARAMETER_CATEGORY = 'subsidies.parameter';
export const parameterStreamId = (name: string): string => `${PARAMETER_CATEGORY}-${name}`;

/** The latest day any value of `name` takes effect from, in the baseline or recorded since; '' if none. */
const latestEffectiveFrom = (name: string, state: ParameterState): string => {
  const later = (latest: string, value: { readonly effectiveFrom: string }): string =>
    value.effectiveFrom > latest ? value.effectiveFrom : latest;
  const baseline = BASELINE.filter((value) => value.name === name).reduce(later, '');
  return state.values.reduce(later, baseline);
};

/**
 * A new value is appended with the day it takes effect; nothing already in force is edited. It may
 * not take effect before the day it is recorded, so no decision already taken could have been
 * decided differently, and it may not take effect on or before the latest value already dated.
 */
const setValue = (command: SetParameterValue, state: ParameterState): ParameterValueSet[] => {
  const { name, effectiveFrom, value } = command.data;
  if (!isParameterName(name))
    throw new ValidationError('UNKNOWN_PARAMETER', `${name} is not a parameter any rule reads`, [
      { path: 'name', message: `one of ${Object.keys(PARAMETERS).join(', ')}` },
    ]);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidField(
      'NOT_A_WHOLE_AMOUNT',
      'value',
      `a value is a whole, non-negative number of ${PARAMETERS[name].unit}`,
    );
  }
  // A flag opens or closes a scheme; any other number would read as neither.
  if (PARAMETERS[name].unit === 'flag' && value > 1)
    throw invalidField('NOT_A_FLAG', 'value', `${name} is 1 (yes) or 0 (no)`);
  const reference = command.data.reference.trim();
  if (!reference) throw invalidField('REFERENCE_REQUIRED', 'reference', 'a value cites the legal text that fixes it');
  const today = command.metadata.now.slice(0, 10);
  if (effectiveFrom < today)
    throw invalidField(
      'EFFECTIVE_DATE_IN_THE_PAST',
      'effectiveFrom',
      `a new value takes effect on ${today} at the earliest: the past is already decided`,
    );
  const latest = latestEffectiveFrom(name, state);
  if (effectiveFrom <= latest)
    throw invalidField(
      'EFFECTIVE_DATE_NOT_AFTER_LATEST',
      'effectiveFrom',
      `${name} already has a value from ${latest}; a new one takes effect after it`,
    );
  return [
    {
      type: 'ParameterValueSet',
      schemaVersion: 1,
      data: {
        name,
        effectiveFrom,
        value,
        reference,
        setBy: command.metadata.actor,
        setAt: command.metadata.now,
      },
    },
  ];
};

const decide = (command: ParameterCommand, state: ParameterState): ParameterValueSet[] => {
  switch (command.type) {
    case 'SetParameterValue':
      return setValue(command, state);
    default: {
      const _exhaustive: never = command.type;
      return [];
    }
  }
};

export const parameterDecider: Decider<SetParameterValue, ParameterState, ParameterValueSet> = {
  initialState: () => ({ values: AppendList.empty() }),
  evolve: (state, event) => ({ values: state.values.append(event.data) }),
  decide,
};
