/**
 * q.offers: one row per employer's offer, written with every append to the offer's stream (so a list
 * read after a write shows it on every replica) and what a batch matching run reads its offers from.
 * An offer names an organisation, not a person; the employer's name stays out all the same (a list
 * shows the employer's id; the file by id has the rest).
 *
 * Columns besides stream_id (`matching.offer-<offerId>`), version (the stream's) and updated_at
 * (the commit that last changed the row):
 * - offer_id                     the id the API names the offer by;
 * - region, province             the agency that handles it (region a code MA-01 … MA-12);
 * - abroad_country               ISO 3166-1 alpha-2 when the job is abroad, else null;
 * - occupation                   one ISCO-08 unit group (4 digits);
 * - status                       received | validated | rejected | published | filled | closed | expired;
 * - employer_id, employer_kind, employer_sector   whose offer it is (an employer token's `org` is employer_id);
 * - mass                         a mass offer (regional and national at once);
 * - opened_on                    the day the offer was received, its file opened, YYYY-MM-DD;
 * - contract_type, required_education, skills    what the job asks (scoring reads the last two);
 * - positions, filled            positions offered and filled so far (a run offers positions - filled);
 * - open_to_other_regions        seekers of every region may be proposed;
 * - opens_to_other_regions_on    the day it may open to them, once published, else null;
 * - valid_until                  the last day of its validity, YYYY-MM-DD.
 *
 * Days are ISO text (YYYY-MM-DD): they sort and compare as dates, and read back without a time zone.
 */
import type { QueryModel } from '@tashghil/event-store';
import type { Offer } from './offer.decider';

export const OFFERS_TABLE = 'q.offers';

export const offerQueryModel: QueryModel<Offer> = {
  table: OFFERS_TABLE,
  category: 'matching.offer',
  columns: {
    offer_id: 'text',
    region: 'text',
    province: 'text',
    abroad_country: 'text',
    occupation: 'text',
    status: 'text',
    employer_id: 'text',
    employer_kind: 'text',
    employer_sector: 'text',
    mass: 'boolean',
    opened_on: 'text',
    contract_type: 'text',
    required_education: 'text',
    skills: 'text[]',
    positions: 'integer',
    filled: 'integer',
    open_to_other_regions: 'boolean',
    opens_to_other_regions_on: 'text',
    valid_until: 'text',
  },
  // Lists sort newest first, stream id last, and start with what the caller is held to: a region for
  // officers, an employer for its own offers. A run reads the published offers by stream id.
  indexes: [
    'region, opened_on DESC, stream_id DESC',
    'opened_on DESC, stream_id DESC',
    'region, status, opened_on DESC, stream_id DESC',
    'employer_id, opened_on DESC, stream_id DESC',
    'occupation, opened_on DESC, stream_id DESC',
    'status, stream_id',
  ],
  row: (o) =>
    o.status === 'none'
      ? null
      : {
          offer_id: o.offerId,
          region: o.region,
          province: o.province,
          abroad_country: o.abroadCountry ?? null,
          occupation: o.occupation,
          status: o.status,
          employer_id: o.employer.id,
          employer_kind: o.employer.kind,
          employer_sector: o.employer.sector,
          mass: o.mass,
          opened_on: o.steps.at(0)?.on ?? null,
          contract_type: o.contractType,
          required_education: o.requiredEducation,
          skills: o.skills,
          positions: o.positions,
          filled: o.filled,
          open_to_other_regions: o.openToOtherRegions,
          opens_to_other_regions_on: o.opensToOtherRegionsOn ?? null,
          valid_until: o.validUntil,
        },
};
