import type {
  AppliedParameter, certificateSchema, EligibilityDecision, worksBeneficiaryEnrolledV1, worksPayrollRecordedV1,
  worksProjectDecidedV1, worksProjectProposedV1, worksSiteCompletedV1, worksSiteLaunchedV1,
} from '@tashghil/contracts';
import { IllegalStateError, NotFoundError, ValidationError, type Command, type Decider, type PersonalData } from '@tashghil/event-store';
import type { z } from 'zod';
import type { ReservePlaces } from '../envelope/envelope.decider';
import { addDays, addMonths, lastDayOf, monthOf, monthsFrom } from '@tashghil/contracts';
import { evaluate } from '../rules/eligibility';
import { knownAt, monthlySmig, type ParameterTable } from '../rules/parameters';
import { payrollLine } from '../rules/payroll';
import { schemeById, type SchemeDeclaration } from '../rules/schemes';

type Proposed = z.infer<typeof worksProjectProposedV1>;
type Decided = z.infer<typeof worksProjectDecidedV1>;
type Enrolled = z.infer<typeof worksBeneficiaryEnrolledV1>;
type PayrollRecorded = z.infer<typeof worksPayrollRecordedV1>;
export type Certificate = z.infer<typeof certificateSchema>;
export type BeneficiaryCategories = Enrolled['categories'];

export type ProposeWorksProject = Command<'ProposeWorksProject', Omit<Proposed, 'scheme' | 'budgetCentimes' | 'eligibility'> & { readonly table: ParameterTable }>;
export type DecideWorksProject = Command<'DecideWorksProject', Pick<Decided, 'outcome' | 'decisionNumber' | 'date' | 'committeeId' | 'reason'>>;
export type LaunchWorksSite = Command<'LaunchWorksSite', { readonly on: string }>;
export type EnrolBeneficiary = Command<'EnrolBeneficiary', {
  readonly beneficiaryId: string; readonly source: Enrolled['source']; readonly seekerId?: string; readonly on: string;
  /** Only for a beneficiary registered directly on the site; sealed, never in the enrolment event. */
  readonly identity?: { readonly fullName: string; readonly cin: string };
  /** The project's wage when absent. */
  readonly monthlyWageCentimes?: number;
  readonly categories: BeneficiaryCategories; readonly table: ParameterTable;
}>;
export type RecordPayroll = Command<'RecordPayroll', { readonly month: string; readonly lines: ReadonlyArray<{ readonly beneficiaryId: string; readonly days: number }>; readonly table: ParameterTable }>;
export type CompleteWorksSite = Command<'CompleteWorksSite', { readonly on: string }>;
export type WorksProjectCommand = ProposeWorksProject | DecideWorksProject | LaunchWorksSite | EnrolBeneficiary | RecordPayroll | CompleteWorksSite;

type Ev<T extends string, D> = { readonly type: T; readonly schemaVersion: 1; readonly data: D };
export type WorksProjectProposed = Ev<'WorksProjectProposed', Proposed>;
export type WorksProjectDecided = Ev<'WorksProjectDecided', Decided>;
export type WorksSiteLaunched = Ev<'WorksSiteLaunched', z.infer<typeof worksSiteLaunchedV1>>;
export type WorksBeneficiaryEnrolled = Ev<'WorksBeneficiaryEnrolled', Enrolled>;
export type WorksBeneficiaryIdentified =
  Ev<'WorksBeneficiaryIdentified', { readonly projectId: string; readonly beneficiaryId: string; readonly fullName: string; readonly cin: string }> & { readonly personal: PersonalData };
export type WorksPayrollRecorded = Ev<'WorksPayrollRecorded', PayrollRecorded>;
export type WorksSiteCompleted = Ev<'WorksSiteCompleted', z.infer<typeof worksSiteCompletedV1>>;
export type WorksProjectEvent =
  | WorksProjectProposed | WorksProjectDecided | WorksSiteLaunched | WorksBeneficiaryEnrolled
  | WorksBeneficiaryIdentified | WorksPayrollRecorded | WorksSiteCompleted;

