import { decodeCursor, encodeCursor, nextLink, pageQuery } from './paging';

describe('list paging', () => {
  it('reads limit with its default and bounds, and a cursor and updatedSince', () => {
    expect(pageQuery.parse({})).toEqual({ limit: 100 });
    expect(pageQuery.parse({ limit: '500', updatedSince: '2026-01-01T00:00:00Z' })).toEqual({
      limit: 500,
      updatedSince: '2026-01-01T00:00:00Z',
    });
    expect(pageQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(pageQuery.safeParse({ updatedSince: 'yesterday' }).success).toBe(false);
    expect(pageQuery.safeParse({ updatedSince: '0000-06-01T00:00:00Z' }).success).toBe(false);
  });

  it('gives back the key a cursor was made of, for its own list only', () => {
    const cursor = encodeCursor('seekers', ['2024-03-01', 'matching.seeker-s1']);
    expect(decodeCursor('seekers', cursor, 2)).toEqual(['2024-03-01', 'matching.seeker-s1']);
    expect(decodeCursor('seekers', undefined, 2)).toBeUndefined();
    for (const bad of [encodeCursor('offers', ['x', 'y']), encodeCursor('seekers', ['x']), 'not base64 json', '%%%']) {
      expect(() => decodeCursor('seekers', bad, 2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    const nested = Buffer.from(JSON.stringify(['seekers', { a: 1 }, 'y'])).toString('base64url');
    expect(() => decodeCursor('seekers', nested, 2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('links the next page with the same filters and the new cursor', () => {
    expect(nextLink('/seekers?region=souss-massa&cursor=old&limit=2', 'NEW')).toBe(
      '</seekers?region=souss-massa&cursor=NEW&limit=2>; rel="next"',
    );
    expect(nextLink('/seekers', null)).toBeUndefined();
  });
});
