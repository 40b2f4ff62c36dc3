import type {
  certificateSchema,
  envelopeShareSchema,
  worksBeneficiaryEnrolledV1,
  worksCommitmentRevisedV1,
  worksPayrollRecordedV1,
  worksProjectDecidedV1,
  worksProjectProposedV1,
  worksSiteCompletedV1,
  worksSiteLaunchedV1,
} from '@tashghil/contracts';
import { addDays, addMonths } from '@tashghil/contracts';
import { ValidationError, type Command, type PersonalData } from '@tashghil/event-store';
import type { z } from 'zod';
import { knownAt, type ParameterTable } from '../rules/parameters';
import { sitePlan } from '../rules/payroll';
import { schemeById, type SchemeDeclaration } from '../rules/schemes';

type Proposed = z.infer<typeof worksProjectProposedV1>;
type Decided = z.infer<typeof worksProjectDecidedV1>;
type Enrolled = z.infer<typeof worksBeneficiaryEnrolledV1>;
type PayrollRecorded = z.infer<typeof worksPayrollRecordedV1>;
type Revised = z.infer<typeof worksCommitmentRevisedV1>;
export type Certificate = z.infer<typeof certificateSchema>;
export type BeneficiaryCategories = Enrolled['categories'];
export type EnvelopeShare = z.infer<typeof envelopeShareSchema>;

export type ProposeWorksProject = Command<
  'ProposeWorksProject',
  Omit<Proposed, 'scheme' | 'budgetCentimes' | 'eligibility' | 'plan'> & { readonly table: ParameterTable }
>;
export type DecideWorksProject = Command<
  'DecideWorksProject',
  Pick<Decided, 'outcome' | 'decisionNumber' | 'date' | 'committeeId' | 'reason'>
>;
/** The table re-prices the commitment when the launch moves the site's months. */
export type LaunchWorksSite = Command<'LaunchWorksSite', { readonly on: string; readonly table: ParameterTable }>;
export type EnrolBeneficiary = Command<
  'EnrolBeneficiary',
  {
    readonly beneficiaryId: string;
    readonly source: Enrolled['source'];
    readonly seekerId?: string;
    readonly on: string;
    /** Only for a beneficiary registered directly on the site; sealed, never in the enrolment event. */
    readonly identity?: { readonly fullName: string; readonly cin: string };
    /** The project's wage when absent. */
    readonly monthlyWageCentimes?: number;
    readonly categories: BeneficiaryCategories;
    readonly table: ParameterTable;
  }
>;
export type RecordPayroll = Command<
  'RecordPayroll',
  {
    readonly month: string;
    readonly lines: ReadonlyArray<{ readonly beneficiaryId: string; readonly days: number }>;
    readonly table: ParameterTable;
  }
>;
export type CompleteWorksSite = Command<'CompleteWorksSite', { readonly on: string }>;
export type WorksProjectCommand =
  | ProposeWorksProject
  | DecideWorksProject
  | LaunchWorksSite
  | EnrolBeneficiary
  | RecordPayroll
  | CompleteWorksSite;

type Ev<T extends string, D> = { readonly type: T; readonly schemaVersion: 1; readonly data: D };
export type WorksProjectProposed = Ev<'WorksProjectProposed', Proposed>;
export type WorksProjectDecided = Ev<'WorksProjectDecided', Decided>;
export type WorksSiteLaunched = Ev<'WorksSiteLaunched', z.infer<typeof worksSiteLaunchedV1>>;
export type WorksCommitmentRevised = Ev<'WorksCommitmentRevised', Revised>;
export type WorksBeneficiaryEnrolled = Ev<'WorksBeneficiaryEnrolled', Enrolled>;
export type WorksBeneficiaryIdentified = Ev<
  'WorksBeneficiaryIdentified',
  { readonly projectId: string; readonly beneficiaryId: string; readonly fullName: string; readonly cin: string }
> & { readonly personal: PersonalData };
export type WorksPayrollRecorded = Ev<'WorksPayrollRecorded', PayrollRecorded>;
export type WorksSiteCompleted = Ev<'WorksSiteCompleted', z.infer<typeof worksSiteCompletedV1>>;
export type WorksProjectEvent =
  | WorksProjectProposed
  | WorksProjectDecided
  | WorksSiteLaunched
  | WorksCommitmentRevised
  | WorksBeneficiaryEnrolled
  | WorksBeneficiaryIdentified
  | WorksPayrollRecorded
  | WorksSiteCompleted;

