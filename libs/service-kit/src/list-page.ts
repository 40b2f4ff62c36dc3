import { selectPage, type Queryable, type SqlPart } from '@tashghil/event-store';
import type { Identity } from './identity';
import { decodeCursor, encodeCursor, setPageHeaders, type PageQuery } from './paging';

/** How every list documents its paging parameters in OpenAPI, beside its own filters. */
export const PAGE_PARAMS: Readonly<Record<string, string>> = {
  limit: 'rows per page, 1 to 500 (100 when absent)',
  cursor: 'the `next` of the page before (also in its Link header); opaque, and only for the same list',
  updatedSince: 'an ISO instant with its offset: only the files changed at or after it',
};

const ORGANISATIONS: readonly string[] = ['employer', 'association'];
const REGION_SCOPED: readonly string[] = ['officer', 'committee'];

/**
 * The read rule of assertRegionAccess as a condition on a query model's rows, so a list reads only
 * what its caller may see instead of filtering after the read: undefined for the admin and the
 * auditor (everything), a row of the caller's region (in any of `regionColumns`: a placement has
 * two) for an officer or a committee member, the files an organisation owns where the list has an
 * owner column, and nothing for anyone else. list-page.int.spec.ts here and in matching check it
 * against mayRead for every role.
 */
export const readableBy = (
  who: Identity,
  ownerColumn?: string,
  regionColumns: readonly string[] = ['region'],
): SqlPart | undefined => {
  if (who.roles.includes('admin') || who.roles.includes('auditor')) return undefined;
  const reach: SqlPart[] = [];
  if (who.region !== undefined && who.roles.some((r) => REGION_SCOPED.includes(r)))
    for (const column of regionColumns) reach.push({ text: `${column} = $?`, params: [who.region] });
  if (ownerColumn && who.org !== undefined && who.roles.some((r) => ORGANISATIONS.includes(r)))
    reach.push({ text: `${ownerColumn} = $?`, params: [who.org] });
  if (reach.length === 0) return { text: 'false', params: [] };
  return { text: reach.map((part) => `(${part.text})`).join(' OR '), params: reach.flatMap((part) => part.params) };
};

/** One condition per filter the request gives: `column = value`, or for a list of text `column = ANY(list)`. */
export const equalities = (filters: Readonly<Record<string, unknown>>): SqlPart[] =>
  Object.entries(filters).flatMap(([column, value]): SqlPart[] => {
    if (value === undefined) return [];
    if (Array.isArray(value)) return [{ text: `${column} = ANY($?::text[])`, params: [value] }];
    return [{ text: `${column} = $?`, params: [value] }];
  });

export interface ListRead {
  /** The list's name in its cursors: a cursor of another list is refused. */
  readonly list: string;
  readonly table: string;
  readonly where: readonly SqlPart[];
  readonly page: PageQuery;
  /** The request's path and query, for the Link header. */
  readonly url: string;
  readonly res: { setHeader(name: string, value: string): unknown };
}

/** A row as a list reads it: the item as stored, its version and where it sorts. */
export interface ListedRow<V> {
  readonly stream_id: string;
  readonly region: string;
  readonly version: string | number;
  readonly view: V;
}

/**
 * One page of a query model in region then stream order, the order its `(region, stream_id)` index
 * keeps, so a region's list is one range of it and a deep page costs what the first does. Sets the
 * Link header and answers the rows with the cursor of the next page (null on the last).
 */
export const readPage = async <V>(
  db: Queryable,
  read: ListRead,
): Promise<{ rows: ListedRow<V>[]; next: string | null }> => {
  const after = decodeCursor(read.list, read.page.cursor, 2);
  const { rows, next } = await selectPage<ListedRow<V> & Record<string, unknown>>(db, {
    columns: 'stream_id, region, version, view',
    from: read.table,
    where: [
      ...read.where,
      ...(read.page.updatedSince ? [{ text: 'updated_at >= $?::timestamptz', params: [read.page.updatedSince] }] : []),
    ],
    orderBy: ['region', 'stream_id'],
    direction: 'asc',
    limit: read.page.limit,
    ...(after ? { after } : {}),
  });
  const cursor = next ? encodeCursor(read.list, next) : null;
  setPageHeaders(read.res, read.url, cursor);
  return { rows, next: cursor };
};
