import type { AppliedParameter, EligibilityDecision, RuleResult } from '@tashghil/contracts';
import { ValidationError } from '@tashghil/event-store';
import { knownAt, monthlySmig, valueOn, type ParameterName, type ParameterTable } from './parameters';
import type { FactName, Facts, RuleDeclaration, SchemeDeclaration, Stage, Threshold } from './schemes';

/** The reading a `reading` rule applies on a date; undefined when the parameter names none of its readings. */
const chosen = (rule: Extract<RuleDeclaration, { kind: 'reading' }>, table: ParameterTable, on: string) => {
  const selector = valueOn(table, rule.selector, on);
  return { selector, reading: rule.readings.find((r) => r.reading === selector.value)?.rule };
};

const factsRead = (rule: RuleDeclaration, table: ParameterTable, on: string): FactName[] => {
  if (rule.kind === 'anyOf') return rule.rules.flatMap((r) => factsRead(r, table, on));
  if (rule.kind === 'reading') {
    const { reading } = chosen(rule, table, on);
    return reading ? factsRead(reading, table, on) : [];
  }
  return [rule.fact];
};

/** The first day a flag parameter is 1, as the table knows it (null if never): what an officer is told to wait for. */
const openSince = (table: ParameterTable, name: ParameterName): string | null => {
  const dated = table
    .filter((v) => v.name === name)
    .map((v) => v.effectiveFrom)
    .sort();
  const open = dated.filter((d) => valueOn(table, name, d).value === 1);
  return open[0] ?? null;
};

/** A hire before the scheme took effect is refused with the rule that says so, not decided on law not yet in force. */
export class SchemeNotInForceError extends ValidationError {
  constructor(
    readonly rules: readonly RuleResult[],
    scheme: string,
  ) {
    super(
      'SCHEME_NOT_IN_FORCE',
      `${scheme} does not take this hire: ${rules.map((r) => `${r.rule} (${r.reference})`).join('; ')}`,
      rules.map((r) => ({
        path: Object.keys(r.inputs)[0] ?? r.rule,
        message: `${r.rule}: ${r.description}; ${JSON.stringify(r.inputs)}; ${r.reference}`,
      })),
    );
  }
}

const threshold = (
  t: Threshold,
  table: ParameterTable,
  on: string,
): { value: number; parameters: AppliedParameter[] } => {
  if ('value' in t) return { value: t.value, parameters: [] };
  if ('smigMonthly' in t) {
    const smig = monthlySmig(table, on);
    return { value: smig.centimes, parameters: smig.parameters };
  }
  const p = valueOn(table, t.parameter, on);
  return { value: p.value, parameters: [p] };
};

