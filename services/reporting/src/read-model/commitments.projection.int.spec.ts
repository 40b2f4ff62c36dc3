import { givenProjection } from '@tashghil/testing';
import { commitments } from './commitments.projection';
import {
  grantApplied,
  grantContractEnded,
  grantDecided,
  share,
  worksCommitmentRevised,
  worksProjectDecided,
  worksProjectProposed,
} from './events.fixture';

const given = givenProjection(commitments);

describe('the commitments read model', () => {
  it('commits an approved site’s envelope share, and files the site under the line it draws on', async () => {
    const then = given([worksProjectProposed(), worksProjectDecided()]);
    await then.thenRows('commitments', [
      {
        kind: 'works-project',
        file_id: 'wp-1',
        region: 'MA-10',
        programme: 'awrach',
        year: 2022,
        component: 'temporary_works',
        jobs: 2,
        centimes: 2_800_000,
        decided_on: '2022-06-20',
        revision: 0,
      },
    ]);
    await then.thenRows('files', [
      {
        kind: 'works-project',
        file_id: 'wp-1',
        region: 'MA-10',
        province: 'Assa-Zag',
        programme: 'awrach',
        year: 2022,
        component: 'temporary_works',
      },
    ]);
  });

  it('commits nothing on a rejection, nor on an approval that names no envelope share', async () => {
    const then = given([
      worksProjectProposed(),
      worksProjectDecided({ outcome: 'rejected' }),
      grantApplied(),
      grantDecided({ envelope: undefined }),
    ]);
    await then.thenRows('commitments', []);
    await then.thenRows('files', [
      { kind: 'grant', file_id: 'g-1', province: null, programme: 'awrach', year: null, component: null },
      { kind: 'works-project', file_id: 'wp-1', province: 'Assa-Zag', programme: null, year: null, component: null },
    ]);
  });

  it('keeps the first approval’s commitment, while the file follows the line of the latest', async () => {
    const then = given([
      worksProjectProposed(),
      worksProjectDecided(),
      worksProjectDecided({ decisionNumber: 'CT-2', envelope: share(3_000_000, 'other_line') }),
    ]);
    await then.thenRows('commitments', [{ centimes: 2_800_000, component: 'temporary_works' }]);
    await then.thenRows('files', [{ file_id: 'wp-1', component: 'other_line' }]);
  });

  it('re-prices a site’s commitment, the highest revision standing whatever arrives after it', async () => {
    const second = worksCommitmentRevised({ revision: 2, envelope: { ...share(3_100_000), jobs: 3 } });
    await given([
      worksProjectProposed(),
      worksProjectDecided(),
      worksCommitmentRevised({ revision: 1, envelope: share(2_900_000) }),
      second,
      worksCommitmentRevised({ revision: 1, envelope: share(2_900_000) }),
      second,
    ]).thenRows('commitments', [{ file_id: 'wp-1', centimes: 3_100_000, jobs: 3, revision: 2 }]);
  });

  it('re-prices nothing that was never approved', async () => {
    await given([worksProjectProposed(), worksCommitmentRevised()]).thenRows('commitments', []);
  });

  it('files a grant under its programme at application, and commits it on approval', async () => {
    const then = given([grantApplied(), grantDecided()]);
    await then.thenRows('files', [
      {
        kind: 'grant',
        file_id: 'g-1',
        region: 'MA-10',
        province: null,
        programme: 'awrach',
        year: 2022,
        component: 'lasting_integration',
      },
    ]);
    await then.thenRows('commitments', [
      { kind: 'grant', file_id: 'g-1', component: 'lasting_integration', jobs: 1, centimes: 2_700_000 },
    ]);
  });

  it('keeps the programme a decision named when the application comes after it', async () => {
    await given([
      grantDecided({ envelope: { ...share(2_700_000, 'lasting_integration'), programme: 'idmaj' } }),
      grantApplied(),
    ]).thenRows('files', [{ file_id: 'g-1', programme: 'idmaj', component: 'lasting_integration' }]);
  });

  it('records what a grant ended early releases, once per end', async () => {
    const ended = grantContractEnded();
    const then = given([grantApplied(), grantDecided(), ended, ended]);
    await then.thenRows('grant_ends', [
      {
        event_id: ended.eventId,
        grant_id: 'g-1',
        region: 'MA-10',
        last_day: '2022-07-24',
        cancelled_centimes: 2_550_000,
      },
    ]);
    // The commitment stays as approved; the report subtracts what the end released.
    await then.thenRows('commitments', [{ file_id: 'g-1', centimes: 2_700_000 }]);
  });
});
