/**
 * Requests for the HTTP fuzz suite, generated from the OpenAPI document the platform serves: bodies
 * that follow a documented schema, the same one field off, noise, malformed text and wrong content
 * types; path parameters and query strings a client could type or a script could forge.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import {
  conforming,
  dates,
  jsonText,
  mutated,
  nastyString,
  nearExample,
  tainted,
  type Schema,
} from './json-schema-values.spec-helper';

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly query: readonly string[];
  readonly body?: { readonly type: string; readonly schema: Schema };
}

interface OpenApi {
  readonly paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ name: string; in: string }>;
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
}

export const operationsOf = (doc: OpenApi): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const [type, content] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        ...(type && content ? { body: { type, schema: content.schema } } : {}),
      };
    }),
  );

const MALFORMED = [
  '{',
  '}',
  '{"a":',
  '[1,]',
  '{"a":1,}',
  "{'a':1}",
  'NaN',
  'undefined',
  '{"a":01}',
  '"\u0000',
  '\ufeff{}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"a":1}{"b":2}',
  '0',
  '"text"',
  'null',
  'true',
  '[]',
  '\u0000',
  '{"__proto__":{"polluted":1}}',
  `{"a":${'9'.repeat(400)}}`,
];

export interface Body {
  readonly contentType?: string;
  readonly encoding?: string;
  readonly text: string;
}

const CONTENT_TYPES = [
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/json;;',
  'a/b/c',
  'json',
  '*/*',
];

const csvText = fc
  .tuple(
    fc.constantFrom(
      'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email',
      'offerId,employerKind,employerId,employerName,sector,region,province,abroadCountry,occupation,positions,requiredEducation,skills,contractType,mass,validUntil',
      'a',
      '',
    ),
    fc.array(
      fc.array(
        fc.oneof(
          nastyString,
          dates,
          fc.constantFrom('MA-10', 'female', 'true', '6111', 'x|y', '"', '""', '"a""b"', '\r', '\n'),
        ),
        { maxLength: 20 },
      ),
      { maxLength: 4 },
    ),
  )
  .map(([header, rows]) => [header, ...rows.map((r) => r.join(','))].join('\n'));

const csvCell = (v: string, quote: boolean): string => (quote || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV file of one valid row (columns as the example's keys, a fresh id first), perhaps with one cell hostile. */
const csvNear = (example: Record<string, unknown>): fc.Arbitrary<string> => {
  const columns = Object.keys(example);
  const change = fc
    .constantFrom(...columns.slice(1))
    .chain((column) => fc.tuple(fc.constant(column), fc.oneof(tainted(String(example[column])), nastyString, dates)));
  return fc
    .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.option(change), fc.boolean())
    .map(([n, changed, quote]) => {
      const row = columns.map((c, i) =>
        i === 0 ? `fuzz-import-${n}` : changed?.[0] === c ? changed[1] : String(example[c]),
      );
      return `${columns.join(',')}\n${row.map((v) => csvCell(v, quote)).join(',')}\n`;
    });
};

/** Every kind of body a client could send to an operation; most are near a valid example when there is one. */
export const bodyFor = (op: Operation, example?: Record<string, unknown>): fc.Arbitrary<Body | undefined> => {
  const schema = op.body?.schema ?? {};
  const json = (value: fc.Arbitrary<unknown>) =>
    value.map((v): Body => ({ contentType: 'application/json', text: jsonText(v) }));
  const kinds: Array<fc.Arbitrary<Body | undefined>> = [
    fc.constant(undefined),
    json(fc.jsonValue({ maxDepth: 3 })),
    fc.constantFrom(...MALFORMED).map((text): Body => ({ contentType: 'application/json', text })),
    fc
      .tuple(fc.constantFrom(...CONTENT_TYPES), fc.oneof(conforming(schema).map(jsonText), nastyString))
      .map(([contentType, text]): Body => ({ contentType, text })),
    fc
      .tuple(fc.constantFrom('gzip', 'deflate', 'br', 'x-nope'), conforming(schema))
      .map(([encoding, v]): Body => ({ contentType: 'application/json', encoding, text: jsonText(v) })),
    conforming(schema).map((v): Body => ({ text: jsonText(v) })),
  ];
  if (op.body?.type === 'text/csv') {
    return fc.oneof(
      ...(example
        ? [{ weight: 6, arbitrary: csvNear(example).map((text): Body => ({ contentType: 'text/csv', text })) }]
        : []),
      { weight: 3, arbitrary: csvText.map((text): Body => ({ contentType: 'text/csv', text })) },
      ...kinds.map((arbitrary) => ({ weight: 1, arbitrary })),
    );
  }
  if (op.body) {
    return fc.oneof(
      ...(example ? [{ weight: 12, arbitrary: json(nearExample(example, schema)) }] : []),
      { weight: 6, arbitrary: json(conforming(schema)) },
      { weight: 6, arbitrary: json(mutated(schema)) },
      ...kinds.map((arbitrary) => ({ weight: 1, arbitrary })),
    );
  }
  return fc.oneof(
    { weight: kinds.length, arbitrary: fc.constant(undefined) },
    ...kinds.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
};

/** Percent-encodes any string, lone surrogates too (as their WTF-8 bytes, which no decoder accepts). */
export const encode = (s: string): string =>
  Array.from(s, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
  }).join('');

/**
 * Sent as they are, so the server sees them undecoded. Not a raw byte above 0x7f: Node's parser
 * answers that with a bare 400 before the application sees the request.
 */
const RAW = fc.constantFrom(
  '..',
  '.',
  '%',
  '%00',
  '%2e%2e',
  '%2F',
  '%E2%82',
  '%ff',
  '%ED%A0%80',
  '~',
  "'",
  '"',
  '*',
  '$',
  '@',
  ';',
  ',',
  '+',
  '=',
  ':',
  '!',
);

/** A path parameter: mostly an id that exists, so the request reaches the decider. */
export const segment = (known: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: known.length ? fc.constantFrom(...known).map(encode) : fc.constant('x') },
    { weight: 1, arbitrary: RAW },
    // Short enough that the URL stays under Node's 16 kB header limit, which Node answers itself.
    { weight: 2, arbitrary: nastyString.map((s) => encode(s.slice(0, 400))) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom('MA-10', 'MA-13', 'awrach', '2022', '1999', '-1', '99999999999999999999', '2022.5', ''),
          fc.integer().map(String),
        )
        .map(encode),
    },
  );

