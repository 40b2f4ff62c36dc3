import { insertRows, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

/** The earlier of two days, either of which may be missing (`YYYY-MM-DD` sorts as text). */
const earlier = (held: unknown, day: string): string => (typeof held === 'string' && held < day ? held : day);

/**
 * Each published offer with its milestones: its opening from its own row, its first proposal and
 * first hire from the placements that name it. `at` gives a table as of the instant read.
 */
export const offerMilestones = (at: (table: string) => string): string => `
  SELECT o.offer_id, o.region, o.positions, o.mass, o.published_on, o.opened_on,
         (SELECT min(r.proposed_on) FROM ${at('proposals')} r WHERE r.offer_id = o.offer_id) AS first_proposal_on,
         (SELECT min(p.hired_on) FROM ${at('placements')} p WHERE p.offer_id = o.offer_id) AS first_hire_on
    FROM ${at('offers')} o WHERE o.published_on IS NOT NULL`;

/**
 * Offers and what became of them: proposals, hires, the flows between regions and abroad. An
 * offer's first proposal and first hire come from placement streams, so the report takes them from
 * the proposals and placements as it reads: a row of `offers` holds only its own stream's facts.
 */
export const placements = readModel({
  revision: 2,
  tables: {
    offers: (s) => `
CREATE TABLE ${s}.offers (
  offer_id text, region text, positions integer, mass boolean, published_on date, opened_on date, ${VALIDITY},
  PRIMARY KEY (offer_id, valid_from)
);
CREATE INDEX ON ${s}.offers (offer_id) WHERE valid_to = 'infinity';`,
    proposals: (s) => `
CREATE TABLE ${s}.proposals (placement_id text PRIMARY KEY, offer_id text NOT NULL, proposed_on date NOT NULL, ${VALIDITY});
CREATE INDEX ON ${s}.proposals (offer_id, proposed_on);`,
    placements: (s) => `
CREATE TABLE ${s}.placements (
  placement_id text PRIMARY KEY, hired_on date NOT NULL, offer_id text NOT NULL, sector text NOT NULL, contract_type text NOT NULL,
  origin_region text NOT NULL, destination_region text NOT NULL, abroad boolean NOT NULL, flow text NOT NULL, ${VALIDITY}
);
CREATE INDEX ON ${s}.placements (offer_id, hired_on);
CREATE INDEX ON ${s}.placements (destination_region, contract_type, hired_on);
CREATE INDEX ON ${s}.placements (origin_region);`,
  },
  versions: {
    // An offer's own facts, from its stream; a publication repeated (a correction) keeps the first day.
    offers: {
      key: [['offer_id', 'text']],
      columns: [
        ['region', 'text'],
        ['positions', 'integer'],
        ['mass', 'boolean'],
        ['published_on', 'date'],
        ['opened_on', 'date'],
      ],
      folds: {
        OfferPublished: {
          key: (published) => [published.offerId],
          next: (offer, published) => ({
            ...offer,
            region: published.region,
            positions: published.positions,
            mass: published.mass,
            published_on: earlier(offer?.published_on, published.on),
          }),
        },
        OfferOpenedToOtherRegions: {
          key: (opened) => [opened.offerId],
          next: (offer, opened) => ({ ...offer, opened_on: earlier(offer?.opened_on, opened.on) }),
        },
      },
    },
  },
  pages: {
    PlacementProposed: (q, s, proposed) =>
      insertRows(
        q,
        s,
        'proposals',
        [
          ['placement_id', 'text'],
          ['offer_id', 'text'],
          ['proposed_on', 'date'],
          ['valid_from', 'timestamptz'],
        ],
        proposed.map(({ data: p, event }) => [p.placementId, p.offerId, p.on, event.recordedAt]),
      ),
    SeekerHired: (q, s, hires) =>
      insertRows(
        q,
        s,
        'placements',
        [
          ['placement_id', 'text'],
          ['hired_on', 'date'],
          ['offer_id', 'text'],
          ['sector', 'text'],
          ['contract_type', 'text'],
          ['origin_region', 'text'],
          ['destination_region', 'text'],
          ['abroad', 'boolean'],
          ['flow', 'text'],
          ['valid_from', 'timestamptz'],
        ],
        hires.map(({ data: h, event }) => [
          h.placementId,
          h.on,
          h.offerId,
          h.employer.sector,
          h.contractType,
          h.origin.region,
          h.destination.region,
          h.flow === 'abroad',
          h.flow,
          event.recordedAt,
        ]),
      ),
  },
});
