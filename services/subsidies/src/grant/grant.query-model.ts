import type { QueryModel } from '@tashghil/event-store';
import type { Grant } from './grant.decider';
import { grantListed } from './grant.view';

/**
 * What `GET /grants` lists and filters on, written with every append to a grant (read-your-writes).
 * The grant decider seals no field: the view is the file as GET /grants/:id shows it, less the
 * months' day-dependent statuses, which the list works out when it is read. Sorted by region, then
 * stream; an employer's own files are found by `employer`.
 */
export const grantQueryModel: QueryModel<Grant> = {
  table: 'q.grants',
  category: 'subsidies.grant',
  columns: { region: 'text', scheme: 'text', status: 'text', employer: 'text', applied_on: 'text', view: 'jsonb' },
  indexes: ['region, stream_id', 'region, status, stream_id', 'employer, region, stream_id'],
  row: (g) =>
    g.status === 'none'
      ? null
      : {
          region: g.application.region,
          scheme: g.application.scheme,
          status: g.status,
          employer: g.application.employer.id,
          applied_on: g.application.appliedOn,
          view: grantListed(g),
        },
};
