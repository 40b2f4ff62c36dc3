import fc from 'fast-check';
import { z } from 'zod';
import { isoDate } from './conventions.events';
import { envelopeSchema } from './envelope';
import { REGION_CODES, isRegionCode } from './regions';
import { CONTRACTS, contractFor } from './registry';
import { isoMonth } from './subsidies.events';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

const period = { start: '2020-01-01', end: '2022-12-31' };
const measure = {
  measureId: 'm-chantiers',
  programmeLine: 'awrach-1',
  label: 'Chantiers temporaires',
  target: { total: 3800, byYear: { 2022: 3800 } },
  budget: { stateCentimes: 28_036_000_000, regionCentimes: 1_500_000_000 },
};
const parameter = { name: 'smig-monthly', value: 282_880, effectiveFrom: '2022-09-01', reference: 'Décret 2-22-691' };
const eligibility = {
  scheme: 'awrach-works',
  on: '2022-04-01',
  parametersKnownAt: '2022-04-01T08:00:00.000Z',
  outcome: 'eligible',
  rules: [
    {
      rule: 'wage-at-least-smig',
      description: 'salaire ≥ SMIG',
      reference: 'Circulaire Awrach §3',
      inputs: { wage: 300_000, region: 'MA-10', rural: true, none: null },
      parameters: [parameter],
      passed: true,
    },
  ],
};
const decision = {
  outcome: 'approved',
  decisionNumber: 'CRS-2022-07',
  date: '2022-04-22',
  committeeId: 'awrach-gon-regional',
  reason: 'dans l’enveloppe',
};
const share = { programme: 'awrach', year: 2022, component: 'temporary_works', jobs: 19, centimes: 5_700_000 };
const contributions = {
  shortTerm: 1_000,
  pension: 11_200,
  amo: 6_040,
  familyAllowances: 18_720,
  trainingTax: 4_800,
  total: 41_760,
};
const schedule = [
  { month: '2022-06', amountCentimes: 150_000 },
  { month: '2022-07', amountCentimes: 150_000 },
];
const categories = {
  gender: 'female',
  ageBand: '25_34',
  disability: false,
  hasDiploma: true,
  area: 'rural',
  longTermUnemployed: true,
};
const ids = { projectId: 'chantier-01', region: 'MA-10' };
const grant = { grantId: 'grant-01', region: 'MA-10' };

