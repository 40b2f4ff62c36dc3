import { DEV_JWT_SECRET, mintToken, type Identity } from '@tashghil/service-kit';

/** Tokens signed with the development secret that every service accepts outside production. */
export const tokenFor = (identity: Identity): string =>
  mintToken({ secret: DEV_JWT_SECRET, issuer: 'tashghil', audience: 'tashghil' }, identity, 600);

export const officer = (region: string): string => tokenFor({ sub: `officer-${region}`, roles: ['officer'], region });

export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** One HTTP call as a client makes it; a string body is sent as it is (for malformed JSON). */
export const call = async (
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
};
