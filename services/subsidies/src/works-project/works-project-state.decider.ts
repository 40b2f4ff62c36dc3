import type { certificateSchema, envelopeShareSchema, IntegrationEvent } from '@tashghil/contracts';
import { addDays, addMonths } from '@tashghil/contracts';
import { type Command, type PersonalData, AppendList } from '@tashghil/event-store';
import type { z } from 'zod';
import { knownAt, type ParameterTable } from '../rules/parameters';
import { sitePlan } from '../rules/payroll';
import { schemeById, type SchemeDeclaration } from '../rules/schemes';

type Proposed = WorksProjectProposed['data'];
type Decided = WorksProjectDecided['data'];
type Enrolled = WorksBeneficiaryEnrolled['data'];
type PayrollRecorded = WorksPayrollRecorded['data'];
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

export type WorksProjectProposed = IntegrationEvent<'WorksProjectProposed'>;
export type WorksProjectDecided = IntegrationEvent<'WorksProjectDecided'>;
export type WorksSiteLaunched = IntegrationEvent<'WorksSiteLaunched'>;
export type WorksCommitmentRevised = IntegrationEvent<'WorksCommitmentRevised'>;
export type WorksBeneficiaryEnrolled = IntegrationEvent<'WorksBeneficiaryEnrolled'>;
/** Personal, so no contract carries it: the name and CIN stay sealed in the subsidies store. */
export type WorksBeneficiaryIdentified = {
  readonly type: 'WorksBeneficiaryIdentified';
  readonly schemaVersion: 1;
  readonly data: {
    readonly projectId: string;
    readonly beneficiaryId: string;
    readonly fullName: string;
    readonly cin: string;
  };
  readonly personal: PersonalData;
};
export type WorksPayrollRecorded = IntegrationEvent<'WorksPayrollRecorded'>;
export type WorksSiteCompleted = IntegrationEvent<'WorksSiteCompleted'>;
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
/**
 * Beneficiaries and monthly payrolls grow by one event each, so they are append lists and the fold of a large
 * site stays linear. Decisions stay an array: a project is decided once, or again at each sitting while it is
 * waitlisted, so it holds a handful.
 */
export type ActiveWorksProject = Proposed & {
  readonly status: WorksProjectStatus;
  readonly decisions: readonly Decided[];
  /** What the site holds of its envelope now: the approval's share, then each re-pricing's (revision 0, 1, …). */
  readonly commitment?: { readonly revision: number; readonly envelope: EnvelopeShare };
  readonly launchedOn?: string;
  readonly beneficiaries: AppendList<Enrolled>;
  readonly payroll: AppendList<PayrollRecorded>;
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

export const evolve = (state: WorksProject, event: WorksProjectEvent): WorksProject => {
  if (event.type === 'WorksProjectProposed')
    return {
      ...event.data,
      status: 'proposed',
      decisions: [],
      beneficiaries: AppendList.empty(),
      payroll: AppendList.empty(),
      certificates: [],
    };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'WorksProjectDecided': {
      const { envelope } = event.data;
      return {
        ...state,
        status: event.data.outcome,
        decisions: [...state.decisions, event.data],
        ...(envelope ? { commitment: { revision: 0, envelope } } : {}),
      };
    }
    case 'WorksSiteLaunched':
      return { ...state, status: 'launched', launchedOn: event.data.on };
    case 'WorksCommitmentRevised':
      return { ...state, commitment: { revision: event.data.revision, envelope: event.data.envelope } };
    case 'WorksBeneficiaryEnrolled':
      return { ...state, beneficiaries: state.beneficiaries.append(event.data) };
    case 'WorksBeneficiaryIdentified':
      // The name and CIN stay in their sealed event: no state, and so no view, ever carries them.
      return state;
    case 'WorksPayrollRecorded':
      return { ...state, payroll: state.payroll.append(event.data) };
    case 'WorksSiteCompleted':
      return { ...state, status: 'completed', completedOn: event.data.on, certificates: event.data.certificates };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const sum = (amounts: readonly number[]): number => amounts.reduce((total, amount) => total + amount, 0);

/** A site launched late still runs the months it was budgeted for, so it may end after its planned end. */
export const lastDayOfSite = (state: ActiveWorksProject): string => {
  const budgeted = state.launchedOn ? addDays(addMonths(state.launchedOn, state.months), -1) : state.end;
  return budgeted > state.end ? budgeted : state.end;
};

export const approvalOf = (state: ActiveWorksProject): Decided | undefined =>
  state.decisions.find((decision) => decision.outcome === 'approved');

/**
 * Re-prices the site's plan from its first day of work with the table known at `now`, and records a
 * new commitment when the price moved: the SMIG is owed whatever was committed, so the commitment
 * follows the cost rather than the payments outgrowing it. An unchanged price records nothing.
 */
export const recommit = (
  state: ActiveWorksProject,
  input: {
    readonly from: string;
    readonly table: ParameterTable;
    readonly now: string;
    readonly reason: WorksCommitmentRevised['data']['reason'];
  },
): WorksCommitmentRevised[] => {
  if (!state.commitment) return [];
  const plan = sitePlan({
    jobs: state.jobs,
    months: state.months,
    from: input.from,
    monthlyWageCentimes: state.monthlyWageCentimes,
    table: knownAt(input.table, input.now),
  });
  const previous = state.commitment.envelope;
  if (plan.totalCentimes === previous.centimes) return [];
  return [
    {
      type: 'WorksCommitmentRevised',
      schemaVersion: 1,
      data: {
        projectId: state.projectId,
        region: state.region,
        revision: state.commitment.revision + 1,
        on: input.now.slice(0, 10),
        reason: input.reason,
        previousCentimes: previous.centimes,
        envelope: { ...previous, centimes: plan.totalCentimes },
        plan: { ...plan, months: [...plan.months], parameters: [...plan.parameters] },
      },
    },
  ];
};
