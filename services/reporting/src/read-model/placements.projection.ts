import { insertRows, tallyTable, VALIDITY, type Tally } from './bitemporal';
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

/** Hires per day recorded, by flow and sector and the month hired: the totals, flows and timeline. */
const HIRES_BY_FLOW: Tally = {
  table: 'hires_by_flow',
  source: 'placements',
  by: [
    ['origin_region', 'f.origin_region'],
    ['destination_region', 'f.destination_region'],
    ['abroad', 'f.abroad'],
    ['flow', 'f.flow'],
    ['sector', 'f.sector'],
    ['month', `to_char(f.hired_on, 'YYYY-MM')`],
  ],
  add: [['n', 'count(*)']],
};

/** Hires per day recorded, by the region of the job, the contract and the day hired: what a convention measure achieves. */
const HIRES_BY_CONTRACT: Tally = {
  table: 'hires_by_contract',
  source: 'placements',
  by: [
    ['destination_region', 'f.destination_region'],
    ['contract_type', 'f.contract_type'],
    ['hired_on', 'f.hired_on'],
  ],
  add: [['n', 'count(*)']],
};

/**
 * Days from proposal to hire, per placement, once both are recorded (from the later of the two):
 * whichever of the two rows comes second counts the pair. A histogram, so the report's percentiles
 * read a row per day of wait.
 */
const waits = (
  source: string,
  join: string,
  origin: string,
  destination: string,
  days: string,
  other: string,
): Tally => ({
  table: 'hire_waits',
  source,
  by: [
    ['origin_region', origin],
    ['destination_region', destination],
    ['days', days],
  ],
  add: [['n', 'count(*)']],
  join,
  day: `GREATEST((f.valid_from AT TIME ZONE 'UTC')::date, (${other}.valid_from AT TIME ZONE 'UTC')::date)`,
});
const WAITS_OF_HIRES = (s: string) =>
  waits(
    'placements',
    `JOIN ${s}.proposals r USING (placement_id)`,
    'f.origin_region',
    'f.destination_region',
    'f.hired_on - r.proposed_on',
    'r',
  );
const WAITS_OF_PROPOSALS = (s: string) =>
  waits(
    'proposals',
    `JOIN ${s}.placements h USING (placement_id)`,
    'h.origin_region',
    'h.destination_region',
    'h.hired_on - f.proposed_on',
    'h',
  );

const TALLY_TYPES = { abroad: 'boolean', hired_on: 'date', days: 'integer' };

/** The tallies of hires, each filled from one source after a first load (the waits from the hires' side). */
export const PLACEMENT_TALLIES = (s: string): readonly Tally[] => [HIRES_BY_FLOW, HIRES_BY_CONTRACT, WAITS_OF_HIRES(s)];

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
    hires_by_flow: (s) => tallyTable(s, [HIRES_BY_FLOW], TALLY_TYPES),
    hires_by_contract: (s) => tallyTable(s, [HIRES_BY_CONTRACT], TALLY_TYPES),
    hire_waits: (s) => tallyTable(s, [WAITS_OF_HIRES(s), WAITS_OF_PROPOSALS(s)], TALLY_TYPES),
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
