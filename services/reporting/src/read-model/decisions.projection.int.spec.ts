import { givenProjection } from '@tashghil/testing';
import { decisions } from './decisions.projection';
import { committeeDecisionRecorded, grantDecided, worksProjectDecided } from './events.fixture';

const given = givenProjection(decisions);

describe('the decisions read model', () => {
  it('holds a decision a committee recorded', async () => {
    await given([committeeDecisionRecorded()]).thenRows('recorded_decisions', [
      {
        committee_id: 'gon',
        decision_number: 'CR-1',
        region: 'MA-10',
        kind: 'regional',
        programme: 'awrach',
        decided_on: '2022-04-22',
        subject: 'Lancement',
        outcome: 'approved',
      },
    ]);
  });

  it('keeps one row per committee and number: a decision recorded twice, or recorded again, stands as first recorded', async () => {
    const recorded = committeeDecisionRecorded();
    await given([recorded, recorded, committeeDecisionRecorded({ subject: 'Autre' })]).thenRows('recorded_decisions', [
      { decision_number: 'CR-1', subject: 'Lancement' },
    ]);
  });

  it('holds the decision on each works project and grant file', async () => {
    await given([worksProjectDecided(), grantDecided({ outcome: 'rejected', envelope: undefined })]).thenRows(
      'file_decisions',
      [
        {
          kind: 'works-project',
          file_id: 'wp-1',
          region: 'MA-10',
          outcome: 'approved',
          decision_number: 'CT-1',
          decided_on: '2022-06-20',
        },
        {
          kind: 'grant',
          file_id: 'g-1',
          region: 'MA-10',
          outcome: 'rejected',
          decision_number: 'CT-g-1',
          decided_on: '2022-06-15',
        },
      ],
    );
  });

  it('keeps the latest decision on a file by date, whichever came first', async () => {
    const waitlisted = grantDecided({ outcome: 'waitlisted', decisionNumber: 'CT-2', date: '2022-06-15' });
    const approved = grantDecided({ outcome: 'approved', decisionNumber: 'CT-7', date: '2022-07-01' });
    const expected = [{ file_id: 'g-1', outcome: 'approved', decision_number: 'CT-7', decided_on: '2022-07-01' }];
    await given([waitlisted, approved]).thenRows('file_decisions', expected);
    await given([approved, waitlisted]).thenRows('file_decisions', expected);
  });

  it('breaks a tie of dates by the decision number', async () => {
    const first = worksProjectDecided({ outcome: 'rejected', decisionNumber: 'CT-1' });
    const second = worksProjectDecided({ outcome: 'approved', decisionNumber: 'CT-2' });
    await given([second, first, second]).thenRows('file_decisions', [{ outcome: 'approved', decision_number: 'CT-2' }]);
  });
});