/** One valid message per contract; a new contract without one fails the coverage test below. */
const EXAMPLES: Readonly<Record<string, Json>> = {
  ConventionDrafted: {
    conventionId: 'souss-massa-2020-2022',
    region: 'MA-09',
    title: 'Convention Souss-Massa',
    period,
    legalBasis: ['Loi 47-18'],
    draftedAt: '2020-11-02T09:00:00.000Z',
    draftedBy: 'officer-MA-09',
  },
  ConventionSigned: {
    conventionId: 'souss-massa-2020-2022',
    region: 'MA-09',
    title: 'Convention Souss-Massa',
    period,
    legalBasis: ['Loi 47-18'],
    signedOn: '2021-03-15',
    place: 'Agadir',
    signatures: [{ partyId: 'wilaya', role: 'state', signatory: 'Le Wali', date: '2021-03-15', place: 'Agadir' }],
    measures: [measure],
  },
  ConventionAmended: {
    conventionId: 'souss-massa-2020-2022',
    region: 'MA-09',
    period,
    measures: [measure],
    amendment: {
      number: 1,
      effectiveDate: '2021-09-01',
      reason: 'prolongation',
      recordedAt: '2021-09-01T10:00:00.000Z',
      recordedBy: 'officer-MA-09',
    },
  },
  ConventionClosed: {
    conventionId: 'souss-massa-2020-2022',
    region: 'MA-09',
    date: '2022-12-31',
    early: false,
    reason: 'terme',
  },
  CommitteeDecisionRecorded: {
    committeeId: 'awrach-gon-regional',
    region: 'MA-10',
    programme: 'awrach',
    kind: 'regional',
    decisionNumber: 'CRS-2022-07',
    meetingId: 'meeting-1',
    date: '2022-04-22',
    subject: 'Chantiers 2022',
    outcome: 'approved',
    references: [{ kind: 'works-project', id: 'chantier-01' }],
    recordedBy: 'secretary',
    recordedAt: '2022-04-22T12:00:00.000Z',
  },
  ProgrammeTargetsSet: {
    region: 'MA-10',
    programme: 'awrach',
    year: 2022,
    revision: 1,
    reference: 'Convention Awrach GON 2022',
    effectiveDate: '2022-01-01',
    setBy: 'admin',
    setAt: '2022-01-10T09:00:00.000Z',
    components: [
      { component: 'temporary_works', targetJobs: 3800 },
      { component: 'lasting_integration', targetJobs: 1000, budgetCentimes: 2_700_000_000 },
    ],
  },
  SeekerHired: {
    placementId: 'placement-1',
    on: '2022-05-10',
    seekerId: 'seeker-1',
    offerId: 'offer-1',
    employer: { kind: 'company', id: 'employer-1', sector: 'agriculture' },
    occupation: '6111',
    origin: { region: 'MA-10', province: 'Guelmim' },
    destination: { region: 'MA-09', province: 'Agadir-Ida-Ou-Tanane', abroadCountry: 'ES' },
    flow: 'other_region',
    contractType: 'CDI',
    startDate: '2022-05-15',
    contractMonths: 24,
    monthlyWageCentimes: 300_000,
    categories: { ...categories, monthsRegistered: 14, pandemicJobLoss: false },
  },
  OfferPublished: {
    offerId: 'offer-1',
    on: '2022-05-01',
    by: 'officer-MA-10',
    region: 'MA-10',
    occupation: '6111',
    positions: 3,
    mass: false,
    opensToOtherRegionsOn: '2022-05-31',
  },
  OfferOpenedToOtherRegions: {
    offerId: 'offer-1',
    on: '2022-05-31',
    by: 'system',
    region: 'MA-10',
    reason: 'unfilled',
  },
  PlacementProposed: {
    placementId: 'placement-1',
    on: '2022-05-02',
    runId: 'run-1',
    seekerId: 'seeker-1',
    offerId: 'offer-1',
    score: 870,
    parts: { occupation: 400, skills: 200, education: 100, distance: 120, priority: 50 },
    reasons: ['même métier'],
  },
  WorksProjectProposed: {
    ...ids,
    province: 'Guelmim',
    scheme: 'awrach-works',
    promoter: { kind: 'commune', id: 'commune-1', name: 'Commune de Guelmim' },
    kind: 'small',
    title: 'Piste rurale',
    jobs: 19,
    months: 6,
    start: '2022-05-01',
    end: '2022-10-31',
    monthlyWageCentimes: 300_000,
    budgetCentimes: 34_200_000,
    proposedOn: '2022-04-01',
    eligibility,
  },
  WorksProjectDecided: { ...decision, ...ids, envelope: share },
  WorksSiteLaunched: { ...ids, on: '2022-05-01' },
  WorksCommitmentRevised: {
    ...ids,
    revision: 1,
    on: '2022-10-01',
    reason: 'parameters',
    previousCentimes: 5_700_000,
    envelope: share,
    plan: {
      months: [{ month: '2022-09', wageCentimes: 297_005, employerCentimes: 62_638 }],
      wagesCentimes: 297_005,
      employerCentimes: 62_638,
      totalCentimes: 359_643,
      parameters: [parameter],
    },
  },
  WorksBeneficiaryEnrolled: {
    ...ids,
    province: 'Guelmim',
    beneficiaryId: 'beneficiary-1',
    source: 'matching',
    seekerId: 'seeker-1',
    on: '2022-05-01',
    monthlyWageCentimes: 300_000,
    socialCover: true,
    categories,
    eligibility,
  },
  WorksPayrollRecorded: {
    ...ids,
    month: '2022-05',
    lines: [
      {
        beneficiaryId: 'beneficiary-1',
        days: 26,
        grossCentimes: 300_000,
        employee: contributions,
        employer: contributions,
        netCentimes: 258_240,
        parameters: [parameter],
      },
    ],
    totals: { grossCentimes: 300_000, employeeCentimes: 41_760, employerCentimes: 41_760, netCentimes: 258_240 },
  },
  WorksSiteCompleted: {
    ...ids,
    on: '2022-10-31',
    certificates: [
      {
        certificateNumber: 'CERT-1',
        beneficiaryId: 'beneficiary-1',
        from: '2022-05-01',
        to: '2022-10-31',
        monthsPaid: 6,
        daysWorked: 156,
        grossCentimes: 1_800_000,
      },
    ],
  },
  GrantApplied: {
    ...grant,
    scheme: 'awrach-lasting-1',
    programme: 'awrach',
    employer: {
      kind: 'company',
      id: 'employer-1',
      name: 'Société Oued Noun',
      turnover3yCentimes: 100_000_000,
      newlyCreated: false,
    },
    hire: {
      source: 'matching',
      placementId: 'placement-1',
      seekerId: 'seeker-1',
      startDate: '2022-05-15',
      contractMonths: 24,
      monthlyWageCentimes: 300_000,
    },
    person: {
      monthsRegistered: 14,
      pandemicJobLoss: true,
      hardToPlace: false,
      disability: false,
      priorCnssMonths: 0,
      recentCnssMonths: 0,
    },
    appliedOn: '2022-05-20',
    eligibility,
  },
  GrantDecided: {
    ...decision,
    ...grant,
    channel: 'employer',
    schedule,
    totalCentimes: 300_000,
    parameters: [parameter],
    envelope: share,
  },
  GrantCnssDeclarationRecorded: { ...grant, month: '2022-06', days: 26, wageCentimes: 300_000, source: 'entered' },
  GrantPaymentRecorded: { ...grant, month: '2022-06', amountCentimes: 150_000, channel: 'cnss', paidOn: '2022-07-10' },
  GrantContractEnded: {
    ...grant,
    lastDay: '2022-07-15',
    reason: 'démission',
    entitledCentimes: 225_000,
    cancelledCentimes: 75_000,
    schedule,
    contractEnd: '2024-05-14',
    commitmentEnd: '2024-05-14',
    commitmentBroken: true,
    consequence: {
      rule: 'commitment_clawback',
      description: 'pro rata',
      reference: 'à confirmer',
      parameters: [parameter],
      amountCentimes: 200_000,
    },
  },
  GrantClawbackClaimed: {
    ...grant,
    amountCentimes: 75_000,
    on: '2022-08-01',
    reason: 'fin anticipée',
    months: [{ month: '2022-07', paidCentimes: 150_000, dueCentimes: 75_000 }],
  },
};