export const queryFor = (op: Operation): fc.Arbitrary<string> => {
  const keys = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(...op.query, 'region', 'asOf', 'year', 'skipBadRows', 'status', 'limit', 'cursor'),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'region[]',
        'region[a]',
        '__proto__',
        '__proto__[x]',
        'constructor[prototype][x]',
        '',
        '&',
        '=',
      ),
    },
    { weight: 1, arbitrary: nastyString.map((s) => s.slice(0, 50)) },
  );
  const values = fc.oneof(
    fc.constantFrom('MA-10', 'MA-09', 'true', 'false', '2022', '2022-06-30', '0000-01-01', '2022-02-30', '', '1e3'),
    // A list's page size, cursors it never gave (one of another list, one of a wrong key), an instant for updatedSince.
    fc.constantFrom('1', '500', '501', '0', '-1', '2.5', 'Zm9v', '2022-06-01T00:00:00Z', '2022-06-01T25:00:00Z'),
    fc
      .constantFrom<unknown[]>(['seekers', '2022-06-01', 'x'], ['offers', 1], ['x'], [], [null, { a: 1 }])
      .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
    dates,
    nastyString.map((s) => s.slice(0, 300)),
  );
  const pairs = fc
    .array(fc.tuple(keys, values, fc.boolean()), { minLength: 1, maxLength: 4 })
    .map((list) =>
      list
        .map(([k, v, raw]) => (raw && /^[\w.~-]*$/.test(v) ? `${encode(k)}=${v}` : `${encode(k)}=${encode(v)}`))
        .join('&'),
    );
  return fc.oneof({ weight: op.query.length ? 1 : 2, arbitrary: fc.constant('') }, { weight: 1, arbitrary: pairs });
};

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Body;
}

const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const hostileHeaders = fc.record(
  {
    'if-match': fc.oneof(
      fc.constantFrom('"0"', '"1"', '"-1"', '*', 'W/"3"', '"99999999999999999999999"', '"1e3"', '0', 'garbage'),
      headerValue,
    ),
    'idempotency-key': fc.oneof(fc.constantFrom('key-1', 'key-2', ''), headerValue),
    'x-correlation-id': headerValue,
    accept: fc.constantFrom(
      'application/json',
      'application/xml',
      'text/csv',
      '*/*',
      'application/problem+json',
      'nonsense',
    ),
  },
  { requiredKeys: [] },
);
const optionalHeaders = fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders });

