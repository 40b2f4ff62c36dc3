import { contractFor } from '@tashghil/contracts';
import { streamCategory } from '@tashghil/event-store';
import { WORKS_PROJECT_CATEGORY, worksProjectStreamId } from './works-project.decider';
import {
  given,
  history,
  propose,
  decision,
  launch,
  fromMatching,
  direct,
  payroll,
  complete,
} from './works-project.fixture';

describe('the works-project stream', () => {
  it('is filed under its own category', () => {
    expect(worksProjectStreamId('gon-pistes-2022')).toBe('subsidies.worksproject-gon-pistes-2022');
    expect(streamCategory(worksProjectStreamId('gon-pistes-2022'))).toBe(WORKS_PROJECT_CATEGORY);
  });

  it('decides events that match the contracts their consumers parse, the sealed identity excepted', () => {
    const events = history(
      propose(),
      decision('approved'),
      launch(),
      fromMatching(),
      direct(),
      payroll('2022-09', [
        { beneficiaryId: 'b-1', days: 26 },
        { beneficiaryId: 'b-2', days: 20 },
      ]),
      complete(),
    );
    const checked = events.flatMap((event) => {
      const schema = contractFor(event.type)?.versions[event.schemaVersion];
      if (!schema) return [];
      expect({ type: event.type, issues: schema.safeParse(event.data).error?.issues ?? [] }).toEqual({
        type: event.type,
        issues: [],
      });
      return [event.type];
    });
    expect(checked).toEqual([
      'WorksProjectProposed',
      'WorksProjectDecided',
      'WorksSiteLaunched',
      'WorksBeneficiaryEnrolled',
      'WorksBeneficiaryEnrolled',
      'WorksPayrollRecorded',
      'WorksSiteCompleted',
    ]);
    expect(events.filter((event) => event.type === 'WorksBeneficiaryIdentified')).toHaveLength(1);
  });
});

describe('the works-project decider', () => {
  it.each([
    decision('approved'),
    launch(),
    fromMatching(),
    payroll('2022-05', [{ beneficiaryId: 'b-1', days: 26 }]),
    complete(),
  ])('refuses $type on a project nobody proposed', (command) => {
    given([]).when(command).thenThrows('PROJECT_NOT_FOUND');
  });
});