const ENVELOPE: Json = {
  eventId: '0b6f7c1e-8d2a-4f3b-9c4d-5e6f7a8b9c0d',
  type: 'ConventionDrafted',
  schemaVersion: 1,
  streamId: 'conventions.convention-souss-massa-2020-2022',
  streamPosition: 0,
  globalPosition: 1,
  recordedAt: '2020-11-02T09:00:00.000Z',
  data: EXAMPLES.ConventionDrafted ?? null,
  metadata: { correlationId: 'corr-1' },
};

const SCHEMAS: ReadonlyArray<readonly [string, z.ZodType, Json]> = [
  ...Object.entries(CONTRACTS).flatMap(([type, contract]) =>
    Object.entries(contract.versions).map(([v, schema]) => [`${type} v${v}`, schema, EXAMPLES[type] ?? null] as const),
  ),
  ['envelope', envelopeSchema, ENVELOPE],
];

/** Fields whose values are free by design (rule inputs; an envelope's data and metadata): no type is wrong there. */
const LOOSE = new Set(['inputs', 'data', 'metadata']);

const nodes = (value: Json, path: Path = []): Array<{ path: Path; value: Json }> => {
  const here = { path, value };
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => nodes(v, [...path, i]))];
  if (value !== null && typeof value === 'object')
    return [here, ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...path, k]))];
  return [here];
};

const strictNodes = (example: Json) =>
  nodes(example).filter((n) => n.path.length > 0 && !n.path.some((p) => typeof p === 'string' && LOOSE.has(p)));