/** `known(path, name)` names the ids that exist for a path parameter. */
export const requestFor = (
  op: Operation,
  known: (path: string, name: string) => readonly string[],
  token: string,
  example?: Record<string, unknown>,
): fc.Arbitrary<FuzzRequest> => {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  return fc
    .tuple(
      fc.tuple(...names.map((name) => segment(known(op.path, name)))),
      queryFor(op),
      bodyFor(op, example),
      optionalHeaders,
    )
    .map(([segments, query, body, headers]) => {
      let i = 0;
      const path = op.path.replace(/\{\w+\}/g, () => segments[i++] ?? '');
      return {
        method: op.method,
        path: query ? `${path}?${query}` : path,
        headers: {
          ...headers,
          authorization: `Bearer ${token}`,
          ...(body?.contentType !== undefined ? { 'content-type': body.contentType } : {}),
          ...(body?.encoding !== undefined ? { 'content-encoding': body.encoding } : {}),
        },
        ...(body ? { body } : {}),
      };
    });
};

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The resource a 202 names, to follow to its end. */
  readonly location?: string;
}

/**
 * One request over node:http, which sends the path as given (no normalising of `..`), on its own
 * connection (a body the server refused unread must not leak into the next request), with a
 * Content-Length always (Node sends a GET's body without one).
 */
export const send = (base: string, r: FuzzRequest): Promise<Answer> => {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: {
          ...r.headers,
          connection: 'close',
          ...(r.body ? { 'content-length': String(Buffer.byteLength(r.body.text)) } : {}),
        },
        agent: false,
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            ...(res.headers.location ? { location: res.headers.location } : {}),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within 60 s to ${r.method} ${r.path.slice(0, 200)}`)));
    req.on('error', reject);
    req.end(r.body?.text);
  });
};

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The refusals of the decoders, each of which lists what it could not read in `errors`. */
const NAMES_FIELDS = new Set([
  'INVALID_INPUT',
  'MALFORMED_JSON',
  'MALFORMED_PATH',
  'BAD_BODY',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_IF_MATCH',
  'CSV_SYNTAX',
  'EMPTY_FILE',
  'IMPORT_REJECTED',
]);

/**
 * What is wrong with a 4xx answer as ProblemFilter must write it, or undefined: RFC 9457
 * problem+json whose status is the answer's, a stable code, and for an invalid input the list of
 * fields at fault, each with its path and why.
 */
export const problemFault = (a: Answer): string | undefined => {
  if (!a.contentType.startsWith('application/problem+json')) return 'not problem+json';
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(a.text) as Record<string, unknown>;
  } catch {
    return 'problem+json that does not parse';
  }
  if (problem === null || typeof problem !== 'object' || Array.isArray(problem))
    return 'a problem that is not an object';
  if (problem.status !== a.status) return `a problem whose status ${String(problem.status)} is not the answer's`;
  if (!text(problem.code) || !/^[A-Z][A-Z0-9_]*$/.test(problem.code)) return 'a problem without a stable code';
  if (!text(problem.type) || !text(problem.title) || !text(problem.detail))
    return 'a problem without type, title or detail';
  const { errors } = problem;
  if (
    errors !== undefined &&
    (!Array.isArray(errors) ||
      !errors.every((e: { path?: unknown; message?: unknown }) => text(e.path) && text(e.message)))
  ) {
    return 'errors that are not a list of { path, message }';
  }
  // The fallback code of an HttpException ProblemFilter has no mapping for.
  if (/^HTTP_\d+$/.test(problem.code)) return 'an error ProblemFilter does not know';
  if (NAMES_FIELDS.has(problem.code) && (!Array.isArray(errors) || errors.length === 0))
    return `${problem.code} naming no field`;
  return undefined;
};

/** The states a job is in before its end: a matching run's, an import's, a read model rebuild's. */
const UNFINISHED = new Set(['requested', 'solved', 'running']);

/**
 * Follows the resource a 202 names until its job ended, so that what the job appends is not taken
 * for what a later request stored. Gives up after `ms` and says so.
 */
export const followJob = async (base: string, location: string, token: string, ms = 120_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await send(base, { method: 'GET', path: location, headers: { authorization: `Bearer ${token}` } });
    const body = answer.status === 200 ? (JSON.parse(answer.text) as { status?: string; state?: string }) : {};
    if (answer.status !== 200 || !UNFINISHED.has(String(body.status ?? body.state))) return;
    if (Date.now() > deadline)
      throw new Error(`${location} had not ended after ${ms} ms: ${answer.text.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
