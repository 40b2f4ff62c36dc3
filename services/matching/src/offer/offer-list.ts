import { isoDate, regionCode, trimmedText } from '@tashghil/contracts';
import type { Queryable, SqlPart } from '@tashghil/event-store';
import { equalities, PAGE_PARAMS, pageQuery, readableBy, type Identity } from '@tashghil/service-kit';
import { z } from 'zod';
import { readListPage, stamp } from '../seeker/list-page';
import { iscoList } from '../seeker/seeker-list';
import { CONTRACT_TYPES, type OfferStatus } from './offer.decider';
import { OFFERS_TABLE } from './offer.query-model';

export const OFFER_STATUSES = [
  'received',
  'validated',
  'rejected',
  'published',
  'filled',
  'closed',
  'expired',
] as const satisfies readonly OfferStatus[];

export const offerListQuery = pageQuery.extend({
  region: regionCode.optional(),
  occupation: iscoList.optional(),
  status: z.enum(OFFER_STATUSES).optional(),
  employer: trimmedText(64).optional(),
  mass: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  contractType: z.enum(CONTRACT_TYPES).optional(),
  openedFrom: isoDate.optional(),
  openedTo: isoDate.optional(),
});
export type OfferListQuery = z.infer<typeof offerListQuery>;

export const OFFER_LIST_PARAMS: Readonly<Record<string, string>> = {
  ...PAGE_PARAMS,
  region: 'a region code such as MA-10; a region-scoped caller sees only their own region',
  occupation: 'ISCO-08 unit groups separated by commas: offers for any of them',
  status: OFFER_STATUSES.join(', '),
  employer: 'the employer’s id; an employer sees only its own offers',
  mass: 'true or false: mass offers only, or ordinary ones only',
  contractType: CONTRACT_TYPES.join(', '),
  openedFrom: 'YYYY-MM-DD: received on or after that day',
  openedTo: 'YYYY-MM-DD: received on or before that day',
};

interface OfferRow extends Record<string, unknown> {
  readonly stream_id: string;
  readonly version: string | number;
  readonly updated_at: Date | string;
  readonly offer_id: string;
  readonly region: string;
  readonly province: string;
  readonly abroad_country: string | null;
  readonly occupation: string;
  readonly status: string;
  readonly employer_id: string;
  readonly employer_kind: string;
  readonly employer_sector: string;
  readonly mass: boolean;
  readonly contract_type: string;
  readonly positions: number;
  readonly filled: number;
  readonly open_to_other_regions: boolean;
  readonly opened_on: string;
  readonly valid_until: string;
}

/** What a list shows of an offer: the file by id adds the employer's name and the history of its steps. */
const listed = (row: OfferRow) => ({
  offerId: row.offer_id,
  region: row.region,
  province: row.province,
  ...(row.abroad_country ? { abroadCountry: row.abroad_country } : {}),
  occupation: row.occupation,
  status: row.status,
  employer: { id: row.employer_id, kind: row.employer_kind, sector: row.employer_sector },
  mass: row.mass,
  contractType: row.contract_type,
  positions: Number(row.positions),
  filled: Number(row.filled),
  openToOtherRegions: row.open_to_other_regions,
  openedOn: row.opened_on,
  validUntil: row.valid_until,
  ...stamp(row),
});
export type ListedOffer = ReturnType<typeof listed>;

/** One page of the offers the caller may read (an employer: its own), newest first. */
export const listOffers = async (
  db: Queryable,
  who: Identity,
  query: OfferListQuery,
  http: { url: string; res: { setHeader(name: string, value: string): unknown } },
): Promise<{ offers: ListedOffer[]; next: string | null }> => {
  const { region, occupation, status, employer, mass, contractType, openedFrom, openedTo, ...page } = query;
  const scope = readableBy(who, 'employer_id');
  const where: SqlPart[] = [
    ...(scope ? [scope] : []),
    ...equalities({ region, status, employer_id: employer, contract_type: contractType, occupation }),
    ...(mass !== undefined ? [{ text: 'mass = $?', params: [mass] }] : []),
    ...(openedFrom ? [{ text: 'opened_on >= $?', params: [openedFrom] }] : []),
    ...(openedTo ? [{ text: 'opened_on <= $?', params: [openedTo] }] : []),
  ];
  const { rows, next } = await readListPage<OfferRow>(db, {
    list: 'offers',
    table: OFFERS_TABLE,
    columns:
      'stream_id, version, updated_at, offer_id, region, province, abroad_country, occupation, status, employer_id, ' +
      'employer_kind, employer_sector, mass, contract_type, positions, filled, open_to_other_regions, opened_on, valid_until',
    where,
    orderBy: ['opened_on', 'stream_id'],
    page,
    ...http,
  });
  return { offers: rows.map(listed), next };
};
