import { z } from 'zod';
import { jobCount, positiveJobCount } from './limits';
import { isoDate } from './conventions.events';
import { regionCode as region } from './regions';
import { TOPICS } from './topics';

const centimes = z.number().int().nonnegative();
/** A calendar month, `2022-05`. */
export const isoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2022-05');

/** A parameter value as a rule used it: the value, the day it took effect, and the text that fixed it. */
export const appliedParameterSchema = z.object({
  name: z.string(),
  value: z.number().int(),
  effectiveFrom: isoDate,
  reference: z.string(),
});
export type AppliedParameter = z.infer<typeof appliedParameterSchema>;

/** One rule of a scheme as it was applied: what it checked, on which inputs and values, and the outcome. */
export const ruleResultSchema = z.object({
  rule: z.string(),
  description: z.string(),
  reference: z.string(),
  inputs: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  parameters: z.array(appliedParameterSchema),
  passed: z.boolean(),
});
export type RuleResult = z.infer<typeof ruleResultSchema>;

/**
 * An eligibility decision, kept whole in the event that records it: the officer sees it, the
 * auditor replays it. `parametersKnownAt` is the instant whose parameter table was used, so a value
 * recorded later never changes what a replay answers.
 */
export const eligibilityDecisionSchema = z.object({
  scheme: z.string(),
  on: isoDate,
  parametersKnownAt: z.string(),
  outcome: z.enum(['eligible', 'ineligible']),
  rules: z.array(ruleResultSchema),
});
export type EligibilityDecision = z.infer<typeof eligibilityDecisionSchema>;

export const committeeDecisionSchema = z.object({
  outcome: z.enum(['approved', 'rejected', 'waitlisted']),
  decisionNumber: z.string().min(1),
  date: isoDate,
  committeeId: z.string().optional(),
  reason: z.string().optional(),
});

/** What an approval took from its region's envelope, for the committees' budget lines. */
export const envelopeShareSchema = z.object({
  programme: z.string(),
  // The year of the decision's date: four digits, whatever the date.
  year: z.number().int(),
  component: z.string(),
  jobs: jobCount,
  centimes,
});

export const beneficiaryCategoriesSchema = z.object({
  gender: z.enum(['female', 'male']),
  ageBand: z.enum(['under_25', '25_34', '35_54', '55_plus']),
  disability: z.boolean(),
  hasDiploma: z.boolean(),
  area: z.enum(['rural', 'urban']),
  longTermUnemployed: z.boolean(),
});

/**
 * What a works site will cost: each month's gross wage and employer contributions for one job at
 * the SMIG and rates in force that month, the totals for all jobs, and the parameters used.
 */
export const worksPlanSchema = z.object({
  months: z.array(z.object({ month: isoMonth, wageCentimes: centimes, employerCentimes: centimes })),
  wagesCentimes: centimes,
  employerCentimes: centimes,
  totalCentimes: centimes,
  parameters: z.array(appliedParameterSchema),
});

export const worksProjectProposedV1 = z.object({
  projectId: z.string(),
  region,
  province: z.string(),
  scheme: z.string(),
  promoter: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  kind: z.enum(['small', 'large']),
  title: z.string(),
  jobs: positiveJobCount,
  months: z.number().int().positive(),
  start: isoDate,
  end: isoDate,
  monthlyWageCentimes: centimes,
  /** Gross wages plus employer contributions (`plan.totalCentimes`); before the plan, jobs × months × wage. */
  budgetCentimes: centimes,
  proposedOn: isoDate,
  eligibility: eligibilityDecisionSchema,
  plan: worksPlanSchema.optional(),
});

export const worksProjectDecidedV1 = committeeDecisionSchema.extend({
  projectId: z.string(),
  region,
  envelope: envelopeShareSchema.optional(),
});

export const worksSiteLaunchedV1 = z.object({ projectId: z.string(), region, on: isoDate });

/**
 * The site's commitment re-priced: its launch moved its months, or the parameter table learnt a
 * value (a SMIG rise) after the approval. `envelope.centimes` replaces the approval's share;
 * `revision` counts from 1, the approval being 0, so a reader keeps the highest.
 */
export const worksCommitmentRevisedV1 = z.object({
  projectId: z.string(),
  region,
  revision: z.number().int().positive(),
  on: isoDate,
  reason: z.enum(['launch', 'parameters']),
  previousCentimes: centimes,
  envelope: envelopeShareSchema,
  plan: worksPlanSchema,
});

/** No name or national id here: those are sealed in a separate, personal event that no contract carries. */
export const worksBeneficiaryEnrolledV1 = z.object({
  projectId: z.string(),
  region,
  province: z.string(),
  beneficiaryId: z.string(),
  source: z.enum(['matching', 'direct']),
  seekerId: z.string().optional(),
  on: isoDate,
  monthlyWageCentimes: centimes,
  socialCover: z.literal(true),
  categories: beneficiaryCategoriesSchema,
  eligibility: eligibilityDecisionSchema,
});

const contributions = z.object({
  shortTerm: centimes,
  pension: centimes,
  amo: centimes,
  familyAllowances: centimes,
  trainingTax: centimes,
  total: centimes,
});
export const payrollLineSchema = z.object({
  beneficiaryId: z.string(),
  days: z.number().int().nonnegative(),
  grossCentimes: centimes,
  employee: contributions,
  employer: contributions,
  netCentimes: centimes,
  parameters: z.array(appliedParameterSchema),
});
export type PayrollLine = z.infer<typeof payrollLineSchema>;

export const worksPayrollRecordedV1 = z.object({
  projectId: z.string(),
  region,
  month: isoMonth,
  lines: z.array(payrollLineSchema),
  totals: z.object({
    grossCentimes: centimes,
    employeeCentimes: centimes,
    employerCentimes: centimes,
    netCentimes: centimes,
  }),
});

