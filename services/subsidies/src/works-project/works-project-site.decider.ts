import type { AppliedParameter, EligibilityDecision } from '@tashghil/contracts';
import { lastDayOf, monthOf, monthsFrom } from '@tashghil/contracts';
import { IllegalStateError, ValidationError } from '@tashghil/event-store';
import { evaluate } from '../rules/eligibility';
import { knownAt } from '../rules/parameters';
import { siteLine } from '../rules/payroll';
import {
  approvalOf,
  beneficiarySubjectId,
  invalid,
  lastDayOfSite,
  recommit,
  SCHEME,
  sum,
  type ActiveWorksProject,
  type Certificate,
  type CompleteWorksSite,
  type EnrolBeneficiary,
  type RecordPayroll,
  type WorksProjectEvent,
} from './works-project-state.decider';

const mad = (centimes: number): string => `${Math.floor(centimes / 100)}.${String(centimes % 100).padStart(2, '0')}`;
const cite = (ps: readonly AppliedParameter[]): string =>
  ps.map((p) => `${p.name} = ${p.value} from ${p.effectiveFrom}, ${p.reference}`).join('; ');

/** The awrach-works beneficiary stage checks the wage; a refusal quotes the SMIG and the texts that fix it. */
const refusal = (d: EligibilityDecision, wage: number): ValidationError => {
  const failing = d.rules.filter((r) => !r.passed && !r.rule.includes('/'));
  const fields = failing.map((r) =>
    r.rule === 'wage'
      ? {
          path: 'monthlyWageCentimes',
          message: `${mad(wage)} MAD a month is below the monthly SMIG of ${mad(Number(r.inputs.minimum))} MAD in force on ${d.on} (${cite(r.parameters)})`,
        }
      : {
          path: (Object.keys(r.inputs)[0] ?? r.rule).replace(/^beneficiary\./, ''),
          message: `${r.description} (${r.reference})`,
        },
  );
  const code = failing.every((r) => r.rule === 'wage') ? 'WAGE_BELOW_SMIG' : 'BENEFICIARY_NOT_ELIGIBLE';
  return new ValidationError(code, fields.map((f) => f.message).join('; '), fields);
};

export const enrol = (c: EnrolBeneficiary, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { beneficiaryId, source, seekerId, identity, on, categories, table } = c.data;
  if (s.status === 'completed')
    throw new IllegalStateError('SITE_COMPLETED', `the site was completed on ${s.completedOn ?? '?'}`);
  const approval = approvalOf(s);
  if ((s.status !== 'approved' && s.status !== 'launched') || !approval)
    throw new IllegalStateError(
      'PROJECT_NOT_APPROVED',
      `the project is ${s.status}; beneficiaries join an approved site`,
    );
  if (
    s.beneficiaries.some(
      (b) => b.beneficiaryId === beneficiaryId || (seekerId !== undefined && b.seekerId === seekerId),
    )
  ) {
    throw new IllegalStateError('BENEFICIARY_ALREADY_ENROLLED', `${seekerId ?? beneficiaryId} is already on this site`);
  }
  if (s.beneficiaries.length >= s.jobs)
    throw new IllegalStateError('SITE_FULL', `all ${s.jobs} jobs of the site are taken`);
  if (source === 'matching' && !seekerId)
    throw invalid('SEEKER_REQUIRED', 'seekerId', 'a beneficiary from matching names their seeker file');
  // A seeker's name and CIN live in their seeker file; copying them here would be a second copy to erase.
  if (source === 'matching' && identity)
    throw invalid(
      'IDENTITY_NOT_EXPECTED',
      'identity',
      'a beneficiary from matching is identified by their seeker file',
    );
  if (source === 'direct') {
    const missing = (['fullName', 'cin'] as const).filter((f) => !identity?.[f]?.trim());
    if (missing.length)
      throw new ValidationError(
        'IDENTITY_REQUIRED',
        'a beneficiary registered directly gives a full name and a CIN',
        missing.map((f) => ({ path: `identity.${f}`, message: 'required for a direct registration' })),
      );
  }
  const last = lastDayOfSite(s);
  if (on < approval.date || on > last)
    throw invalid(
      'ENROLMENT_OUTSIDE_SITE',
      'on',
      `a beneficiary joins between the approval on ${approval.date} and the end of the site on ${last}`,
    );
  const wage = c.data.monthlyWageCentimes ?? s.monthlyWageCentimes;
  if (!Number.isSafeInteger(wage) || wage < 0)
    throw invalid('NOT_WHOLE_CENTIMES', 'monthlyWageCentimes', 'a wage is a whole, non-negative number of centimes');
  const eligibility = evaluate({
    scheme: SCHEME,
    stage: 'beneficiary',
    facts: { 'beneficiary.monthlyWageCentimes': wage },
    table,
    on,
    knownAt: c.metadata.now,
  });
  if (eligibility.outcome !== 'eligible') throw refusal(eligibility, wage);
  const enrolled: WorksProjectEvent = {
    type: 'WorksBeneficiaryEnrolled',
    schemaVersion: 1,
    data: {
      projectId: s.projectId,
      region: s.region,
      province: s.province,
      beneficiaryId,
      source,
      ...(seekerId ? { seekerId } : {}),
      on,
      monthlyWageCentimes: wage,
      socialCover: true,
      categories,
      eligibility,
    },
  };
  if (source !== 'direct' || !identity) return [enrolled];
  return [
    enrolled,
    {
      type: 'WorksBeneficiaryIdentified',
      schemaVersion: 1,
      data: { projectId: s.projectId, beneficiaryId, fullName: identity.fullName.trim(), cin: identity.cin.trim() },
      personal: { subjectId: beneficiarySubjectId(beneficiaryId), fields: ['fullName', 'cin'] },
    },
  ];
};

