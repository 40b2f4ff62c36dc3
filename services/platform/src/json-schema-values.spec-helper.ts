/**
 * Values for JSON Schemas, as the HTTP fuzz suite sends them: values that follow a documented
 * schema (biased to what the service accepts), the same one field off, and hostile values of every
 * JSON type.
 */
import fc from 'fast-check';

export interface Schema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean | number;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
export const dates = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 2019, max: 2027 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`),
  },
  fc.constantFrom(
    '2022-02-30',
    '2021-02-29',
    '0000-01-01',
    '0001-01-01',
    '9999-12-31',
    '1900-01-01',
    '2022-13-01',
    '2022-1-1',
    '2022-01-01T00:00:00Z',
    '',
  ),
);
const months = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 2020, max: 2026 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${pad(m)}`),
  },
  fc.constantFrom('2022-13', '2022-00', '0000-01', '9999-12', '2022-1'),
);

/** Realistic values for fields whose documented schema is only "a string". */
const HINTS: ReadonlyArray<readonly [RegExp, fc.Arbitrary<unknown>]> = [
  [/^occupations?$/, fc.constantFrom('6111', '9312', '7112', '5120', '8322', '0000', '61')],
  [/^month$/, months],
  [/(date|Date|^on$|On$|^start$|^end$|^from$|^to$|^lastDay$|^validUntil$)/, dates],
  [/^province$/, fc.constantFrom('Guelmim', 'Tiznit', 'Agadir-Ida-Ou-Tanane')],
  [/^scheme$/, fc.constantFrom('awrach-1', 'awrach-2', 'awrach-works', 'nope')],
  [/^programme(Line)?$/, fc.constantFrom('awrach', 'idmaj')],
];

const word = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789- '),
    minLength: min,
    maxLength: Math.max(min, max),
  });

const matching = (pattern: string, min: number, max: number): fc.Arbitrary<string> => {
  try {
    return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length >= min && s.length <= max);
  } catch {
    return word(min, Math.min(max, 20));
  }
};

/** A value that follows the schema, biased to what the service would accept. */
export const conforming = (schema: Schema, name = ''): fc.Arbitrary<unknown> => {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => conforming(s, name)));
  if (schema.allOf?.[0]) return conforming(schema.allOf[0], name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 40;
      // A hint first: an ISCO code's pattern allows any four digits, most of them no occupation.
      const hint = HINTS.find(([re]) => re.test(name));
      if (hint) return hint[1];
      if (schema.format === 'date') return dates;
      if (schema.pattern) return matching(schema.pattern, min, max);
      return word(Math.max(min, 1), Math.min(max, 20));
    }
    case 'integer':
    case 'number': {
      const exclusive = schema.exclusiveMinimum === true ? 1 : 0;
      const min = Math.max(schema.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER) + exclusive;
      const max = Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const low = Math.max(min, 0);
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: low, max: Math.max(low, Math.min(max, 500_000)) }) },
        fc.integer({ min, max }),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = schema.minItems ?? 0;
      return fc.array(schema.items ? conforming(schema.items, name.replace(/s$/, '')) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: min,
        maxLength: Math.min(schema.maxItems ?? 3, Math.max(min, 3)),
      });
    }
    case 'object':
    case undefined: {
      if (!schema.properties) {
        const extra = schema.additionalProperties;
        return typeof extra === 'object'
          ? fc.dictionary(word(1, 8), conforming(extra), { maxKeys: 3 })
          : fc.jsonValue({ maxDepth: 2 });
      }
      const model = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, conforming(s, k)]));
      return fc.record(model, { requiredKeys: [...(schema.required ?? [])] });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
};

/** Stands for a value too deeply nested for JSON.stringify; spliced into the body text. */
export const DEEP = '@@deep@@';
const deepText = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

/** JSON text of a value, with every DEEP marker spelled out as 20,000 nested arrays. */
export const jsonText = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'null';
  return text.split(`"${DEEP}"`).join(deepText(20_000));
};

const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    'NaN',
    'Infinity',
    '-1',
    '1e309',
    '0x1F',
    '١٢٣',
    'كلميم واد نون',
    '\u202eMA-10',
    '𝔐𝔄',
    '..',
    '../../etc/passwd',
    '%00',
    '%ff',
    '<script>alert(1)</script>',
    "'; DROP TABLE es.events; --",
    '${jndi:ldap://x}',
    '__proto__',
    'constructor',
    'toString',
    'MA-13',
    'ma-10',
    '2022-02-30',
    '0000-01-01',
    '9999-12-31',
    '+002022-01-01',
    '1900-02-29',
    '2022-13',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.oneof(lone, fc.constant('\u0000'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    maxLength: 12,
  }),
  fc.integer({ min: 300, max: 200_000 }).map((n) => 'é'.repeat(n)),
);
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    0.5,
    -0.01,
    1.005,
    1e21,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 63),
    [],
    {},
    [null],
    [[[]]],
    { a: {} },
    DEEP,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

