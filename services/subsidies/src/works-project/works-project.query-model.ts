import type { QueryModel } from '@tashghil/event-store';
import { approvalOf, type ActiveWorksProject, type WorksProject } from './works-project-state.decider';

/** A site as `GET /works-projects` lists it: its file without its beneficiaries or payroll (never a name). */
export const worksProjectListed = (s: ActiveWorksProject) => ({
  projectId: s.projectId,
  status: s.status,
  region: s.region,
  province: s.province,
  title: s.title,
  promoter: s.promoter,
  kind: s.kind,
  jobs: s.jobs,
  months: s.months,
  start: s.start,
  end: s.end,
  budgetCentimes: s.budgetCentimes,
  eligibility: s.eligibility.outcome,
  enrolled: s.beneficiaries.length,
});

export type WorksProjectListed = ReturnType<typeof worksProjectListed>;

/**
 * q.works_projects: one row per works site, written with every append to it. Besides the list item
 * it keeps what the committee's tracking counts: the year of the site's first approval, its jobs, and
 * whether it was launched, so "programmed vs launched" per province is one grouped read of a region's
 * year. A directly registered beneficiary's name and CIN stay in their sealed event: the state never
 * holds them, and so neither does this table.
 */
export const worksProjectQueryModel: QueryModel<WorksProject> = {
  table: 'q.works_projects',
  category: 'subsidies.worksproject',
  columns: {
    region: 'text',
    province: 'text',
    status: 'text',
    kind: 'text',
    promoter: 'text',
    jobs: 'integer',
    approved_year: 'integer',
    launched: 'boolean',
    view: 'jsonb',
  },
  indexes: ['region, stream_id', 'region, status, stream_id', 'region, approved_year'],
  row: (s) => {
    if (s.status === 'none') return null;
    const approval = approvalOf(s);
    return {
      region: s.region,
      province: s.province,
      status: s.status,
      kind: s.kind,
      promoter: s.promoter.id,
      jobs: s.jobs,
      approved_year: approval ? Number(approval.date.slice(0, 4)) : null,
      launched: s.launchedOn !== undefined,
      view: worksProjectListed(s),
    };
  },
};