export const recordPayroll = (c: RecordPayroll, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { month, lines } = c.data;
  if (s.status === 'completed')
    throw new IllegalStateError('SITE_COMPLETED', `the site was completed on ${s.completedOn ?? '?'}`);
  if (s.status !== 'launched' || !s.launchedOn)
    throw new IllegalStateError('SITE_NOT_LAUNCHED', `the project is ${s.status}; a payroll is for a launched site`);
  const months = monthsFrom(monthOf(s.launchedOn), monthOf(lastDayOfSite(s)));
  if (!months.includes(month))
    throw invalid(
      'MONTH_OUTSIDE_SITE',
      'month',
      `the site runs from ${months[0] ?? '?'} to ${months[months.length - 1] ?? '?'}`,
    );
  const first = `${month}-01`;
  if (first > c.metadata.now.slice(0, 10)) throw invalid('MONTH_NOT_STARTED', 'month', `${month} has not begun`);
  if (s.payroll.some((p) => p.month === month))
    throw new IllegalStateError('PAYROLL_ALREADY_RECORDED', `the payroll of ${month} is already recorded`);
  if (lines.length === 0) throw invalid('NO_LINES', 'lines', 'a payroll has at least one line');
  const enrolled = new Map(s.beneficiaries.map((b) => [b.beneficiaryId, b]));
  const strangers = lines.flatMap((l, i) => {
    const b = enrolled.get(l.beneficiaryId);
    if (!b) return [{ path: `lines.${i}.beneficiaryId`, message: `${l.beneficiaryId} is not enrolled on this site` }];
    return b.on > lastDayOf(month)
      ? [{ path: `lines.${i}.beneficiaryId`, message: `${l.beneficiaryId} joined on ${b.on}, after ${month}` }]
      : [];
  });
  if (strangers.length)
    throw new ValidationError(
      'BENEFICIARY_NOT_ENROLLED',
      'every line names a beneficiary enrolled by that month',
      strangers,
    );
  const repeated = lines.flatMap((l, i) =>
    lines.findIndex((o) => o.beneficiaryId === l.beneficiaryId) < i ? [`lines.${i}.beneficiaryId`] : [],
  );
  if (repeated.length)
    throw new ValidationError(
      'BENEFICIARY_REPEATED',
      'a beneficiary has one line a month',
      repeated.map((path) => ({ path, message: 'already has a line in this payroll' })),
    );
  const table = knownAt(c.data.table, c.metadata.now);
  const paid = lines.map((l, i) =>
    siteLine({
      beneficiaryId: l.beneficiaryId,
      agreedWageCentimes: enrolled.get(l.beneficiaryId)?.monthlyWageCentimes ?? 0,
      days: l.days,
      table,
      month,
      path: `lines.${i}.days`,
    }),
  );
  const totals = {
    grossCentimes: sum(paid.map((l) => l.grossCentimes)),
    employeeCentimes: sum(paid.map((l) => l.employee.total)),
    employerCentimes: sum(paid.map((l) => l.employer.total)),
    netCentimes: sum(paid.map((l) => l.netCentimes)),
  };
  // A SMIG rise learnt after the approval is owed all the same: the commitment follows it, so the
  // committee sees the cost the site really has, not payments running past a stale figure.
  return [
    {
      type: 'WorksPayrollRecorded',
      schemaVersion: 1,
      data: { projectId: s.projectId, region: s.region, month, lines: paid, totals },
    },
    ...recommit(s, { from: s.launchedOn, table: c.data.table, now: c.metadata.now, reason: 'parameters' }),
  ];
};

export const complete = (c: CompleteWorksSite, s: ActiveWorksProject): WorksProjectEvent[] => {
  const { on } = c.data;
  if (s.status === 'completed')
    throw new IllegalStateError('SITE_ALREADY_COMPLETED', `the site was completed on ${s.completedOn ?? '?'}`);
  if (s.status !== 'launched' || !s.launchedOn)
    throw new IllegalStateError('SITE_NOT_LAUNCHED', `the project is ${s.status}; only a launched site is completed`);
  const latest = s.beneficiaries.reduce((d, b) => (b.on > d ? b.on : d), s.launchedOn);
  if (on < latest) throw invalid('COMPLETION_TOO_EARLY', 'on', `the site was launched or last joined on ${latest}`);
  const certificates = s.beneficiaries.map((b, i): Certificate => {
    const lines = s.payroll.flatMap((p) => p.lines.filter((l) => l.beneficiaryId === b.beneficiaryId));
    return {
      certificateNumber: `${s.projectId}-${String(i + 1).padStart(3, '0')}`,
      beneficiaryId: b.beneficiaryId,
      from: b.on,
      to: on,
      monthsPaid: lines.filter((l) => l.days > 0).length,
      daysWorked: sum(lines.map((l) => l.days)),
      grossCentimes: sum(lines.map((l) => l.grossCentimes)),
    };
  });
  return [
    {
      type: 'WorksSiteCompleted',
      schemaVersion: 1,
      data: { projectId: s.projectId, region: s.region, on, certificates },
    },
  ];
};
