import { selectPage, ValidationError, type Queryable, type SqlPart } from '@tashghil/event-store';
import { decodeCursor, encodeCursor, setPageHeaders, type PageQuery } from '@tashghil/service-kit';

/*
 * Matching's lists sort newest first by a day, where the other services' lists keep region order
 * (libs/service-kit list-page.ts, whose paging parameters, read rule and filters these share).
 */

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
