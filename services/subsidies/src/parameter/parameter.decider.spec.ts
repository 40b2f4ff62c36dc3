import { givenFor } from '@tashghil/testing';
import { parameterDecider, type SetParameterValue } from './parameter.decider';

const given = givenFor(parameterDecider);
const set = (name: string, value: number, effectiveFrom = '2027-01-01'): SetParameterValue => ({
  type: 'SetParameterValue',
  data: { name, value, effectiveFrom, reference: 'texte (exemple)' },
  metadata: {
    now: '2026-12-04T10:00:00.000Z',
    actor: 'admin',
    roles: ['admin'],
    correlationId: 'c',
    commandId: `cmd-${name}-${value}`,
  },
});

describe('a dated parameter value', () => {
  it('closes Awrach 2 from a date with 0, and refuses a flag that is neither 0 nor 1', () => {
    expect(given([]).when(set('awrach2.in_force', 0)).events()[0]?.data).toMatchObject({
      name: 'awrach2.in_force',
      value: 0,
      effectiveFrom: '2027-01-01',
    });
    given([]).when(set('awrach2.in_force', 2)).thenThrows('NOT_A_FLAG');
  });

  it('never moves the launch back into the past: decisions already taken stand', () => {
    given([])
      .when(set('awrach2.in_force', 1, '2023-07-25'))
      .thenThrows('EFFECTIVE_DATE_IN_THE_PAST');
  });
});
