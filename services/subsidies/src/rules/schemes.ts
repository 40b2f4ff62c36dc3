import type { ParameterName } from './parameters';

/** A fact a rule reads, named by where it sits in the request that carries it. */
export type FactName =
  | 'promoter.kind'
  | 'project.jobs'
  | 'project.months'
  | 'project.monthlyWageCentimes'
  | 'beneficiary.monthlyWageCentimes'
  | 'employer.kind'
  | 'employer.turnover3yCentimes'
  | 'employer.newlyCreated'
  | 'contract.startDate'
  | 'contract.months'
  | 'contract.monthlyWageCentimes'
  | 'person.monthsRegistered'
  | 'person.pandemicJobLoss'
  | 'person.hardToPlace'
  | 'person.disability'
  | 'person.priorCnssMonths'
  | 'person.recentCnssMonths';

export type Facts = Partial<Record<FactName, number | string | boolean>>;

/** A threshold is a dated parameter, the monthly SMIG (hourly × hours), or a number fixed by the text itself. */
export type Threshold =
  | { readonly parameter: ParameterName }
  | { readonly smigMonthly: true }
  | { readonly value: number };

interface RuleBase {
  readonly id: string;
  readonly description: string;
  readonly reference: string;
}

export type RuleDeclaration =
  | (RuleBase & { readonly kind: 'atLeast' | 'atMost'; readonly fact: FactName; readonly threshold: Threshold })
  | (RuleBase & { readonly kind: 'oneOf'; readonly fact: FactName; readonly values: readonly string[] })
  | (RuleBase & { readonly kind: 'isTrue'; readonly fact: FactName })
  | (RuleBase & { readonly kind: 'anyOf'; readonly rules: readonly RuleDeclaration[] })
  /** The scheme takes a hire on the date the fact holds only while the flag parameter is 1 on it. */
  | (RuleBase & { readonly kind: 'inForce'; readonly fact: FactName; readonly parameter: ParameterName })
  /** Where a text reads two ways, a parameter picks the reading applied; only that one's facts are read. */
  | (RuleBase & {
      readonly kind: 'reading';
      readonly selector: ParameterName;
      readonly readings: readonly { readonly reading: number; readonly rule: RuleDeclaration }[];
    });

export type Stage = 'project' | 'beneficiary' | 'hire';