export type WorksProjectStatus = 'proposed' | Decided['outcome'] | 'launched' | 'completed';
export type ActiveWorksProject = Proposed & {
  readonly status: WorksProjectStatus;
  readonly decisions: readonly Decided[];
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
const SCHEME = declared('awrach-works');

const initialState = (): WorksProject => ({ status: 'none' });

const evolve = (s: WorksProject, e: WorksProjectEvent): WorksProject => {
  if (e.type === 'WorksProjectProposed') return { ...e.data, status: 'proposed', decisions: [], beneficiaries: [], payroll: [], certificates: [] };
  if (s.status === 'none') return s;
  switch (e.type) {
    case 'WorksProjectDecided':
      return { ...s, status: e.data.outcome, decisions: [...s.decisions, e.data] };
    case 'WorksSiteLaunched':
      return { ...s, status: 'launched', launchedOn: e.data.on };
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

const invalid = (code: string, path: string, message: string): ValidationError => new ValidationError(code, message, [{ path, message }]);
const mad = (centimes: number): string => `${Math.floor(centimes / 100)}.${String(centimes % 100).padStart(2, '0')}`;
const cite = (ps: readonly AppliedParameter[]): string => ps.map((p) => `${p.name} = ${p.value} from ${p.effectiveFrom}, ${p.reference}`).join('; ');
const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);

/**
 * How many months `start`–`end` (both days worked) covers: from the whole months in it to the
 * months it touches. 15 May–15 November is 6 or 7; 1 May–31 October is exactly 6.
 */
export const monthSpan = (start: string, end: string): { readonly min: number; readonly max: number } => {
  const after = addDays(end, 1);
  let whole = (Number(after.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(after.slice(5, 7)) - Number(start.slice(5, 7));
  while (whole > 0 && addMonths(start, whole) > after) whole -= 1;
  return { min: whole, max: addMonths(start, whole) === after ? whole : whole + 1 };
};

/** A site launched late still runs the months it was budgeted for, so it may end after its planned end. */
const lastDayOfSite = (s: ActiveWorksProject): string => {
  const budgeted = s.launchedOn ? addDays(addMonths(s.launchedOn, s.months), -1) : s.end;
  return budgeted > s.end ? budgeted : s.end;
};

const approvalOf = (s: ActiveWorksProject): Decided | undefined => s.decisions.find((d) => d.outcome === 'approved');

/** The places an approval takes from its region's envelope: the share its decision recorded. */
export const envelopeReservation = (projectId: string, s: WorksProject): Omit<ReservePlaces['data'], 'on'> | undefined => {
  if (s.status !== 'approved') return undefined;
  const share = approvalOf(s)?.envelope;
  if (!share) return undefined;
  const { programme, year, component, jobs, centimes } = share;
  return { region: s.region, programme, year, component, file: { kind: 'works-project', id: projectId }, jobs, centimes };
};

const propose = (c: ProposeWorksProject, s: WorksProject): WorksProjectEvent[] => {
  const { projectId, region, province, promoter, kind, title, jobs, months, start, end, monthlyWageCentimes, proposedOn, table } = c.data;
  if (s.status !== 'none') throw new IllegalStateError('PROJECT_ALREADY_PROPOSED', `works project ${projectId} is already proposed`);
  const counts = (['jobs', 'months'] as const).filter((k) => !Number.isSafeInteger(c.data[k]) || c.data[k] < 1);
  if (counts.length) {
    throw new ValidationError('NOT_A_POSITIVE_INTEGER', 'jobs and months are whole numbers, at least 1', counts.map((path) => ({ path, message: 'must be a whole number, at least 1' })));
  }
  if (!Number.isSafeInteger(monthlyWageCentimes) || monthlyWageCentimes < 0) {
    throw invalid('NOT_WHOLE_CENTIMES', 'monthlyWageCentimes', 'a wage is a whole, non-negative number of centimes');
  }
  if (end <= start) throw invalid('END_NOT_AFTER_START', 'end', `the site must end after it starts on ${start}`);
  // The budget is jobs × months × wage, so a month count that the dates do not bear out misstates it.
  const span = monthSpan(start, end);
  if (months < span.min || months > span.max) {
    throw invalid('MONTHS_INCONSISTENT', 'months', `${start} to ${end} covers ${span.min === span.max ? span.min : `${span.min} or ${span.max}`} months, not ${months}`);
  }
  // An ineligible project is recorded all the same: the officer sees each rule, its text and its outcome.
  const eligibility = evaluate({
    scheme: SCHEME, stage: 'project', table, on: proposedOn, knownAt: c.metadata.now,
    facts: { 'promoter.kind': promoter.kind, 'project.jobs': jobs, 'project.months': months, 'project.monthlyWageCentimes': monthlyWageCentimes },
  });
  return [{
    type: 'WorksProjectProposed',
    schemaVersion: 1,
    data: {
      projectId, region, province, scheme: SCHEME.id, promoter: { kind: promoter.kind, id: promoter.id, name: promoter.name }, kind, title,
      jobs, months, start, end, monthlyWageCentimes, budgetCentimes: jobs * months * monthlyWageCentimes, proposedOn, eligibility,
    },
  }];
};

const decideProject = (c: DecideWorksProject, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { outcome, decisionNumber, date, committeeId } = c.data;
  const reason = c.data.reason?.trim();
  if (s.status !== 'proposed' && s.status !== 'waitlisted') throw new IllegalStateError('PROJECT_ALREADY_DECIDED', `the project is ${s.status}; only a proposed or waitlisted project is decided`);
  if (s.decisions.some((d) => d.decisionNumber === decisionNumber)) throw new IllegalStateError('DECISION_NUMBER_TAKEN', `decision ${decisionNumber} is already recorded on this project`);
  if (date < s.proposedOn) throw invalid('DECISION_BEFORE_PROPOSAL', 'date', `the project was proposed on ${s.proposedOn}`);
  if (outcome !== 'approved' && !reason) throw invalid('REASON_REQUIRED', 'reason', `a project ${outcome} is told why`);
  if (outcome !== 'rejected' && s.eligibility.outcome !== 'eligible') {
    const failed = s.eligibility.rules.filter((r) => !r.passed).map((r) => r.rule).join(', ');
    throw new IllegalStateError('PROJECT_NOT_ELIGIBLE', `the project failed ${failed}; it can only be rejected`, { failed });
  }
  const envelope = { programme: SCHEME.programme, year: Number(date.slice(0, 4)), component: SCHEME.component, jobs: s.jobs, centimes: s.budgetCentimes };
  return [{
    type: 'WorksProjectDecided',
    schemaVersion: 1,
    data: {
      projectId: s.projectId, region: s.region, outcome, decisionNumber, date,
      ...(committeeId ? { committeeId } : {}), ...(reason ? { reason } : {}), ...(outcome === 'approved' ? { envelope } : {}),
    },
  }];
};

const launch = (c: LaunchWorksSite, s: ActiveWorksProject): WorksProjectEvent[] => {
  if (s.status === 'launched' || s.status === 'completed') throw new IllegalStateError('SITE_ALREADY_LAUNCHED', `the site was launched on ${s.launchedOn ?? '?'}`);
  const approval = approvalOf(s);
  if (s.status !== 'approved' || !approval) throw new IllegalStateError('PROJECT_NOT_APPROVED', `the project is ${s.status}; only an approved site is launched`);
  if (c.data.on < approval.date) throw invalid('LAUNCH_BEFORE_APPROVAL', 'on', `the project was approved on ${approval.date}`);
  return [{ type: 'WorksSiteLaunched', schemaVersion: 1, data: { projectId: s.projectId, region: s.region, on: c.data.on } }];
};

/** The awrach-works beneficiary stage checks the wage; a refusal quotes the SMIG and the texts that fix it. */
const refusal = (d: EligibilityDecision, wage: number): ValidationError => {
  const failing = d.rules.filter((r) => !r.passed && !r.rule.includes('/'));
  const fields = failing.map((r) => (r.rule === 'wage'
    ? { path: 'monthlyWageCentimes', message: `${mad(wage)} MAD a month is below the monthly SMIG of ${mad(Number(r.inputs.minimum))} MAD in force on ${d.on} (${cite(r.parameters)})` }
    : { path: (Object.keys(r.inputs)[0] ?? r.rule).replace(/^beneficiary\./, ''), message: `${r.description} (${r.reference})` }));
  const code = failing.every((r) => r.rule === 'wage') ? 'WAGE_BELOW_SMIG' : 'BENEFICIARY_NOT_ELIGIBLE';
  return new ValidationError(code, fields.map((f) => f.message).join('; '), fields);
};

const enrol = (c: EnrolBeneficiary, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { beneficiaryId, source, seekerId, identity, on, categories, table } = c.data;
  if (s.status === 'completed') throw new IllegalStateError('SITE_COMPLETED', `the site was completed on ${s.completedOn ?? '?'}`);
  const approval = approvalOf(s);
  if ((s.status !== 'approved' && s.status !== 'launched') || !approval) throw new IllegalStateError('PROJECT_NOT_APPROVED', `the project is ${s.status}; beneficiaries join an approved site`);
  if (s.beneficiaries.some((b) => b.beneficiaryId === beneficiaryId || (seekerId !== undefined && b.seekerId === seekerId))) {
    throw new IllegalStateError('BENEFICIARY_ALREADY_ENROLLED', `${seekerId ?? beneficiaryId} is already on this site`);
  }
  if (s.beneficiaries.length >= s.jobs) throw new IllegalStateError('SITE_FULL', `all ${s.jobs} jobs of the site are taken`);
  if (source === 'matching' && !seekerId) throw invalid('SEEKER_REQUIRED', 'seekerId', 'a beneficiary from matching names their seeker file');
  // A seeker's name and CIN live in their seeker file; copying them here would be a second copy to erase.
  if (source === 'matching' && identity) throw invalid('IDENTITY_NOT_EXPECTED', 'identity', 'a beneficiary from matching is identified by their seeker file');
  if (source === 'direct') {
    const missing = (['fullName', 'cin'] as const).filter((f) => !identity?.[f]?.trim());
    if (missing.length) throw new ValidationError('IDENTITY_REQUIRED', 'a beneficiary registered directly gives a full name and a CIN', missing.map((f) => ({ path: `identity.${f}`, message: 'required for a direct registration' })));
  }
  const last = lastDayOfSite(s);
  if (on < approval.date || on > last) throw invalid('ENROLMENT_OUTSIDE_SITE', 'on', `a beneficiary joins between the approval on ${approval.date} and the end of the site on ${last}`);
  const wage = c.data.monthlyWageCentimes ?? s.monthlyWageCentimes;
  if (!Number.isSafeInteger(wage) || wage < 0) throw invalid('NOT_WHOLE_CENTIMES', 'monthlyWageCentimes', 'a wage is a whole, non-negative number of centimes');
  const eligibility = evaluate({ scheme: SCHEME, stage: 'beneficiary', facts: { 'beneficiary.monthlyWageCentimes': wage }, table, on, knownAt: c.metadata.now });
  if (eligibility.outcome !== 'eligible') throw refusal(eligibility, wage);
  const enrolled: WorksProjectEvent = {
    type: 'WorksBeneficiaryEnrolled',
    schemaVersion: 1,
    data: {
      projectId: s.projectId, region: s.region, province: s.province, beneficiaryId, source, ...(seekerId ? { seekerId } : {}),
      on, monthlyWageCentimes: wage, socialCover: true, categories, eligibility,
    },
  };
  if (source !== 'direct' || !identity) return [enrolled];
  return [enrolled, {
    type: 'WorksBeneficiaryIdentified',
    schemaVersion: 1,
    data: { projectId: s.projectId, beneficiaryId, fullName: identity.fullName.trim(), cin: identity.cin.trim() },
    personal: { subjectId: beneficiarySubjectId(beneficiaryId), fields: ['fullName', 'cin'] },
  }];
};

const recordPayroll = (c: RecordPayroll, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { month, lines } = c.data;
  if (s.status === 'completed') throw new IllegalStateError('SITE_COMPLETED', `the site was completed on ${s.completedOn ?? '?'}`);
  if (s.status !== 'launched' || !s.launchedOn) throw new IllegalStateError('SITE_NOT_LAUNCHED', `the project is ${s.status}; a payroll is for a launched site`);
  const months = monthsFrom(monthOf(s.launchedOn), monthOf(lastDayOfSite(s)));
  if (!months.includes(month)) throw invalid('MONTH_OUTSIDE_SITE', 'month', `the site runs from ${months[0] ?? '?'} to ${months[months.length - 1] ?? '?'}`);
  const first = `${month}-01`;
  if (first > c.metadata.now.slice(0, 10)) throw invalid('MONTH_NOT_STARTED', 'month', `${month} has not begun`);
  if (s.payroll.some((p) => p.month === month)) throw new IllegalStateError('PAYROLL_ALREADY_RECORDED', `the payroll of ${month} is already recorded`);
  if (lines.length === 0) throw invalid('NO_LINES', 'lines', 'a payroll has at least one line');
  const enrolled = new Map(s.beneficiaries.map((b) => [b.beneficiaryId, b]));
  const strangers = lines.flatMap((l, i) => {
    const b = enrolled.get(l.beneficiaryId);
    if (!b) return [{ path: `lines.${i}.beneficiaryId`, message: `${l.beneficiaryId} is not enrolled on this site` }];
    return b.on > lastDayOf(month) ? [{ path: `lines.${i}.beneficiaryId`, message: `${l.beneficiaryId} joined on ${b.on}, after ${month}` }] : [];
  });
  if (strangers.length) throw new ValidationError('BENEFICIARY_NOT_ENROLLED', 'every line names a beneficiary enrolled by that month', strangers);
  const repeated = lines.flatMap((l, i) => (lines.findIndex((o) => o.beneficiaryId === l.beneficiaryId) < i ? [`lines.${i}.beneficiaryId`] : []));
  if (repeated.length) throw new ValidationError('BENEFICIARY_REPEATED', 'a beneficiary has one line a month', repeated.map((path) => ({ path, message: 'already has a line in this payroll' })));
  const table = knownAt(c.data.table, c.metadata.now);
  const smig = monthlySmig(table, first);
  const paid = lines.map((l, i) => {
    const agreed = enrolled.get(l.beneficiaryId)?.monthlyWageCentimes ?? 0;
    // The SMIG is owed for the whole site: when it rises during the site (as on 1 September 2022),
    // each month from then is paid at least the new SMIG, whatever wage was agreed at enrolment.
    const line = payrollLine({ beneficiaryId: l.beneficiaryId, monthlyWageCentimes: Math.max(agreed, smig.centimes), days: l.days, table, on: first, path: `lines.${i}.days` });
    return { ...line, parameters: [...smig.parameters, ...line.parameters] };
  });
  const totals = {
    grossCentimes: sum(paid.map((l) => l.grossCentimes)), employeeCentimes: sum(paid.map((l) => l.employee.total)),
    employerCentimes: sum(paid.map((l) => l.employer.total)), netCentimes: sum(paid.map((l) => l.netCentimes)),
  };
  return [{ type: 'WorksPayrollRecorded', schemaVersion: 1, data: { projectId: s.projectId, region: s.region, month, lines: paid, totals } }];
};

const complete = (c: CompleteWorksSite, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { on } = c.data;
  if (s.status === 'completed') throw new IllegalStateError('SITE_ALREADY_COMPLETED', `the site was completed on ${s.completedOn ?? '?'}`);
  if (s.status !== 'launched' || !s.launchedOn) throw new IllegalStateError('SITE_NOT_LAUNCHED', `the project is ${s.status}; only a launched site is completed`);
  const latest = s.beneficiaries.reduce((d, b) => (b.on > d ? b.on : d), s.launchedOn);
  if (on < latest) throw invalid('COMPLETION_TOO_EARLY', 'on', `the site was launched or last joined on ${latest}`);
  const certificates = s.beneficiaries.map((b, i): Certificate => {
    const lines = s.payroll.flatMap((p) => p.lines.filter((l) => l.beneficiaryId === b.beneficiaryId));
    return {
      certificateNumber: `${s.projectId}-${String(i + 1).padStart(3, '0')}`, beneficiaryId: b.beneficiaryId, from: b.on, to: on,
      monthsPaid: lines.filter((l) => l.days > 0).length, daysWorked: sum(lines.map((l) => l.days)), grossCentimes: sum(lines.map((l) => l.grossCentimes)),
    };
  });
  return [{ type: 'WorksSiteCompleted', schemaVersion: 1, data: { projectId: s.projectId, region: s.region, on, certificates } }];
};

const decide = (c: WorksProjectCommand, s: WorksProject): WorksProjectEvent[] => {
  if (c.type === 'ProposeWorksProject') return propose(c, s);
  if (s.status === 'none') throw new NotFoundError('PROJECT_NOT_FOUND', 'no such works project');
  switch (c.type) {
    case 'DecideWorksProject':
      return decideProject(c, s);
    case 'LaunchWorksSite':
      return launch(c, s);
    case 'EnrolBeneficiary':
      return enrol(c, s);
    case 'RecordPayroll':
      return recordPayroll(c, s);
    case 'CompleteWorksSite':
      return complete(c, s);
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

export const worksProjectDecider: Decider<WorksProjectCommand, WorksProject, WorksProjectEvent> = { initialState, evolve, decide };