export type WorksProjectStatus = 'proposed' | Decided['outcome'] | 'launched' | 'completed';
export type ActiveWorksProject = Proposed & {
  readonly status: WorksProjectStatus;
  readonly decisions: readonly Decided[];
  /** What the site holds of its envelope now: the approval's share, then each re-pricing's (revision 0, 1, …). */
  readonly commitment?: { readonly revision: number; readonly envelope: EnvelopeShare };
  readonly launchedOn?: string;
  readonly beneficiaries: readonly Enrolled[];
  readonly payroll: readonly PayrollRecorded[];
  readonly completedOn?: string;
  readonly certificates: readonly Certificate[];
};
export type WorksProject = { readonly status: 'none' } | ActiveWorksProject;

/** One word before the dash: a stream's category is the text before its first dash. */
export const WORKS_PROJECT_CATEGORY = 'subsidies.worksproject';
export const worksProjectStreamId = (projectId: string): string => `${WORKS_PROJECT_CATEGORY}-${projectId}`;
/** Whose key seals a directly registered beneficiary's name and CIN: erasing it shreds them everywhere. */
export const beneficiarySubjectId = (beneficiaryId: string): string => `works-beneficiary:${beneficiaryId}`;

const declared = (id: string): SchemeDeclaration => {
  const scheme = schemeById(id);
  if (scheme) return scheme;
  throw new Error(`scheme ${id} is not declared`);
};
export const SCHEME = declared('awrach-works');

export const initialState = (): WorksProject => ({ status: 'none' });

export const evolve = (s: WorksProject, e: WorksProjectEvent): WorksProject => {
  if (e.type === 'WorksProjectProposed')
    return { ...e.data, status: 'proposed', decisions: [], beneficiaries: [], payroll: [], certificates: [] };
  if (s.status === 'none') return s;
  switch (e.type) {
    case 'WorksProjectDecided': {
      const { envelope } = e.data;
      return {
        ...s,
        status: e.data.outcome,
        decisions: [...s.decisions, e.data],
        ...(envelope ? { commitment: { revision: 0, envelope } } : {}),
      };
    }
    case 'WorksSiteLaunched':
      return { ...s, status: 'launched', launchedOn: e.data.on };
    case 'WorksCommitmentRevised':
      return { ...s, commitment: { revision: e.data.revision, envelope: e.data.envelope } };
    case 'WorksBeneficiaryEnrolled':
      return { ...s, beneficiaries: [...s.beneficiaries, e.data] };
    case 'WorksBeneficiaryIdentified':
      // The name and CIN stay in their sealed event: no state, and so no view, ever carries them.
      return s;
    case 'WorksPayrollRecorded':
      return { ...s, payroll: [...s.payroll, e.data] };
    case 'WorksSiteCompleted':
      return { ...s, status: 'completed', completedOn: e.data.on, certificates: e.data.certificates };
    default: {
      const _exhaustive: never = e;
      return s;
    }
  }
};

export const invalid = (code: string, path: string, message: string): ValidationError =>
  new ValidationError(code, message, [{ path, message }]);
export const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);

/** A site launched late still runs the months it was budgeted for, so it may end after its planned end. */
export const lastDayOfSite = (s: ActiveWorksProject): string => {
  const budgeted = s.launchedOn ? addDays(addMonths(s.launchedOn, s.months), -1) : s.end;
  return budgeted > s.end ? budgeted : s.end;
};

export const approvalOf = (s: ActiveWorksProject): Decided | undefined =>
  s.decisions.find((d) => d.outcome === 'approved');

/**
 * Re-prices the site's plan from its first day of work with the table known at `now`, and records a
 * new commitment when the price moved: the SMIG is owed whatever was committed, so the commitment
 * follows the cost rather than the payments outgrowing it. An unchanged price records nothing.
 */
export const recommit = (
  s: ActiveWorksProject,
  input: {
    readonly from: string;
    readonly table: ParameterTable;
    readonly now: string;
    readonly reason: Revised['reason'];
  },
): WorksCommitmentRevised[] => {
  if (!s.commitment) return [];
  const plan = sitePlan({
    jobs: s.jobs,
    months: s.months,
    from: input.from,
    monthlyWageCentimes: s.monthlyWageCentimes,
    table: knownAt(input.table, input.now),
  });
  const previous = s.commitment.envelope;
  if (plan.totalCentimes === previous.centimes) return [];
  return [
    {
      type: 'WorksCommitmentRevised',
      schemaVersion: 1,
      data: {
        projectId: s.projectId,
        region: s.region,
        revision: s.commitment.revision + 1,
        on: input.now.slice(0, 10),
        reason: input.reason,
        previousCentimes: previous.centimes,
        envelope: { ...previous, centimes: plan.totalCentimes },
        plan: { ...plan, months: [...plan.months], parameters: [...plan.parameters] },
      },
    },
  ];
};
