import type { Queryable } from '@tashghil/event-store';
import { change, insertRows, VALIDITY } from './bitemporal';
import { readModel } from './read-model';

/** An offer's own facts, from its stream; `set` over $2… changes the current row, else one is opened. */
const offerFact = async (
  q: Queryable,
  s: string,
  offerId: string,
  fact: { readonly set: string; readonly values: readonly unknown[]; readonly insert: string },
  at: string,
): Promise<void> => {
  // Most facts open the offer's row (one round trip); a later one changes it.
  const { rows } = await q.query(
    `INSERT INTO ${s}.offers (offer_id, ${fact.insert}, valid_from)
     SELECT $1, ${fact.values.map((_, i) => `$${i + 2}`).join(', ')}, $${fact.values.length + 2}::timestamptz
      WHERE NOT EXISTS (SELECT 1 FROM ${s}.offers WHERE offer_id = $1 AND valid_to = 'infinity') RETURNING 1`,
    [offerId, ...fact.values, at],
  );
  if (rows.length === 0) await change(q, s, 'offers', { where: 'offer_id = $1', params: [offerId] }, fact, at);
};

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
  handlers: {
    OfferPublished: async (q, s, published, event) => {
      await offerFact(
        q,
        s,
        published.offerId,
        {
          set: 'region = $2, positions = $3, mass = $4, published_on = LEAST(published_on, $5::date)',
          values: [published.region, published.positions, published.mass, published.on],
          insert: 'region, positions, mass, published_on',
        },
        event.recordedAt,
      );
    },
    OfferOpenedToOtherRegions: async (q, s, opened, event) => {
      await offerFact(
        q,
        s,
        opened.offerId,
        { set: 'opened_on = LEAST(opened_on, $2::date)', values: [opened.on], insert: 'opened_on' },
        event.recordedAt,
      );
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