export interface GrantTerms {
  readonly monthly: ParameterName;
  readonly months: ParameterName;
  /** Who receives the money: the employer directly, or the CNSS on the employer's account. */
  readonly channel: 'employer' | 'cnss';
  /** The contract length the scheme requires: an end before it breaks the employer's commitment. */
  readonly minContractMonths: ParameterName;
  /** The share claimed back, pro rata to the required length not worked, when the commitment is broken. */
  readonly clawback: ParameterName;
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
const AWRACH2 =
  "Awrach 2, prime d'appui à l'emploi : circulaire de mars 2023 ; conventions signées le 11 avril 2023 ; lancement le 25 juillet 2023 (le360, challenge.ma, lebrief.ma, juillet 2023)";

const paidAtLeastSmig = (id: string, fact: FactName, reference: string): RuleDeclaration => ({
  id,
  kind: 'atLeast',
  fact,
  threshold: { smigMonthly: true },
  reference,
  description: 'paid at least the monthly SMIG in force',
});

/** The target groups of Awrach: one of them is enough. */
const targetGroup: RuleDeclaration = {
  id: 'target_group',
  kind: 'anyOf',
  description: 'belongs to at least one target group',
  reference: AWRACH_GON,
  rules: [
    {
      id: 'long_term_registered',
      kind: 'atLeast',
      fact: 'person.monthsRegistered',
      threshold: { parameter: 'awrach.min_months_registered' },
      reference: AWRACH_GON,
      description: 'registered with ANAPEC as a job seeker for long enough',
    },
    {
      id: 'pandemic_job_loss',
      kind: 'isTrue',
      fact: 'person.pandemicJobLoss',
      reference: AWRACH,
      description: 'lost their job in the pandemic',
    },
    {
      id: 'hard_to_place',
      kind: 'isTrue',
      fact: 'person.hardToPlace',
      reference: AWRACH,
      description: 'finds it hard to enter the labour market',
    },
    { id: 'disability', kind: 'isTrue', fact: 'person.disability', reference: AWRACH, description: 'has a disability' },
  ],
};

const contractOf = (minimum: ParameterName, reference: string): RuleDeclaration => ({
  id: 'contract_length',
  kind: 'atLeast',
  fact: 'contract.months',
  threshold: { parameter: minimum },
  reference,
  description: 'the contract is long enough',
});

/** Two routes, each its own rule: a very small firm under the turnover ceiling, or a newly created firm. */
const awrach2Employer: RuleDeclaration = {
  id: 'employer_size',
  kind: 'anyOf',
  reference: `${AWRACH2} ; challenge.ma, « Prime d'appui à l'emploi : mise en œuvre opérationnelle », 2023`,
  description: 'the employer is a very small firm under the turnover ceiling, or a newly created firm',
  rules: [
    {
      id: 'turnover',
      kind: 'atMost',
      fact: 'employer.turnover3yCentimes',
      threshold: { parameter: 'awrach2.max_turnover_3y' },
      reference: AWRACH2,
      description: "the employer's turnover is within the ceiling of a very small firm",
    },
    // The texts at hand give no age for "nouvellement créée": the officer attests it, à confirmer.
    {
      id: 'newly_created',
      kind: 'isTrue',
      fact: 'employer.newlyCreated',
      reference: `${AWRACH2} ; âge maximal de l'entreprise non fixé par les textes consultés, à confirmer`,
      description: 'the employer is a newly created firm',
    },
  ],
};

/** "Non déclaré à la CNSS depuis plus de 6 mois": `awrach2.prior_cnss_reading` names which reading applies, and why. */
const newToCnss: RuleDeclaration = {
  id: 'new_to_cnss',
  kind: 'reading',
  selector: 'awrach2.prior_cnss_reading',
  reference: AWRACH2,
  description: 'the hire has not been declared to the CNSS for too long already, in the reading the parameter names',
  readings: [
    {
      reading: 1,
      rule: {
        id: 'in_total',
        kind: 'atMost',
        fact: 'person.priorCnssMonths',
        threshold: { parameter: 'awrach2.max_prior_cnss_months' },
        reference: AWRACH2,
        description: 'declared to the CNSS for at most the ceiling in total',
      },
    },
    {
      reading: 2,
      rule: {
        id: 'last_six_months',
        kind: 'atMost',
        fact: 'person.recentCnssMonths',
        threshold: { value: 0 },
        reference: AWRACH2,
        description: 'not declared to the CNSS in the six months before the hire',
      },
    },
  ],
};

const grantEmployer: RuleDeclaration = {
  id: 'employer_kind',
  kind: 'oneOf',
  fact: 'employer.kind',
  values: ['company', 'association', 'cooperative'],
  reference: AWRACH,
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
        {
          id: 'promoter_kind',
          kind: 'oneOf',
          fact: 'promoter.kind',
          values: ['association', 'cooperative'],
          reference: AWRACH,
          description: 'the site is run by an association or a cooperative',
        },
        {
          id: 'jobs',
          kind: 'atLeast',
          fact: 'project.jobs',
          threshold: { value: 1 },
          reference: AWRACH,
          description: 'the site creates at least one temporary job',
        },
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
    grant: {
      monthly: 'awrach1.grant_monthly',
      months: 'awrach1.grant_months',
      channel: 'employer',
      minContractMonths: 'awrach1.min_contract_months',
      clawback: 'awrach1.commitment_clawback_bp',
    },
    rules: {
      hire: [
        grantEmployer,
        targetGroup,
        contractOf('awrach1.min_contract_months', AWRACH),
        paidAtLeastSmig('wage', 'contract.monthlyWageCentimes', AWRACH),
      ],
    },
  },
  {
    id: 'awrach-2',
    name: "Awrach 2 : prime d'appui à l'emploi",
    programme: 'awrach',
    component: 'lasting_integration',
    reference: AWRACH2,
    grant: {
      monthly: 'awrach2.grant_monthly',
      months: 'awrach2.grant_months',
      channel: 'cnss',
      minContractMonths: 'awrach2.min_contract_months',
      clawback: 'awrach2.commitment_clawback_bp',
    },
    rules: {
      hire: [
        {
          id: 'scheme_in_force',
          kind: 'inForce',
          fact: 'contract.startDate',
          parameter: 'awrach2.in_force',
          reference: AWRACH2,
          description: 'the hire starts on or after the launch of Awrach 2',
        },
        grantEmployer,
        targetGroup,
        contractOf('awrach2.min_contract_months', AWRACH2),
        awrach2Employer,
        newToCnss,
      ],
    },
  },
];

export const schemeById = (id: string): SchemeDeclaration | undefined => SCHEMES.find((s) => s.id === id);
