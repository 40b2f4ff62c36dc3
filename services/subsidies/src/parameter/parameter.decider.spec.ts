import { givenFor } from '@tashghil/testing';
import { BASELINE } from '../rules/parameters';
import { parameterDecider, type ParameterValueSet, type SetParameterValue } from './parameter.decider';

const given = givenFor(parameterDecider);
const set = (
  name: string,
  value: number,
  effectiveFrom = '2027-01-01',
  now = '2026-12-04T10:00:00.000Z',
  reference = 'texte (exemple)',
): SetParameterValue => ({
  type: 'SetParameterValue',
  data: { name, value, effectiveFrom, reference },
  metadata: { now, actor: 'admin', roles: ['admin'], correlationId: 'c', commandId: `cmd-${name}-${value}` },
});
const valueSet = (name: string, value: number, effectiveFrom: string): ParameterValueSet => ({
  type: 'ParameterValueSet',
  schemaVersion: 1,
  data: { name, value, effectiveFrom, reference: 'texte (exemple)', setBy: 'admin', setAt: '2026-12-04T10:00:00.000Z' },
});

describe('a dated parameter value', () => {
  it('records a value with the text that fixes it, who set it and when', () => {
    given([])
      .when(set('smig.hourly', 1871, '2027-01-01', '2026-12-04T10:00:00.000Z', '  Accord social (exemple)  '))
      .then([
        {
          type: 'ParameterValueSet',
          schemaVersion: 1,
          data: {
            name: 'smig.hourly',
            value: 1871,
            effectiveFrom: '2027-01-01',
            reference: 'Accord social (exemple)',
            setBy: 'admin',
            setAt: '2026-12-04T10:00:00.000Z',
          },
        },
      ]);
  });

  it('closes Awrach 2 from a date with 0, and refuses a flag that is neither 0 nor 1', () => {
    expect(given([]).when(set('awrach2.in_force', 0)).events()[0]?.data).toMatchObject({
      name: 'awrach2.in_force',
      value: 0,
      effectiveFrom: '2027-01-01',
    });
    given([]).when(set('awrach2.in_force', 2)).thenThrows('NOT_A_FLAG');
  });

  it('refuses a name that no rule reads', () => {
    given([]).when(set('smig.daily', 100)).thenThrows('UNKNOWN_PARAMETER');
  });

  it('refuses a value that is not a whole, non-negative number of its unit', () => {
    given([]).when(set('smig.hourly', 1871.5)).thenThrows('NOT_A_WHOLE_AMOUNT');
    given([]).when(set('cnss.amo.employee', -1)).thenThrows('NOT_A_WHOLE_AMOUNT');
  });

  it('refuses a value that cites no text', () => {
    given([])
      .when(set('smig.hourly', 1871, '2027-01-01', '2026-12-04T10:00:00.000Z', '   '))
      .thenThrows('REFERENCE_REQUIRED');
  });

  it('never moves the launch back into the past: decisions already taken stand', () => {
    given([])
      .when(set('awrach2.in_force', 1, '2023-07-25'))
      .thenThrows('EFFECTIVE_DATE_IN_THE_PAST');
    expect(
      given([])
        .when(set('smig.hourly', 1871, '2026-12-04'))
        .events(),
    ).toHaveLength(1);
  });

  it('takes effect after the latest value of the baseline, never on or before it', () => {
    // The baseline's last SMIG takes effect on 1 January 2026 (accord social du 29 avril 2024).
    const latest = BASELINE.filter((value) => value.name === 'smig.hourly').at(-1)?.effectiveFrom;
    expect(latest).toBe('2026-01-01');
    const beforeIt = '2025-06-01T09:00:00.000Z';
    given([])
      .when(set('smig.hourly', 1871, '2025-12-31', beforeIt))
      .thenThrows('EFFECTIVE_DATE_NOT_AFTER_LATEST');
    given([])
      .when(set('smig.hourly', 1871, '2026-01-01', beforeIt))
      .thenThrows('EFFECTIVE_DATE_NOT_AFTER_LATEST');
    expect(
      given([])
        .when(set('smig.hourly', 1871, '2026-01-02', beforeIt))
        .events(),
    ).toHaveLength(1);
  });

  it('takes effect after the latest value recorded since, never on or before it', () => {
    const recorded = [valueSet('smig.hourly', 1871, '2027-01-01'), valueSet('smig.hourly', 1950, '2028-01-01')];
    given(recorded)
      .when(set('smig.hourly', 2000, '2028-01-01'))
      .thenThrows('EFFECTIVE_DATE_NOT_AFTER_LATEST');
    given(recorded)
      .when(set('smig.hourly', 2000, '2027-06-01'))
      .thenThrows('EFFECTIVE_DATE_NOT_AFTER_LATEST');
    expect(
      given(recorded)
        .when(set('smig.hourly', 2000, '2028-01-02'))
        .events()[0]?.data,
    ).toMatchObject({
      value: 2000,
      effectiveFrom: '2028-01-02',
    });
  });
});

describe('a parameter with a long history', () => {
  // 10,000 values a day apart, one event each: the fold appends, so it reads them in linear time.
  const day = (index: number): string => new Date(Date.UTC(2027, 0, 1 + index)).toISOString().slice(0, 10);
  const history = Array.from({ length: 10_000 }, (_, index) =>
    valueSet('cnss.capped_salary', 600_000 + index, day(index)),
  );

  it('folds 10,000 values in the order they were set', () => {
    const state = history.reduce(parameterDecider.evolve, parameterDecider.initialState());
    expect(state.values.length).toBe(10_000);
    expect(state.values.at(0)).toMatchObject({ value: 600_000, effectiveFrom: '2027-01-01' });
    expect(state.values.at(-1)).toMatchObject({ value: 609_999, effectiveFrom: day(9_999) });
    expect(JSON.parse(JSON.stringify(state)).values).toHaveLength(10_000);
  });

  it('refuses a date on or before the latest of them, and takes the day after', () => {
    given(history)
      .when(set('cnss.capped_salary', 700_000, day(9_999)))
      .thenThrows('EFFECTIVE_DATE_NOT_AFTER_LATEST');
    expect(
      given(history)
        .when(set('cnss.capped_salary', 700_000, day(10_000)))
        .events(),
    ).toHaveLength(1);
  });
});
