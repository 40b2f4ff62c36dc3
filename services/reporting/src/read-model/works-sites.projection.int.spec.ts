import { givenProjection } from '@tashghil/testing';
import {
  worksBeneficiaryEnrolled,
  worksProjectDecided,
  worksProjectProposed,
  worksSiteCompleted,
  worksSiteLaunched,
} from './events.fixture';
import { worksSites } from './works-sites.projection';

const given = givenProjection(worksSites);

describe('the works sites read model', () => {
  it('holds a proposed site with its jobs and budget, undecided', async () => {
    await given([worksProjectProposed()]).thenRows('works_sites', [
      {
        project_id: 'wp-1',
        region: 'MA-10',
        province: 'Assa-Zag',
        kind: 'small',
        jobs: 2,
        budget_centimes: 2_800_000,
        proposed_on: '2022-06-10',
        outcome: null,
        decided_on: null,
        launched_on: null,
        completed_on: null,
      },
    ]);
  });

  it('follows a site through its decision, launch and completion', async () => {
    await given([worksProjectProposed(), worksProjectDecided(), worksSiteLaunched(), worksSiteCompleted()]).thenRows(
      'works_sites',
      [
        {
          project_id: 'wp-1',
          outcome: 'approved',
          decided_on: '2022-06-20',
          launched_on: '2022-07-01',
          completed_on: '2022-10-31',
        },
      ],
    );
  });

  it('takes the last decision its stream records', async () => {
    await given([
      worksProjectProposed(),
      worksProjectDecided({ outcome: 'waitlisted', decisionNumber: 'CT-1', envelope: undefined }),
      worksProjectDecided({ outcome: 'approved', decisionNumber: 'CT-4', date: '2022-07-04' }),
    ]).thenRows('works_sites', [{ outcome: 'approved', decided_on: '2022-07-04' }]);
  });

  it('keeps the site as first proposed when a proposal comes again', async () => {
    const proposed = worksProjectProposed();
    await given([proposed, proposed, worksProjectProposed({ jobs: 9 })]).thenRows('works_sites', [
      { project_id: 'wp-1', jobs: 2 },
    ]);
  });

  it('makes no site of a launch or completion it never saw proposed', async () => {
    await given([worksSiteLaunched({ projectId: 'wp-9' }), worksSiteCompleted({ projectId: 'wp-9' })]).thenRows(
      'works_sites',
      [],
    );
  });

  it('enrols each beneficiary of a site once', async () => {
    const enrolled = worksBeneficiaryEnrolled();
    await given([
      enrolled,
      enrolled,
      worksBeneficiaryEnrolled({ on: '2022-07-05' }),
      worksBeneficiaryEnrolled({ beneficiaryId: 'b-2' }),
    ]).thenRows('enrolments', [
      { project_id: 'wp-1', beneficiary_id: 'b-1', region: 'MA-10', enrolled_on: '2022-07-01' },
      { project_id: 'wp-1', beneficiary_id: 'b-2', region: 'MA-10', enrolled_on: '2022-07-01' },
    ]);
  });
});
