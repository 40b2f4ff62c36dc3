import { ValidationError, type Command, type Decider } from '@tashghil/event-store';
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

export type ParameterValueSet = {
  readonly type: 'ParameterValueSet';
  readonly schemaVersion: 1;
  readonly data: SetParameterValue['data'] & { readonly setBy: string; readonly setAt: string };
};

export type ParameterState = { readonly values: readonly ParameterValueSet['data'][] };

export const PARAMETER_CATEGORY = 'subsidies.parameter';
export const parameterStreamId = (name: string): string => `${PARAMETER_CATEGORY}-${name}`;

const invalid = (code: string, path: string, message: string): ValidationError =>
  new ValidationError(code, message, [{ path, message }]);

/**
 * A new value is appended with the day it takes effect; nothing already in force is edited. It may
 * not take effect before the day it is recorded, so no decision already taken could have been
 * decided differently, and it may not take effect on or before the latest value already dated.
 */
const set = (c: SetParameterValue, s: ParameterState): ParameterValueSet[] => {
  const { name, effectiveFrom, value } = c.data;
  if (!isParameterName(name))
    throw new ValidationError('UNKNOWN_PARAMETER', `${name} is not a parameter any rule reads`, [
      { path: 'name', message: `one of ${Object.keys(PARAMETERS).join(', ')}` },
    ]);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalid('NOT_A_WHOLE_AMOUNT', 'value', `a value is a whole, non-negative number of ${PARAMETERS[name].unit}`);
  }
  // A flag opens or closes a scheme; any other number would read as neither.
  if (PARAMETERS[name].unit === 'flag' && value > 1)
    throw invalid('NOT_A_FLAG', 'value', `${name} is 1 (yes) or 0 (no)`);
  const reference = c.data.reference.trim();
  if (!reference) throw invalid('REFERENCE_REQUIRED', 'reference', 'a value cites the legal text that fixes it');
  const today = c.metadata.now.slice(0, 10);
  if (effectiveFrom < today)
    throw invalid(
      'EFFECTIVE_DATE_IN_THE_PAST',
      'effectiveFrom',
      `a new value takes effect on ${today} at the earliest: the past is already decided`,
    );
  const latest = [...BASELINE.filter((v) => v.name === name), ...s.values].reduce(
    (d, v) => (v.effectiveFrom > d ? v.effectiveFrom : d),
    '',
  );
  if (effectiveFrom <= latest)
    throw invalid(
      'EFFECTIVE_DATE_NOT_AFTER_LATEST',
      'effectiveFrom',
      `${name} already has a value from ${latest}; a new one takes effect after it`,
    );
  return [
    {
      type: 'ParameterValueSet',
      schemaVersion: 1,
      data: { name, effectiveFrom, value, reference, setBy: c.metadata.actor, setAt: c.metadata.now },
    },
  ];
};

export const parameterDecider: Decider<SetParameterValue, ParameterState, ParameterValueSet> = {
  initialState: () => ({ values: [] }),
  evolve: (s, e) => ({ values: [...s.values, e.data] }),
  decide: (c, s) => set(c, s),
};
