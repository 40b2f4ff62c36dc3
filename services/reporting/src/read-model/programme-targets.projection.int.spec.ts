import { givenProjection } from '@tashghil/testing';
import { programmeTargetsSet } from './events.fixture';
import { programmeTargets } from './programme-targets.projection';

const given = givenProjection(programmeTargets);

const revision = (n: number, components: { component: string; targetJobs: number; budgetCentimes?: number }[]) =>
  programmeTargetsSet({ revision: n, reference: `PV ${n}`, components });

describe('the programme targets read model', () => {
  it('holds each component of a set, with no budget where the set gives none', async () => {
    const then = given([
      revision(1, [
        { component: 'temporary_works', targetJobs: 3_000 },
        { component: 'lasting_integration', targetJobs: 900, budgetCentimes: 2_430_000_000 },
      ]),
    ]);
    await then.thenRows('programme_revisions', [{ region: 'MA-10', programme: 'awrach', year: 2022, revision: 1 }]);
    await then.thenRows('programme_targets', [
      {
        region: 'MA-10',
        programme: 'awrach',
        year: 2022,
        component: 'temporary_works',
        target_jobs: 3_000,
        budget_centimes: null,
      },
      {
        region: 'MA-10',
        programme: 'awrach',
        year: 2022,
        component: 'lasting_integration',
        target_jobs: 900,
        budget_centimes: 2_430_000_000,
      },
    ]);
  });

  it('replaces the whole set with a higher revision: a component it leaves out is gone', async () => {
    const then = given([
      revision(1, [
        { component: 'temporary_works', targetJobs: 3_000 },
        { component: 'lasting_integration', targetJobs: 900 },
      ]),
      revision(2, [{ component: 'temporary_works', targetJobs: 3_800 }]),
    ]);
    await then.thenRows('programme_revisions', [{ revision: 2 }]);
    await then.thenRows('programme_targets', [{ component: 'temporary_works', target_jobs: 3_800 }]);
  });

  it('keeps the highest revision when a lower one arrives after it', async () => {
    const then = given([
      revision(3, [{ component: 'temporary_works', targetJobs: 4_000 }]),
      revision(2, [{ component: 'temporary_works', targetJobs: 3_800 }]),
    ]);
    await then.thenRows('programme_revisions', [{ revision: 3 }]);
    await then.thenRows('programme_targets', [{ component: 'temporary_works', target_jobs: 4_000 }]);
  });

  it('changes nothing when the same set comes twice', async () => {
    const set = revision(1, [{ component: 'temporary_works', targetJobs: 3_000 }]);
    await given([set, set]).thenRows('programme_targets', [{ component: 'temporary_works', target_jobs: 3_000 }]);
  });

  it('keeps the sets of another region or year apart', async () => {
    await given([
      revision(2, [{ component: 'temporary_works', targetJobs: 3_800 }]),
      programmeTargetsSet({ year: 2023, revision: 1, components: [{ component: 'temporary_works', targetJobs: 1 }] }),
      programmeTargetsSet({ region: 'MA-09', revision: 1, components: [{ component: 'idmaj', targetJobs: 600 }] }),
    ]).thenRows('programme_targets', [
      { region: 'MA-10', year: 2022, component: 'temporary_works', target_jobs: 3_800 },
      { region: 'MA-10', year: 2023, component: 'temporary_works', target_jobs: 1 },
      { region: 'MA-09', year: 2022, component: 'idmaj', target_jobs: 600 },
    ]);
  });
});