export const certificateSchema = z.object({
  certificateNumber: z.string(),
  beneficiaryId: z.string(),
  from: isoDate,
  to: isoDate,
  monthsPaid: z.number().int().nonnegative(),
  daysWorked: z.number().int().nonnegative(),
  grossCentimes: centimes,
});
export const worksSiteCompletedV1 = z.object({
  projectId: z.string(),
  region,
  on: isoDate,
  certificates: z.array(certificateSchema),
});

export const instalmentSchema = z.object({ month: isoMonth, amountCentimes: centimes });
export type Instalment = z.infer<typeof instalmentSchema>;

export const grantAppliedV1 = z.object({
  grantId: z.string(),
  region,
  scheme: z.string(),
  programme: z.string(),
  employer: z.object({
    kind: z.string(),
    id: z.string(),
    name: z.string(),
    turnover3yCentimes: centimes.optional(),
    /** Awrach 2's second employer route; absent on files of schemes that do not read it. */
    newlyCreated: z.boolean().optional(),
  }),
  hire: z.object({
    source: z.enum(['matching', 'manual']),
    placementId: z.string().optional(),
    seekerId: z.string(),
    startDate: isoDate,
    contractMonths: z.number().int().positive(),
    monthlyWageCentimes: centimes,
  }),
  person: z.object({
    monthsRegistered: z.number().int().nonnegative(),
    pandemicJobLoss: z.boolean(),
    hardToPlace: z.boolean(),
    disability: z.boolean(),
    priorCnssMonths: z.number().int().nonnegative(),
    /** Months declared to the CNSS in the six months before the hire, for the other reading of Awrach 2's rule. */
    recentCnssMonths: z.number().int().nonnegative().optional(),
  }),
  appliedOn: isoDate,
  eligibility: eligibilityDecisionSchema,
  /**
   * Who was hired, for the committees' beneficiary breakdowns: the province counted (a hire abroad
   * counts in the origin province) and the categories. Optional only so that events stored before it
   * still parse; every new application records it.
   */
  beneficiary: z.object({ province: z.string(), categories: beneficiaryCategoriesSchema }).optional(),
});

export const grantDecidedV1 = committeeDecisionSchema.extend({
  grantId: z.string(),
  region,
  channel: z.enum(['employer', 'cnss']).optional(),
  schedule: z.array(instalmentSchema).optional(),
  totalCentimes: centimes.optional(),
  /** The grant's amount and length as they stood on the decision date. */
  parameters: z.array(appliedParameterSchema).optional(),
  envelope: envelopeShareSchema.optional(),
});

export const grantCnssDeclarationRecordedV1 = z.object({
  grantId: z.string(),
  region,
  month: isoMonth,
  days: z.number().int().nonnegative(),
  wageCentimes: centimes,
  source: z.enum(['entered', 'imported']),
});

export const grantPaymentRecordedV1 = z.object({
  grantId: z.string(),
  region,
  month: isoMonth,
  amountCentimes: centimes,
  channel: z.enum(['employer', 'cnss']),
  paidOn: isoDate,
});

/** The schedule as it stands after an early end: months after it cancelled, the month of the end cut to what was earned. */
export const grantContractEndedV1 = z.object({
  grantId: z.string(),
  region,
  lastDay: isoDate,
  reason: z.string(),
  entitledCentimes: centimes,
  /** The unpaid remainder released from the commitment and the envelope. */
  cancelledCentimes: centimes,
  schedule: z.array(instalmentSchema),
  /** The last day of the contract as signed; any end before it is recorded, the job counting as ended. */
  contractEnd: isoDate.optional(),
  /** The last day of the length the scheme requires (its minimum contract); an end before it breaks the commitment. */
  commitmentEnd: isoDate.optional(),
  commitmentBroken: z.boolean().optional(),
  /** What breaking the commitment costs, by the scheme's dated rule; claimed through GrantClawbackClaimed. */
  consequence: z
    .object({
      rule: z.string(),
      description: z.string(),
      reference: z.string(),
      parameters: z.array(appliedParameterSchema),
      amountCentimes: centimes,
    })
    .optional(),
});

/** Money paid beyond the rules, by month: past an early end, or for a month whose declaration fell to nothing. */
export const grantClawbackClaimedV1 = z.object({
  grantId: z.string(),
  region,
  amountCentimes: z.number().int().positive(),
  on: isoDate,
  reason: z.string(),
  months: z.array(z.object({ month: isoMonth, paidCentimes: centimes, dueCentimes: centimes })),
});

const v1 = <S extends z.ZodType>(schema: S) => ({ topic: TOPICS.subsidies, versions: { 1: schema } });

export const SUBSIDIES_CONTRACTS = {
  WorksProjectProposed: v1(worksProjectProposedV1),
  WorksProjectDecided: v1(worksProjectDecidedV1),
  WorksSiteLaunched: v1(worksSiteLaunchedV1),
  WorksCommitmentRevised: v1(worksCommitmentRevisedV1),
  WorksBeneficiaryEnrolled: v1(worksBeneficiaryEnrolledV1),
  WorksPayrollRecorded: v1(worksPayrollRecordedV1),
  WorksSiteCompleted: v1(worksSiteCompletedV1),
  GrantApplied: v1(grantAppliedV1),
  GrantDecided: v1(grantDecidedV1),
  GrantCnssDeclarationRecorded: v1(grantCnssDeclarationRecordedV1),
  GrantPaymentRecorded: v1(grantPaymentRecordedV1),
  GrantContractEnded: v1(grantContractEndedV1),
  GrantClawbackClaimed: v1(grantClawbackClaimedV1),
} as const;
