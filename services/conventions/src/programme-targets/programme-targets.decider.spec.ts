import { DomainError, streamCategory, ValidationError } from '@tashghil/event-store';
import { givenFor } from '@tashghil/testing';
import {
  PROGRAMME_TARGETS_CATEGORY,
  programmeTargetsDecider,
  programmeTargetsStreamId,
  type ProgrammeTargetsSet,
  type SetProgrammeTargets,
} from './programme-targets.decider';

const given = givenFor(programmeTargetsDecider);

const metadata = {
  now: '2022-04-22T16:00:00.000Z',
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'corr-1',
  commandId: 'cmd-1',
};

// Awrach Guelmim-Oued Noun 2022: about 3,800 temporary jobs (part 1) and 1,000 lasting-integration jobs
// (part 2), each hire granted 1,500 MAD a month for 18 months: 1,000 × 27,000 MAD = 2,700,000,000 centimes.
const setAwrachGon: SetProgrammeTargets = {
  type: 'SetProgrammeTargets',
  data: {
    region: 'MA-10',
    programme: 'awrach',
    year: 2022,
    components: [
      { component: 'temporary_works', targetJobs: 3800 },
      { component: 'lasting_integration', targetJobs: 1000, budgetCentimes: 2_700_000_000 },
    ],
    reference: 'Circulaire du Chef du Gouvernement du 12 janvier 2022 ; comité régional du 22 avril 2022',
    effectiveDate: '2022-04-22',
  },
  metadata,
};

const awrachGonSet: ProgrammeTargetsSet = {
  type: 'ProgrammeTargetsSet',
  schemaVersion: 1,
  data: { ...setAwrachGon.data, revision: 1, setBy: 'officer-ma10', setAt: metadata.now },
};

const withComponents = (components: SetProgrammeTargets['data']['components']): SetProgrammeTargets => ({
  ...setAwrachGon,
  data: { ...setAwrachGon.data, components },
});

