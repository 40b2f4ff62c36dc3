import { ValidationError } from '@tashghil/event-store';
import { z } from 'zod';

/** The most rows one page may hold: a list answers in about the time of its first page, however deep. */
export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;

/**
 * The query fields every list takes: `limit`, an opaque `cursor` from the page before, and
 * `updatedSince` (rows changed at or after that instant). Extend it with the list's filters.
 */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  cursor: z.string().min(1).max(2048).optional(),
  // PostgreSQL has no year 0: an instant before year 1 is refused here rather than by the server.
  updatedSince: z.iso
    .datetime({ offset: true })
    .refine((value) => !(Date.parse(value) < Date.parse('0001-01-02T00:00:00Z')), 'must be after the year 1')
    .optional(),
});

export type PageQuery = z.infer<typeof pageQuery>;

const badCursor = (): ValidationError =>
  new ValidationError('INVALID_INPUT', 'the query has 1 invalid field', [
    { path: 'cursor', message: 'is not a cursor of this list; start again without one' },
  ]);

/**
 * A cursor names the list it belongs to and the sort key of the last row given, so a cursor of
 * another list (or another order) is refused rather than read as a wrong place.
 */
export const encodeCursor = (list: string, key: readonly unknown[]): string =>
  Buffer.from(JSON.stringify([list, ...key])).toString('base64url');

/** A character no key of a list holds: a control character, or half of a surrogate pair. */
const unstorable = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0xd800 && code <= 0xdfff);
};

/** The sort key a cursor holds, or undefined without a cursor; a 400 naming `cursor` when it is not one of `list`'s. */
export const decodeCursor = (list: string, cursor: string | undefined, arity: number): unknown[] | undefined => {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(value) || value[0] !== list || value.length !== arity + 1) throw badCursor();
  const key = value.slice(1);
  // A key part the database cannot take (a NUL, a control character) was never made by a list.
  const storable = (part: unknown): boolean =>
    part === null ||
    typeof part === 'number' ||
    typeof part === 'boolean' ||
    (typeof part === 'string' && part.length <= 1000 && ![...part].some(unstorable));
  if (!key.every(storable)) throw badCursor();
  return key;
};

/** What a list answers: its items under their own name, and the cursor of the next page (null on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

/**
 * The `Link` header of a page (RFC 8288): the same request with the next cursor, so a client can
 * follow pages without building URLs. `originalUrl` is the request's path and query.
 */
export const nextLink = (originalUrl: string, next: string | null): string | undefined => {
  if (!next) return undefined;
  const url = new URL(originalUrl, 'http://list.invalid');
  url.searchParams.set('cursor', next);
  return `<${url.pathname}${url.search}>; rel="next"`;
};

/** Sets the Link header of a page on a response (Express or anything with setHeader). */
export const setPageHeaders = (
  res: { setHeader(name: string, value: string): unknown },
  originalUrl: string,
  next: string | null,
): void => {
  const link = nextLink(originalUrl, next);
  if (link) res.setHeader('Link', link);
};
