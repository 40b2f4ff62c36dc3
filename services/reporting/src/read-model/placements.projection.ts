import { readModel } from './read-model';

/**
 * An offer's milestones come from its own stream and from placement streams; each keeps its earliest
 * date, so the row does not depend on which stream was read first.
 */
const milestoneSql = (
  s: string,
  column: 'first_proposal_on' | 'first_hire_on' | 'opened_on',
  offer: string,
  on: string,
): string =>
  `INSERT INTO ${s}.offers (offer_id, ${column}) VALUES (${offer}, ${on}::date)
     ON CONFLICT (offer_id) DO UPDATE SET ${column} = LEAST(${s}.offers.${column}, EXCLUDED.${column})`;

/** Offers and what became of them: proposals, hires, the flows between regions and abroad. */
export const placements = readModel({
  revision: 1,
  tables: {
    offers: (s) => `
CREATE TABLE ${s}.offers (
  offer_id text PRIMARY KEY, region text, positions integer, mass boolean, published_on date, opened_on date,
  first_proposal_on date, first_hire_on date
);`,
    proposals: (s) => `
CREATE TABLE ${s}.proposals (placement_id text PRIMARY KEY, offer_id text NOT NULL, proposed_on date NOT NULL);`,
    placements: (s) => `
CREATE TABLE ${s}.placements (
  placement_id text PRIMARY KEY, hired_on date NOT NULL, offer_id text NOT NULL, sector text NOT NULL, contract_type text NOT NULL,
  origin_region text NOT NULL, destination_region text NOT NULL, abroad boolean NOT NULL, flow text NOT NULL
);`,
  },
  handlers: {
    OfferPublished: async (q, s, published) => {
      await q.query(
        `INSERT INTO ${s}.offers (offer_id, region, positions, mass, published_on) VALUES ($1, $2, $3, $4, $5::date)
         ON CONFLICT (offer_id) DO UPDATE SET region = EXCLUDED.region, positions = EXCLUDED.positions, mass = EXCLUDED.mass,
           published_on = LEAST(${s}.offers.published_on, EXCLUDED.published_on)`,
        [published.offerId, published.region, published.positions, published.mass, published.on],
      );
    },
    OfferOpenedToOtherRegions: async (q, s, opened) => {
      await q.query(milestoneSql(s, 'opened_on', '$1', '$2'), [opened.offerId, opened.on]);
    },
    PlacementProposed: async (q, s, proposed) => {
      await q.query(
        `WITH proposal AS (
           INSERT INTO ${s}.proposals (placement_id, offer_id, proposed_on) VALUES ($1, $2, $3::date) ON CONFLICT (placement_id) DO NOTHING)
         ${milestoneSql(s, 'first_proposal_on', '$2', '$3')}`,
        [proposed.placementId, proposed.offerId, proposed.on],
      );
    },
    SeekerHired: async (q, s, hire) => {
      await q.query(
        `WITH placement AS (
           INSERT INTO ${s}.placements (placement_id, hired_on, offer_id, sector, contract_type, origin_region, destination_region, abroad, flow)
           VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (placement_id) DO NOTHING)
         ${milestoneSql(s, 'first_hire_on', '$3', '$2')}`,
        [
          hire.placementId,
          hire.on,
          hire.offerId,
          hire.employer.sector,
          hire.contractType,
          hire.origin.region,
          hire.destination.region,
          hire.flow === 'abroad',
          hire.flow,
        ],
      );
    },
  },
});
