import { isoDate, regionCode, trimmedText } from '@tashghil/contracts';
import type { Queryable, SqlPart } from '@tashghil/event-store';
import { equalities, PAGE_PARAMS, pageQuery, readableBy, type Identity } from '@tashghil/service-kit';
import { z } from 'zod';
import { isIscoUnitGroup } from '../occupation/isco-08';
import { readListPage, stamp } from './list-page';
import { EDUCATION_LEVELS, MOBILITY } from './seeker.decider';
import { SEEKERS_TABLE } from './seeker.query-model';

export const SEEKER_STATUSES = ['registered', 'withdrawn', 'placed', 'erased'] as const;

/** A comma-separated list of ISCO-08 unit groups, as a query string carries one: `7212,8160`. */
export const iscoList = z
  .string()
  .max(200)
  .transform((s) => s.split(','))
  .pipe(z.array(z.string().refine(isIscoUnitGroup, 'must be an ISCO-08 unit group (4 digits)')).min(1).max(20));

export const seekerListQuery = pageQuery.extend({
  region: regionCode.optional(),
  province: trimmedText(100).optional(),
  occupations: iscoList.optional(),
  education: z.enum(EDUCATION_LEVELS).optional(),
  mobility: z.enum(MOBILITY).optional(),
  status: z.enum(SEEKER_STATUSES).optional(),
  registeredFrom: isoDate.optional(),
  registeredTo: isoDate.optional(),
});
export type SeekerListQuery = z.infer<typeof seekerListQuery>;

export const SEEKER_LIST_PARAMS: Readonly<Record<string, string>> = {
  ...PAGE_PARAMS,
  region: 'a region code such as MA-10; a region-scoped caller sees only their own region',
  province: 'the province, as registered',
  occupations: 'ISCO-08 unit groups separated by commas: seekers looking for any of them',
  education: EDUCATION_LEVELS.join(', '),
  mobility: MOBILITY.join(', '),
  status: SEEKER_STATUSES.join(', '),
  registeredFrom: 'YYYY-MM-DD: registered on or after that day',
  registeredTo: 'YYYY-MM-DD: registered on or before that day',
};

interface SeekerRow extends Record<string, unknown> {
  readonly stream_id: string;
  readonly version: string | number;
  readonly updated_at: Date | string;
  readonly seeker_id: string;
  readonly region: string;
  readonly province: string;
  readonly occupations: string[];
  readonly education: string;
  readonly mobility: string;
  readonly status: string;
  readonly registered_on: string;
}

/** What a list shows of a seeker, whoever asks: nothing that identifies them, nor their categories. */
const listed = (row: SeekerRow) => ({
  seekerId: row.seeker_id,
  region: row.region,
  province: row.province,
  occupations: row.occupations,
  education: row.education,
  mobility: row.mobility,
  status: row.status,
  registeredOn: row.registered_on,
  ...stamp(row),
});
export type ListedSeeker = ReturnType<typeof listed>;

/** One page of the seekers the caller may read, newest registration first. */
export const listSeekers = async (
  db: Queryable,
  who: Identity,
  query: SeekerListQuery,
  http: { url: string; res: { setHeader(name: string, value: string): unknown } },
): Promise<{ seekers: ListedSeeker[]; next: string | null }> => {
  const { region, province, occupations, education, mobility, status, registeredFrom, registeredTo, ...page } = query;
  const scope = readableBy(who);
  const where: SqlPart[] = [
    ...(scope ? [scope] : []),
    ...equalities({ region, province, education, mobility, status }),
    ...(occupations ? [{ text: 'occupations && $?::text[]', params: [occupations] }] : []),
    ...(registeredFrom ? [{ text: 'registered_on >= $?', params: [registeredFrom] }] : []),
    ...(registeredTo ? [{ text: 'registered_on <= $?', params: [registeredTo] }] : []),
  ];
  const { rows, next } = await readListPage<SeekerRow>(db, {
    list: 'seekers',
    table: SEEKERS_TABLE,
    columns:
      'stream_id, version, updated_at, seeker_id, region, province, occupations, education, mobility, status, registered_on',
    where,
    orderBy: ['registered_on', 'stream_id'],
    page,
    ...http,
  });
  return { seekers: rows.map(listed), next };
};