/** Applies one rule; an `anyOf` also lists each alternative, under `<rule>/<alternative>`. */
const apply = (rule: RuleDeclaration, facts: Facts, table: ParameterTable, on: string, prefix = ''): RuleResult[] => {
  const id = `${prefix}${rule.id}`;
  const base = { rule: id, description: rule.description, reference: rule.reference };
  switch (rule.kind) {
    case 'atLeast':
    case 'atMost': {
      const fact = facts[rule.fact];
      const t = threshold(rule.threshold, table, on);
      const n = typeof fact === 'number' ? fact : Number.NaN;
      const passed = rule.kind === 'atLeast' ? n >= t.value : n <= t.value;
      return [
        {
          ...base,
          inputs: { [rule.fact]: fact ?? null, [rule.kind === 'atLeast' ? 'minimum' : 'maximum']: t.value },
          parameters: t.parameters,
          passed,
        },
      ];
    }
    case 'oneOf': {
      const fact = facts[rule.fact];
      return [
        {
          ...base,
          inputs: { [rule.fact]: fact ?? null, allowed: rule.values.join(', ') },
          parameters: [],
          passed: typeof fact === 'string' && rule.values.includes(fact),
        },
      ];
    }
    case 'isTrue': {
      const fact = facts[rule.fact];
      return [{ ...base, inputs: { [rule.fact]: fact ?? null }, parameters: [], passed: fact === true }];
    }
    case 'inForce': {
      const fact = facts[rule.fact];
      const day = typeof fact === 'string' ? fact : '';
      const applied = table.some((v) => v.name === rule.parameter && v.effectiveFrom <= day)
        ? valueOn(table, rule.parameter, day)
        : undefined;
      return [
        {
          ...base,
          inputs: { [rule.fact]: fact ?? null, inForceFrom: openSince(table, rule.parameter) },
          parameters: applied ? [applied] : [],
          passed: applied?.value === 1,
        },
      ];
    }
    case 'reading': {
      const { selector, reading } = chosen(rule, table, on);
      if (!reading)
        throw new ValidationError(
          'UNKNOWN_READING',
          `${rule.selector} is ${selector.value}, which names no reading of ${rule.id}`,
          [{ path: rule.selector, message: `one of ${rule.readings.map((r) => r.reading).join(', ')}` }],
        );
      const [inner, ...rest] = apply(reading, facts, table, on, `${id}/`);
      return [
        { ...base, inputs: { reading: selector.value }, parameters: [selector], passed: inner?.passed === true },
        ...(inner ? [inner] : []),
        ...rest,
      ];
    }
    case 'anyOf': {
      const alternatives = rule.rules.flatMap((r) => apply(r, facts, table, on, `${id}/`));
      const direct = alternatives.filter((r) => !r.rule.slice(id.length + 1).includes('/'));
      return [
        {
          ...base,
          inputs: { alternativesPassed: direct.filter((r) => r.passed).length },
          parameters: [],
          passed: direct.some((r) => r.passed),
        },
        ...alternatives,
      ];
    }
    default: {
      const _exhaustive: never = rule;
      return [];
    }
  }
};

export const rulesOf = (scheme: SchemeDeclaration, stage: Stage): readonly RuleDeclaration[] => {
  const rules = scheme.rules[stage];
  if (!rules)
    throw new ValidationError('STAGE_NOT_IN_SCHEME', `${scheme.id} has no ${stage} rules`, [
      { path: 'scheme', message: `${scheme.id} does not apply to a ${stage}` },
    ]);
  return rules;
};

/** The facts a stage reads, so a request can be refused for what it lacks before anything is decided. */
export const factsNeeded = (scheme: SchemeDeclaration, stage: Stage, table: ParameterTable, on: string): FactName[] => [
  ...new Set(rulesOf(scheme, stage).flatMap((r) => factsRead(r, table, on))),
];

/**
 * Decides eligibility on a date with the parameters known at an instant. Every rule is applied, not
 * just up to the first failure, so the officer sees all that is wrong at once. A fact the rules need
 * but the request lacks is a 400 naming it, never a silent fail. The scheme's own dates are checked
 * first: before them its other rules have no values in force to be read.
 */
export const evaluate = (input: {
  readonly scheme: SchemeDeclaration;
  readonly stage: Stage;
  readonly facts: Facts;
  readonly table: ParameterTable;
  readonly on: string;
  readonly knownAt: string;
}): EligibilityDecision => {
  const table = knownAt(input.table, input.knownAt);
  const rules = rulesOf(input.scheme, input.stage);
  const dates = rules.filter((r) => r.kind === 'inForce');
  const missingFrom = (needed: FactName[]): void => {
    const missing = needed.filter((f) => input.facts[f] === undefined);
    if (missing.length) {
      throw new ValidationError(
        'MISSING_FACTS',
        `${input.scheme.id} needs ${missing.join(', ')}`,
        missing.map((path) => ({ path, message: `required by ${input.scheme.id}` })),
      );
    }
  };
  missingFrom(dates.flatMap((r) => factsRead(r, table, input.on)));
  const closed = dates.flatMap((r) => apply(r, input.facts, table, input.on)).filter((r) => !r.passed);
  if (closed.length) throw new SchemeNotInForceError(closed, input.scheme.id);
  missingFrom(factsNeeded(input.scheme, input.stage, table, input.on));
  const top = rules.map((rule) => apply(rule, input.facts, table, input.on));
  return {
    scheme: input.scheme.id,
    on: input.on,
    parametersKnownAt: input.knownAt,
    outcome: top.every(([head]) => head?.passed === true) ? 'eligible' : 'ineligible',
    rules: top.flat(),
  };
};
