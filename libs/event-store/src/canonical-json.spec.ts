import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

// The form every stored link and digest was computed with until 2026-12-05: the text must not move.
const definition = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(definition).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${definition(v)}`).join(',')}}`;
};

const awkward = fc.constantFrom(
  '"',
  '\\',
  '/',
  '\n',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\ud800',
  '\udfff',
  'é',
  'ﻼ',
  '😀',
  'a',
  '0',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: awkward }),
  fc.string(),
);
const key = fc.oneof(text, fc.constantFrom('__proto__', 'constructor', '10', '9', '', '$pii', 'toJSON'));
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    -0,
    0,
    1e21,
    1e-7,
    -1.5e-7,
    5e-324,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    0.1,
    NaN,
    -Infinity,
  ),
);
const scalar = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.date(),
  fc.constantFrom(undefined, () => 1, Symbol('s')),
);

const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('sparse'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  sparse: fc.sparseArray(tie('value'), { maxLength: 6 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 8 }),
}));

describe('canonicalJson', () => {
  it('writes the text of its definition for any value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(definition(v));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes the text of its definition for JSON values with unicode keys and strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (v) => {
        expect(canonicalJson(v)).toBe(definition(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes the same text whatever the order the keys were set in', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
      { numRuns: 1_000 },
    );
  });

  it('writes numbers, escapes, holes and skipped fields as JSON.stringify and the sort by code unit do', () => {
    const sparse = [1, 2, 3];
    delete sparse[1];
    expect(canonicalJson({ z: [-0, 1e21, 1e-7, NaN, undefined], a: 'é\u2028"\\\n\ud800', é: 1, Z: undefined })).toBe(
      '{"a":"é\u2028\\"\\\\\\n\\ud800","z":[0,1e+21,1e-7,null,null],"é":1}',
    );
    expect(canonicalJson({ '10': 'x', '9': 'y', b: sparse, 'a"': new Date(0) })).toBe(
      '{"10":"x","9":"y","a\\"":{},"b":[1,,3]}',
    );
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => definition({ n: 1n })).toThrow(TypeError);
  });
});
