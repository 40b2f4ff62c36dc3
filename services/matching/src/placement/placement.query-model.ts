/**
 * q.placements: one row per placement (a proposal of a seeker for an offer, and what became of it),
 * written with every append to the placement's stream, so a list read after a write shows it on
 * every replica. The seeker appears by their pseudonymous id only; the categories a proposal records
 * (gender, age band, disability…) stay in the file, not in lists.
 *
 * Columns besides stream_id (`matching.placement-<placementId>`), version (the stream's) and
 * updated_at (the commit that last changed the row):
 * - placement_id                  the id the API names it by (pl-<16 hex>);
 * - status                        proposed | accepted | declined | interviewing | hired | rejected;
 * - seeker_id, offer_id           the two files it joins;
 * - run_id                        the matching run that proposed it (stream-<offerId> in streaming mode), null when an officer did;
 * - origin_region, origin_province              where the seeker is registered;
 * - destination_region, destination_province    the agency handling the offer; abroad_country when the job is abroad;
 * - flow                          own_region | other_region | abroad;
 * - employer_id, occupation       the offer's employer and ISCO-08 unit group;
 * - score                         the proposal's total score;
 * - proposed_on                   the day it was proposed, YYYY-MM-DD.
 */
import type { QueryModel } from '@tashghil/event-store';
import type { Flow, Placement } from './placement.decider';

export const PLACEMENTS_TABLE = 'q.placements';

// As placement.decider's flowOf, which this file cannot import: the decider imports the model.
const flowOf = (p: Exclude<Placement, { status: 'none' }>): Flow =>
  p.destination.abroadCountry ? 'abroad' : p.destination.region === p.origin.region ? 'own_region' : 'other_region';

export const placementQueryModel: QueryModel<Placement> = {
  table: PLACEMENTS_TABLE,
  category: 'matching.placement',
  columns: {
    placement_id: 'text',
    status: 'text',
    seeker_id: 'text',
    offer_id: 'text',
    run_id: 'text',
    origin_region: 'text',
    origin_province: 'text',
    destination_region: 'text',
    destination_province: 'text',
    abroad_country: 'text',
    flow: 'text',
    employer_id: 'text',
    occupation: 'text',
    score: 'integer',
    proposed_on: 'text',
  },
  // An officer reaches a placement from either end: a list of theirs reads both region indexes.
  indexes: [
    'destination_region, proposed_on DESC, stream_id DESC',
    'origin_region, proposed_on DESC, stream_id DESC',
    'proposed_on DESC, stream_id DESC',
    'run_id, score DESC, stream_id',
    'offer_id, proposed_on DESC, stream_id DESC',
    'seeker_id, proposed_on DESC, stream_id DESC',
  ],
  row: (p) =>
    p.status === 'none'
      ? null
      : {
          placement_id: p.placementId,
          status: p.status,
          seeker_id: p.seekerId,
          offer_id: p.offerId,
          run_id: p.runId ?? null,
          origin_region: p.origin.region,
          origin_province: p.origin.province,
          destination_region: p.destination.region,
          destination_province: p.destination.province,
          abroad_country: p.destination.abroadCountry ?? null,
          flow: flowOf(p),
          employer_id: p.employer.id,
          occupation: p.occupation,
          score: p.score,
          proposed_on: p.proposedOn,
        },
};
