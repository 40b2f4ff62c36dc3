import type { ParameterName } from './parameters';

/** A fact a rule reads, named by where it sits in the request that carries it. */
export type FactName =
  | 'promoter.kind' | 'project.jobs' | 'project.months' | 'project.monthlyWageCentimes'
  | 'beneficiary.monthlyWageCentimes'
  | 'employer.kind' | 'employer.turnover3yCentimes'
  | 'contract.months' | 'contract.monthlyWageCentimes'
  | 'person.monthsRegistered' | 'person.pandemicJobLoss' | 'person.hardToPlace' | 'person.disability' | 'person.priorCnssMonths';

export type Facts = Partial<Record<FactName, number | string | boolean>>;

/** A threshold is a dated parameter, the monthly SMIG (hourly × hours), or a number fixed by the text itself. */
export type Threshold = { readonly parameter: ParameterName } | { readonly smigMonthly: true } | { readonly value: number };

interface RuleBase {
  readonly id: string;
  readonly description: string;
  readonly reference: string;
}

export type RuleDeclaration =
  | (RuleBase & { readonly kind: 'atLeast' | 'atMost'; readonly fact: FactName; readonly threshold: Threshold })
  | (RuleBase & { readonly kind: 'oneOf'; readonly fact: FactName; readonly values: readonly string[] })
  | (RuleBase & { readonly kind: 'isTrue'; readonly fact: FactName })
  | (RuleBase & { readonly kind: 'anyOf'; readonly rules: readonly RuleDeclaration[] });

export type Stage = 'project' | 'beneficiary' | 'hire';

export interface GrantTerms {
  readonly monthly: ParameterName;
  readonly months: ParameterName;
  /** Who receives the money: the employer directly, or the CNSS on the employer's account. */
  readonly channel: 'employer' | 'cnss';
}

/**
 * A scheme is data: the rules of each stage and, for a grant, its terms. Adding a scheme is adding
 * a declaration here; the handlers only ever evaluate whatever is declared.
 */
export interface SchemeDeclaration {
  readonly id: string;
  readonly name: string;
  readonly programme: string;
  /** The envelope component an approval draws on (ProgrammeTargetsSet's `component`). */
  readonly component: string;
  readonly reference: string;
  readonly rules: Partial<Record<Stage, readonly RuleDeclaration[]>>;
  readonly grant?: GrantTerms;
}

const AWRACH = 'Programme Awrach, circulaire du Chef du Gouvernement du 12 janvier 2022';
const AWRACH_GON = 'Programme Awrach, Guelmim-Oued Noun, comité régional du 22 avril 2022';

const paidAtLeastSmig = (id: string, fact: FactName, reference: string): RuleDeclaration => ({
  id, kind: 'atLeast', fact, threshold: { smigMonthly: true }, reference, description: 'paid at least the monthly SMIG in force',
});

/** The target groups of Awrach: one of them is enough. */
const targetGroup: RuleDeclaration = {
  id: 'target_group',
  kind: 'anyOf',
  description: 'belongs to at least one target group',
  reference: AWRACH_GON,
  rules: [
    { id: 'long_term_registered', kind: 'atLeast', fact: 'person.monthsRegistered', threshold: { parameter: 'awrach.min_months_registered' }, reference: AWRACH_GON, description: 'registered with ANAPEC as a job seeker for long enough' },
    { id: 'pandemic_job_loss', kind: 'isTrue', fact: 'person.pandemicJobLoss', reference: AWRACH, description: 'lost their job in the pandemic' },
    { id: 'hard_to_place', kind: 'isTrue', fact: 'person.hardToPlace', reference: AWRACH, description: 'finds it hard to enter the labour market' },
    { id: 'disability', kind: 'isTrue', fact: 'person.disability', reference: AWRACH, description: 'has a disability' },
  ],
};

const contractOf = (minimum: ParameterName): RuleDeclaration => ({
  id: 'contract_length', kind: 'atLeast', fact: 'contract.months', threshold: { parameter: minimum }, reference: AWRACH, description: 'the contract is long enough',
});

const grantEmployer: RuleDeclaration = {
  id: 'employer_kind', kind: 'oneOf', fact: 'employer.kind', values: ['company', 'association', 'cooperative'], reference: AWRACH,
  description: 'the employer is a company, an association or a cooperative',
};

export const SCHEMES: readonly SchemeDeclaration[] = [
  {
    id: 'awrach-works',
    name: 'Awrach, volet 1 : chantiers de travaux publics temporaires',
    programme: 'awrach',
    component: 'temporary_works',
    reference: AWRACH,
    rules: {
      project: [
        { id: 'promoter_kind', kind: 'oneOf', fact: 'promoter.kind', values: ['association', 'cooperative'], reference: AWRACH, description: 'the site is run by an association or a cooperative' },
        { id: 'jobs', kind: 'atLeast', fact: 'project.jobs', threshold: { value: 1 }, reference: AWRACH, description: 'the site creates at least one temporary job' },
        paidAtLeastSmig('wage', 'project.monthlyWageCentimes', AWRACH),
      ],
      beneficiary: [paidAtLeastSmig('wage', 'beneficiary.monthlyWageCentimes', AWRACH)],
    },
  },
  {
    id: 'awrach-1',
    name: 'Awrach 1 : insertion durable',
    programme: 'awrach',
    component: 'lasting_integration',
    reference: AWRACH,
    grant: { monthly: 'awrach1.grant_monthly', months: 'awrach1.grant_months', channel: 'employer' },
    rules: {
      hire: [
        grantEmployer,
        targetGroup,
        contractOf('awrach1.min_contract_months'),
        paidAtLeastSmig('wage', 'contract.monthlyWageCentimes', AWRACH),
      ],
    },
  },
  {
    id: 'awrach-2',
    name: "Awrach 2 : prime d'appui à l'emploi",
    programme: 'awrach',
    component: 'lasting_integration',
    reference: AWRACH,
    grant: { monthly: 'awrach2.grant_monthly', months: 'awrach2.grant_months', channel: 'cnss' },
    rules: {
      hire: [
        grantEmployer,
        targetGroup,
        contractOf('awrach2.min_contract_months'),
        { id: 'employer_turnover', kind: 'atMost', fact: 'employer.turnover3yCentimes', threshold: { parameter: 'awrach2.max_turnover_3y' }, reference: AWRACH, description: "the employer's turnover over the last three years is within the ceiling" },
        { id: 'new_to_cnss', kind: 'atMost', fact: 'person.priorCnssMonths', threshold: { parameter: 'awrach2.max_prior_cnss_months' }, reference: AWRACH, description: 'the hire has not been declared to the CNSS for too long already' },
      ],
    },
  },
];

export const schemeById = (id: string): SchemeDeclaration | undefined => SCHEMES.find((s) => s.id === id);
