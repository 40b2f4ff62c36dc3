import { selectPage, ValidationError, type Queryable, type SqlPart } from '@tashghil/event-store';
import { decodeCursor, encodeCursor, setPageHeaders, type Identity, type PageQuery } from '@tashghil/service-kit';

/** How the matching lists document their paging parameters in OpenAPI, beside their own filters. */
export const PAGE_PARAMS: Readonly<Record<string, string>> = {
  limit: 'rows per page, 1 to 500 (100 when absent)',
  cursor: 'the `next` of the page before (also in its Link header); opaque, and only for the same list',
  updatedSince: 'an ISO instant with its offset: only the files changed at or after it',
};

const ORGANISATIONS: readonly string[] = ['employer', 'association'];
const REGION_SCOPED: readonly string[] = ['officer', 'committee'];

/**
 * The read rule of assertRegionAccess as a condition on a query model's rows, so a list reads only
 * what its caller may see rather than refusing: nothing more for the admin and the auditor, a row
 * of the caller's region (in any of `regionColumns`: a placement has two) for an officer or a
 * committee member, a row the caller's organisation owns where the list has `ownerColumn`, and no
 * row for anyone else. list-page.spec.ts checks it against mayRead for every role.
 */
export const readableBy = (
  who: Identity,
  regionColumns: readonly string[],
  ownerColumn?: string,
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

/** One condition per filter the request gives: `column = value`, or for a list `column = ANY(list)`. */
export const equalities = (filters: Readonly<Record<string, string | readonly string[] | undefined>>): SqlPart[] =>
  Object.entries(filters).flatMap(([column, value]): SqlPart[] => {
    if (value === undefined) return [];
    if (typeof value === 'string') return [{ text: `${column} = $?`, params: [value] }];
    return [{ text: `${column} = ANY($?::text[])`, params: [value] }];
  });

export interface ListSpec {
  /** The list's name in its cursors: a cursor of another list is refused. */
  readonly list: string;
  readonly table: string;
  readonly columns: string;
  readonly where: readonly SqlPart[];
  /**
   * The sort key, newest first: a day column that never changes once the row exists, then
   * stream_id. Rows written while a client pages keep their place, so it sees every row that was
   * there when it started exactly once.
   */
  readonly orderBy: readonly [string, 'stream_id'];
  readonly page: PageQuery;
  /** The request's path and query, for the Link header. */
  readonly url: string;
  readonly res: { setHeader(name: string, value: string): unknown };
}

const invalid = (path: string, message: string): ValidationError =>
  new ValidationError('INVALID_INPUT', 'the query has 1 invalid field', [{ path, message }]);
const badCursor = (): ValidationError => invalid('cursor', 'is not a cursor of this list; start again without one');

/**
 * One page of a query model by keyset, newest first, through the index that starts with the
 * caller's scope and the sort key. Sets the Link header; answers the rows and the next cursor (null
 * on the last page).
 */
export const readListPage = async <R extends Record<string, unknown>>(
  db: Queryable,
  spec: ListSpec,
): Promise<{ rows: R[]; next: string | null }> => {
  const after = decodeCursor(spec.list, spec.page.cursor, spec.orderBy.length);
  // Every sort key here is a day and a stream id, printable ASCII: a cursor holding anything else
  // (a number, a NUL the database would choke on) was not made by this list.
  if (after && !after.every((part) => typeof part === 'string' && /^[\x20-\x7e]{1,200}$/.test(part))) throw badCursor();
  const { rows, next } = await selectPage<R>(db, {
    columns: spec.columns,
    from: spec.table,
    where: [
      ...spec.where,
      ...(spec.page.updatedSince ? [{ text: 'updated_at >= $?::timestamptz', params: [spec.page.updatedSince] }] : []),
    ],
    orderBy: spec.orderBy,
    direction: 'desc',
    limit: spec.page.limit,
    ...(after ? { after } : {}),
  });
  const cursor = next ? encodeCursor(spec.list, next) : null;
  setPageHeaders(spec.res, spec.url, cursor);
  return { rows, next: cursor };
};

/** The columns every list item ends with: the stream's version and when the row last changed. */
export const stamp = (row: { version: unknown; updated_at: unknown }) => ({
  version: Number(row.version),
  updatedAt: row.updated_at instanceof Date ? row.updated_at.toISOString() : String(row.updated_at),
});
