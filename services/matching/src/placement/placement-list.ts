import { isoDate, regionCode, slug, trimmedText } from '@tashghil/contracts';
import type { Queryable, SqlPart } from '@tashghil/event-store';
import { equalities, PAGE_PARAMS, pageQuery, readableBy, type Identity } from '@tashghil/service-kit';
import { z } from 'zod';
import { readListPage, stamp } from '../seeker/list-page';
import type { PlacementStatus } from './placement.decider';
import { PLACEMENTS_TABLE } from './placement.query-model';

export const PLACEMENT_STATUSES = [
  'proposed',
  'accepted',
  'declined',
  'interviewing',
  'hired',
  'rejected',
] as const satisfies readonly PlacementStatus[];

export const placementListQuery = pageQuery.extend({
  status: z.enum(PLACEMENT_STATUSES).optional(),
  offer: slug.optional(),
  seeker: slug.optional(),
  run: trimmedText(100).optional(),
  region: regionCode.optional(),
  originRegion: regionCode.optional(),
  destinationRegion: regionCode.optional(),
  flow: z.enum(['own_region', 'other_region', 'abroad']).optional(),
  proposedFrom: isoDate.optional(),
  proposedTo: isoDate.optional(),
});
export type PlacementListQuery = z.infer<typeof placementListQuery>;

export const PLACEMENT_LIST_PARAMS: Readonly<Record<string, string>> = {
  ...PAGE_PARAMS,
  status: PLACEMENT_STATUSES.join(', '),
  offer: 'the offer’s id',
  seeker: 'the seeker’s id',
  run: 'the matching run that proposed them',
  region: 'a region code such as MA-10, at either end: the seeker’s or the offer’s',
  originRegion: 'the seeker’s region',
  destinationRegion: 'the offer’s region',
  flow: 'own_region, other_region or abroad',
  proposedFrom: 'YYYY-MM-DD: proposed on or after that day',
  proposedTo: 'YYYY-MM-DD: proposed on or before that day',
};

interface PlacementRow extends Record<string, unknown> {
  readonly stream_id: string;
  readonly version: string | number;
  readonly updated_at: Date | string;
  readonly placement_id: string;
  readonly status: string;
  readonly seeker_id: string;
  readonly offer_id: string;
  readonly run_id: string | null;
  readonly origin_region: string;
  readonly origin_province: string;
  readonly destination_region: string;
  readonly destination_province: string;
  readonly abroad_country: string | null;
  readonly flow: string;
  readonly employer_id: string;
  readonly occupation: string;
  readonly score: number;
  readonly proposed_on: string;
}

/** What a list shows of a placement: the seeker by id only; the file by id adds the score's parts and categories. */
const listed = (row: PlacementRow) => ({
  placementId: row.placement_id,
  status: row.status,
  seekerId: row.seeker_id,
  offerId: row.offer_id,
  ...(row.run_id ? { runId: row.run_id } : {}),
  origin: { region: row.origin_region, province: row.origin_province },
  destination: {
    region: row.destination_region,
    province: row.destination_province,
    ...(row.abroad_country ? { abroadCountry: row.abroad_country } : {}),
  },
  flow: row.flow,
  employerId: row.employer_id,
  occupation: row.occupation,
  score: Number(row.score),
  proposedOn: row.proposed_on,
  ...stamp(row),
});
export type ListedPlacement = ReturnType<typeof listed>;

/**
 * One page of the placements the caller may read, newest proposal first: an officer or a committee
 * member reaches those of their region at either end, as GET /placements/:id allows.
 */
export const listPlacements = async (
  db: Queryable,
  who: Identity,
  query: PlacementListQuery,
  http: { url: string; res: { setHeader(name: string, value: string): unknown } },
): Promise<{ placements: ListedPlacement[]; next: string | null }> => {
  const {
    status,
    offer,
    seeker,
    run,
    region,
    originRegion,
    destinationRegion,
    flow,
    proposedFrom,
    proposedTo,
    ...page
  } = query;
  const scope = readableBy(who, undefined, ['origin_region', 'destination_region']);
  const where: SqlPart[] = [
    ...(scope ? [scope] : []),
    ...equalities({
      status,
      offer_id: offer,
      seeker_id: seeker,
      run_id: run,
      origin_region: originRegion,
      destination_region: destinationRegion,
      flow,
    }),
    ...(region ? [{ text: 'origin_region = $? OR destination_region = $?', params: [region, region] }] : []),
    ...(proposedFrom ? [{ text: 'proposed_on >= $?', params: [proposedFrom] }] : []),
    ...(proposedTo ? [{ text: 'proposed_on <= $?', params: [proposedTo] }] : []),
  ];
  const { rows, next } = await readListPage<PlacementRow>(db, {
    list: 'placements',
    table: PLACEMENTS_TABLE,
    columns:
      'stream_id, version, updated_at, placement_id, status, seeker_id, offer_id, run_id, origin_region, ' +
      'origin_province, destination_region, destination_province, abroad_country, flow, employer_id, occupation, ' +
      'score, proposed_on',
    where,
    orderBy: ['proposed_on', 'stream_id'],
    page,
    ...http,
  });
  return { placements: rows.map(listed), next };
};