const refusal = (command: SetProgrammeTargets): DomainError => {
  try {
    programmeTargetsDecider.decide(command, programmeTargetsDecider.initialState());
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the targets were accepted');
};

describe('programme targets decider', () => {
  it('sets the first targets of a region, programme and year as revision 1', () => {
    given([]).when(setAwrachGon).then([awrachGonSet]);
  });

  it('records a change as the next revision, in full', () => {
    const revised = withComponents([
      { component: 'temporary_works', targetJobs: 3900 },
      { component: 'lasting_integration', targetJobs: 1000, budgetCentimes: 2_700_000_000 },
    ]);
    given([awrachGonSet])
      .when(revised)
      .then([{ ...awrachGonSet, data: { ...awrachGonSet.data, components: revised.data.components, revision: 2 } }]);
  });

  it('records a new reference alone as a revision', () => {
    const reference = 'Décision CR-GON-2022-002';
    given([awrachGonSet])
      .when({ ...setAwrachGon, data: { ...setAwrachGon.data, reference } })
      .then([{ ...awrachGonSet, data: { ...awrachGonSet.data, reference, revision: 2 } }]);
  });

  it('records nothing when the targets are the ones already set, in whatever order', () => {
    given([awrachGonSet])
      .when(withComponents([...setAwrachGon.data.components].reverse()))
      .then([]);
  });

  it('refuses targets without a component', () => {
    given([]).when(withComponents([])).thenThrows('NO_COMPONENTS');
  });

  it('refuses a component set twice', () => {
    given([])
      .when(withComponents([...setAwrachGon.data.components, { component: 'temporary_works', targetJobs: 1 }]))
      .thenThrows('DUPLICATE_COMPONENT');
  });

  it('refuses a negative job target', () => {
    given([])
      .when(withComponents([{ component: 'temporary_works', targetJobs: -3800 }]))
      .thenThrows('NEGATIVE_TARGET');
  });

  it('refuses a line of more jobs than one line may count, and takes the largest it may', () => {
    given([])
      .when(withComponents([{ component: 'temporary_works', targetJobs: 768_641_758_868_933 }]))
      .thenThrows('TOO_MANY_JOBS');
    const events = given([])
      .when(withComponents([{ component: 'temporary_works', targetJobs: 1_000_000 }]))
      .events();
    expect(events.map((e) => e.type)).toEqual(['ProgrammeTargetsSet']);
  });

  it('refuses a negative budget', () => {
    given([])
      .when(withComponents([{ component: 'lasting_integration', targetJobs: 1000, budgetCentimes: -1 }]))
      .thenThrows('NEGATIVE_BUDGET');
  });

  it('refuses fractions of a job or of a centime', () => {
    given([])
      .when(withComponents([{ component: 'lasting_integration', targetJobs: 1000, budgetCentimes: 27_000.5 }]))
      .thenThrows('NOT_AN_INTEGER');
    given([])
      .when(withComponents([{ component: 'temporary_works', targetJobs: 3799.9 }]))
      .thenThrows('NOT_AN_INTEGER');
  });

  it('refuses an effective date outside the year', () => {
    given([])
      .when({ ...setAwrachGon, data: { ...setAwrachGon.data, effectiveDate: '2021-12-31' } })
      .thenThrows('DATE_OUTSIDE_PERIOD');
  });

  it('refuses a year outside 2000–2100', () => {
    given([])
      .when({ ...setAwrachGon, data: { ...setAwrachGon.data, year: 1999, effectiveDate: '1999-06-01' } })
      .thenThrows('YEAR_OUT_OF_RANGE');
  });

  it('refuses targets that cite no reference', () => {
    given([])
      .when({ ...setAwrachGon, data: { ...setAwrachGon.data, reference: '   ' } })
      .thenThrows('REFERENCE_REQUIRED');
  });

  it.each([
    { code: 'NO_COMPONENTS', command: withComponents([]), paths: ['components'] },
    {
      code: 'DUPLICATE_COMPONENT',
      command: withComponents([
        { component: 'a_b', targetJobs: 1 },
        { component: 'a_b', targetJobs: 2 },
      ]),
      paths: ['components.1.component'],
    },
    {
      code: 'NOT_AN_INTEGER',
      command: withComponents([{ component: 'a_b', targetJobs: 0.5, budgetCentimes: 1.5 }]),
      paths: ['components.0.targetJobs', 'components.0.budgetCentimes'],
    },
    {
      code: 'NEGATIVE_TARGET',
      command: withComponents([
        { component: 'a_b', targetJobs: -1 },
        { component: 'c_d', targetJobs: -2 },
      ]),
      paths: ['components.0.targetJobs', 'components.1.targetJobs'],
    },
    {
      code: 'NEGATIVE_BUDGET',
      command: withComponents([{ component: 'a_b', targetJobs: 1, budgetCentimes: -100 }]),
      paths: ['components.0.budgetCentimes'],
    },
    {
      code: 'DATE_OUTSIDE_PERIOD',
      command: { ...setAwrachGon, data: { ...setAwrachGon.data, effectiveDate: '2023-01-01' } },
      paths: ['effectiveDate'],
    },
    {
      code: 'YEAR_OUT_OF_RANGE',
      command: { ...setAwrachGon, data: { ...setAwrachGon.data, year: 2101 } },
      paths: ['year'],
    },
    {
      code: 'REFERENCE_REQUIRED',
      command: { ...setAwrachGon, data: { ...setAwrachGon.data, reference: '' } },
      paths: ['reference'],
    },
  ])('$code is a value rule naming $paths', ({ code, command, paths }) => {
    const error = refusal(command);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code, fields: paths.map((path) => ({ path })) });
  });

  it('folds the latest revision into the state', () => {
    const second: ProgrammeTargetsSet = {
      ...awrachGonSet,
      data: { ...awrachGonSet.data, revision: 2, effectiveDate: '2022-09-01' },
    };
    const state = [awrachGonSet, second].reduce(programmeTargetsDecider.evolve, programmeTargetsDecider.initialState());
    expect(state).toMatchObject({ status: 'set', revision: 2, effectiveDate: '2022-09-01', region: 'MA-10' });
  });

  it('files the streams under their own category, lower-cased', () => {
    const id = programmeTargetsStreamId('MA-10', 'awrach-2022', 2022);
    expect(id).toBe('conventions.programmetargets-ma-10-awrach-2022-2022');
    expect(streamCategory(id)).toBe(PROGRAMME_TARGETS_CATEGORY);
  });
});
