import type { AppliedParameter, EligibilityDecision, RuleResult } from '@tashghil/contracts';
import { ValidationError } from '@tashghil/event-store';
import { knownAt, monthlySmig, valueOn, type ParameterTable } from './parameters';
import type { FactName, Facts, RuleDeclaration, SchemeDeclaration, Stage, Threshold } from './schemes';

const factsRead = (rule: RuleDeclaration): FactName[] => (rule.kind === 'anyOf' ? rule.rules.flatMap(factsRead) : [rule.fact]);

const threshold = (t: Threshold, table: ParameterTable, on: string): { value: number; parameters: AppliedParameter[] } => {
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
      return [{ ...base, inputs: { [rule.fact]: fact ?? null, [rule.kind === 'atLeast' ? 'minimum' : 'maximum']: t.value }, parameters: t.parameters, passed }];
    }
    case 'oneOf': {
      const fact = facts[rule.fact];
      return [{ ...base, inputs: { [rule.fact]: fact ?? null, allowed: rule.values.join(', ') }, parameters: [], passed: typeof fact === 'string' && rule.values.includes(fact) }];
    }
    case 'isTrue': {
      const fact = facts[rule.fact];
      return [{ ...base, inputs: { [rule.fact]: fact ?? null }, parameters: [], passed: fact === true }];
    }
    case 'anyOf': {
      const alternatives = rule.rules.flatMap((r) => apply(r, facts, table, on, `${id}/`));
      const direct = alternatives.filter((r) => !r.rule.slice(id.length + 1).includes('/'));
      return [{ ...base, inputs: { alternativesPassed: direct.filter((r) => r.passed).length }, parameters: [], passed: direct.some((r) => r.passed) }, ...alternatives];
    }
    default: {
      const _exhaustive: never = rule;
      return [];
    }
  }
};

export const rulesOf = (scheme: SchemeDeclaration, stage: Stage): readonly RuleDeclaration[] => {
  const rules = scheme.rules[stage];
  if (!rules) throw new ValidationError('STAGE_NOT_IN_SCHEME', `${scheme.id} has no ${stage} rules`, [{ path: 'scheme', message: `${scheme.id} does not apply to a ${stage}` }]);
  return rules;
};

/** The facts a stage reads, so a request can be refused for what it lacks before anything is decided. */
export const factsNeeded = (scheme: SchemeDeclaration, stage: Stage): FactName[] => [...new Set(rulesOf(scheme, stage).flatMap(factsRead))];

/**
 * Decides eligibility on a date with the parameters known at an instant. Every rule is applied, not
 * just up to the first failure, so the officer sees all that is wrong at once. A fact the rules need
 * but the request lacks is a 400 naming it, never a silent fail.
 */
export const evaluate = (input: {
  readonly scheme: SchemeDeclaration;
  readonly stage: Stage;
  readonly facts: Facts;
  readonly table: ParameterTable;
  readonly on: string;
  readonly knownAt: string;
}): EligibilityDecision => {
  const missing = factsNeeded(input.scheme, input.stage).filter((f) => input.facts[f] === undefined);
  if (missing.length) {
    throw new ValidationError('MISSING_FACTS', `${input.scheme.id} needs ${missing.join(', ')}`, missing.map((path) => ({ path, message: `required by ${input.scheme.id}` })));
  }
  const table = knownAt(input.table, input.knownAt);
  const top = rulesOf(input.scheme, input.stage).map((rule) => apply(rule, input.facts, table, input.on));
  return {
    scheme: input.scheme.id,
    on: input.on,
    parametersKnownAt: input.knownAt,
    outcome: top.every(([head]) => head?.passed === true) ? 'eligible' : 'ineligible',
    rules: top.flat(),
  };
};