type Path = ReadonlyArray<string | number>;
const pathsIn = (value: unknown, path: Path = []): Path[] => {
  if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => pathsIn(v, [...path, i]))];
  if (value !== null && typeof value === 'object')
    return [path, ...Object.entries(value).flatMap(([k, v]) => pathsIn(v, [...path, k]))];
  return [path];
};

type Mutation = { kind: 'drop' } | { kind: 'set'; value: unknown } | { kind: 'add'; key: string; value: unknown };
/** A copy of `root` with the value at `path` dropped, replaced, or given one key more. */
export const mutate = (root: unknown, path: Path, m: Mutation): unknown => {
  if (path.length === 0)
    return m.kind === 'set'
      ? m.value
      : m.kind === 'add' && root && typeof root === 'object'
        ? { ...root, [m.key]: m.value }
        : undefined;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const key = path[path.length - 1] ?? '';
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (m.kind === 'set') parent[key] = m.value;
  else if (parent[key] && typeof parent[key] === 'object' && !Array.isArray(parent[key]))
    parent[key] = { ...(parent[key] as object), [m.key]: m.value };
  else parent[key] = m.value;
  return copy;
};

/** A conforming value with one thing wrong: a field dropped, given a hostile value, or one too many. */
export const mutated = (schema: Schema): fc.Arbitrary<unknown> =>
  conforming(schema).chain((v) =>
    fc
      .tuple(
        fc.constantFrom(...pathsIn(v)),
        fc.oneof(
          fc.constant<Mutation>({ kind: 'drop' }),
          nastyValue.map((value): Mutation => ({ kind: 'set', value })),
          fc
            .tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', ''), nastyString), nastyValue)
            .map(([key, value]): Mutation => ({ kind: 'add', key, value })),
        ),
      )
      .map(([path, m]) => mutate(v, path, m)),
  );

const nastyNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, -0.01, 1e21, 2 ** 53 + 2, 1e308, -(2 ** 31), 99_999_999_999),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/**
 * The valid string with one character slipped in that a database or a parser may not take (NUL,
 * half a surrogate pair, a byte-order mark, a bidi override): the rest still passes its checks, so
 * the value reaches the store.
 */
export const tainted = (v: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat(v.length), fc.constantFrom('\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '\u0085'))
    .map(([i, ch]) => `${v.slice(0, i)}${ch}${v.slice(i)}`);
/** The valid number made negative, fractional, huge or off by one. */
const skewed = (v: number): fc.Arbitrary<number> => fc.constantFrom(-v, v + 0.5, v - 1, v + 1, v * 1_000_000, -1, 0);

const sameTypeNasty = (v: unknown): fc.Arbitrary<unknown> => {
  if (typeof v === 'string') return fc.oneof(tainted(v), nastyString);
  if (typeof v === 'number') return fc.oneof(skewed(v), nastyNumber);
  return nastyValue;
};

/**
 * A body the service accepts, with fresh ids where the schema has a pattern for them, then
 * perhaps one leaf changed to a hostile value of the same JSON type, or of any type.
 */
export const nearExample = (example: Record<string, unknown>, schema: Schema): fc.Arbitrary<unknown> =>
  fc
    .record(
      Object.fromEntries(
        Object.entries(example).map(([k, v]) => {
          const pattern = schema.properties?.[k]?.pattern;
          return [k, /Id$/.test(k) && pattern ? fc.oneof(fc.constant(v), matching(pattern, 3, 64)) : fc.constant(v)];
        }),
      ),
    )
    .chain((v) => {
      const leaves = pathsIn(v).filter((p) => p.length > 0);
      return fc.oneof(
        { weight: 1, arbitrary: fc.constant<unknown>(v) },
        {
          weight: 4,
          arbitrary: fc
            .constantFrom(...leaves)
            .chain((path) =>
              sameTypeNasty(path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v)).map(
                (value) => mutate(v, path, { kind: 'set', value }),
              ),
            ),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom(...leaves), nastyValue)
            .map(([path, value]) => mutate(v, path, { kind: 'set', value })),
        },
        { weight: 1, arbitrary: fc.constantFrom(...leaves).map((path) => mutate(v, path, { kind: 'drop' })) },
      );
    });