const setAt = (root: Json, path: Path, replace: (old: Json) => Json | undefined): Json => {
  const copy = structuredClone(root);
  if (path.length === 0) return replace(copy) ?? null;
  let parent: unknown = copy;
  for (const p of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[p];
  const key = path[path.length - 1] ?? '';
  const container = parent as Record<string | number, Json>;
  const next = replace(container[key] ?? null);
  if (next === undefined) {
    if (Array.isArray(container)) container.splice(Number(key), 1);
    else delete container[key];
  } else container[key] = next;
  return copy;
};

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Whether the contract's own JSON Schema lists the field at `path` as required. */
type JsonSchemaNode = { properties?: Record<string, unknown>; items?: unknown; required?: string[] };
const isRequired = (jsonSchema: JsonSchemaNode, path: Path): boolean => {
  let node = jsonSchema;
  for (const p of path.slice(0, -1)) node = (typeof p === 'number' ? node.items : node.properties?.[p]) as typeof node;
  return node.required?.includes(String(path[path.length - 1])) ?? false;
};

const parses = (schema: z.ZodType, input: unknown): boolean => {
  const result = schema.safeParse(input);
  expect(typeof result.success).toBe('boolean');
  return result.success;
};

const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    'NaN',
    'Infinity',
    '-Infinity',
    '-1',
    '1e309',
    '0x1F',
    '١٢٣',
    'كلميم واد نون',
    '\u202eMA-10',
    '𝔐𝔄-10',
    'MA-10\n',
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(lone, fc.constant('\u0000'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    maxLength: 20,
  }),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);
const nastyNumber = fc.oneof(
  fc.constantFrom(
    -0,
    -1,
    0.5,
    -0.01,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 31,
    -(2 ** 63),
  ),
  fc.double(),
  fc.integer(),
);
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.constantFrom(null, true, false, [], {}, [[]], undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }),
);

const validDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const leap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (y: number, m: number): number => (m === 2 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const badDate = fc.oneof(
  fc.constantFrom(
    '2022-02-30',
    '2021-02-29',
    '1900-02-29',
    '2022-13-01',
    '2022-00-10',
    '2022-04-31',
    '2022-01-00',
    '2022-01-32',
    '0000-01-01',
    '22-02-28',
    '2022-2-3',
    '2022-02-28T00:00:00Z',
    ' 2022-02-28',
    '2022-02-28\n',
    '٢٠٢٢-٠٢-٢٨',
    '２０２２-０２-２８',
    '2022/02/28',
    '+02022-02-28',
    '-2022-02-28',
    '',
  ),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
    .filter(([y, m, d]) => y === 0 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
);
const badCentimes = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(-0.01, 0.5, 1.005, 1e21, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom('100', '1e3', 'NaN', '-0', '١٠٠', '100.00'),
);

describe.each(SCHEMAS)('the %s contract', (_name, schema, example) => {
  const strict = strictNodes(example);
  const leaves = (test: (n: { path: Path; value: Json }) => boolean) => strict.filter(test).map((n) => n.path);
  const dates = leaves((n) => typeof n.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(n.value));
  const months = leaves((n) => typeof n.value === 'string' && /^\d{4}-\d{2}$/.test(n.value));
  const money = leaves((n) => typeof n.value === 'number' && /centimes$/i.test(String(n.path[n.path.length - 1])));
  const regions = leaves((n) => n.path[n.path.length - 1] === 'region');
  const fields = leaves((n) => typeof n.path[n.path.length - 1] === 'string');

  it('accepts its example, unchanged, and accepts what it returns', () => {
    const result = schema.safeParse(example);
    expect(result.error?.issues).toBeUndefined();
    expect(result.data).toEqual(example);
    expect(schema.safeParse(JSON.parse(JSON.stringify(result.data))).success).toBe(true);
  });

  it('never throws on any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (value) => {
        parses(schema, value);
      }),
    );
  });

  it('never throws on a mutated example, and what it accepts survives JSON and parses again', () => {
    const mutation = fc.oneof(
      fc.constantFrom(...strict.map((n) => n.path)).map((path) => setAt(example, path, () => undefined)),
      fc
        .tuple(fc.constantFrom(...strict.map((n) => n.path)), nasty)
        .map(([path, v]) => setAt(example, path, () => v as Json)),
      fc
        .tuple(
          fc.constantFrom([] as Path, ...strict.filter((n) => kindOf(n.value) === 'object').map((n) => n.path)),
          fc.string(),
          nasty,
        )
        .map(([path, key, v]) =>
          setAt(example, path, (old) => ({ ...(old as Record<string, Json>), [key]: v as Json })),
        ),
    );
    fc.assert(
      fc.property(mutation, (input) => {
        const result = schema.safeParse(input);
        if (result.success) expect(schema.safeParse(JSON.parse(JSON.stringify(result.data))).success).toBe(true);
      }),
    );
  });

  it('refuses a field of the wrong JSON type', () => {
    const wrong = fc
      .tuple(
        fc.constantFrom(...strict.map((n) => n)),
        fc.oneof(nastyString, nastyNumber, fc.constantFrom(null, true, [], {})),
      )
      .filter(([n, v]) => kindOf(v) !== kindOf(n.value) && v !== undefined);
    fc.assert(
      fc.property(wrong, ([n, v]) => {
        expect(
          parses(
            schema,
            setAt(example, n.path, () => v as Json),
          ),
        ).toBe(false);
      }),
    );
  });

  it('refuses a dropped required field and accepts a dropped optional one', () => {
    const documented = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
    fc.assert(
      fc.property(fc.constantFrom(...fields), (path) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => undefined),
          ),
        ).toBe(!isRequired(documented, path));
      }),
      { numRuns: Math.min(100, fields.length * 3) },
    );
  });

  const each = (paths: Path[], what: string, body: (paths: Path[]) => void): void => {
    if (paths.length > 0) it(what, () => body(paths));
  };

  each(dates, 'refuses a date that is not on the calendar and accepts every one that is', (paths) => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), badDate, (path, d) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => d),
          ),
        ).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), validDate, (path, d) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => d),
          ),
        ).toBe(true);
      }),
    );
  });

  each(months, 'refuses a month that is not one', (paths) => {
    const bad = fc.oneof(
      fc.constantFrom('2022-13', '2022-00', '2022-1', '22-01', '2022-01-01', '2022/01', ''),
      nastyString,
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), bad, (path, m) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => m),
          ),
        ).toBe(false);
      }),
    );
  });

  each(money, 'refuses negative, fractional, unsafe or textual centimes and accepts whole positive ones', (paths) => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), badCentimes, (path, c) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => c),
          ),
        ).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (path, c) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => c),
          ),
        ).toBe(true);
      }),
    );
  });

  each(regions, 'refuses any region code but the twelve', (paths) => {
    const bad = fc
      .oneof(nastyString, fc.constantFrom('MA-13', 'MA-00', 'MA-9', 'ma-09', '09', 'MA-09 ', 'hasOwnProperty'))
      .filter((r) => !(REGION_CODES as string[]).includes(r));
    fc.assert(
      fc.property(fc.constantFrom(...paths), bad, (path, r) => {
        expect(
          parses(
            schema,
            setAt(example, path, () => r),
          ),
        ).toBe(false);
      }),
    );
  });

  it('keeps __proto__ and constructor keys from reaching any prototype', () => {
    const hostile = fc
      .constantFrom(...[[] as Path, ...strict.filter((n) => kindOf(n.value) === 'object').map((n) => n.path)])
      .chain((path) => fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => ({ path, key })));
    fc.assert(
      fc.property(hostile, ({ path, key }) => {
        const text = JSON.stringify(
          setAt(example, path, (old) => ({
            ...(old as Record<string, Json>),
            [`@@${key}`]: { polluted: true, region: 'MA-13' },
          })),
        ).replace(`"@@${key}"`, `"${key}"`);
        const result = schema.safeParse(JSON.parse(text));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        if (result.success && typeof result.data === 'object' && result.data !== null)
          expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
      }),
    );
  });
});

describe('the contract registry', () => {
  it('has a valid example for every contract, and no example without a contract', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  it('knows the twelve region codes and nothing an object inherits', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(isRegionCode(name)).toBe(false);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...REGION_CODES)), (code) => {
        expect(isRegionCode(code)).toBe((REGION_CODES as string[]).includes(code));
      }),
    );
  });

  it('finds no contract for a name every object inherits', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(contractFor(name)).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(contractFor(name)).toBe(Object.hasOwn(CONTRACTS, name) ? CONTRACTS[name] : undefined);
      }),
    );
  });

  it('refuses every non-calendar date and every non-month in the shared validators', () => {
    fc.assert(
      fc.property(badDate, (d) => {
        expect(isoDate.safeParse(d).success).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(validDate, (d) => {
        expect(isoDate.safeParse(d).success).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), (y, m) => {
        expect(isoMonth.safeParse(`${pad(y, 4)}-${pad(m, 2)}`).success).toBe(m >= 1 && m <= 12);
      }),
    );
  });
});
