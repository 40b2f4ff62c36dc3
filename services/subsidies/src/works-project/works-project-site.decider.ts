import type { AppliedParameter, EligibilityDecision } from '@tashghil/contracts';
import { lastDayOf, madFromCentimes, monthOf, monthsFrom } from '@tashghil/contracts';
import { IllegalStateError, ValidationError, invalidField } from '@tashghil/event-store';
import { evaluate } from '../rules/eligibility';
import { knownAt } from '../rules/parameters';
import { siteLine } from '../rules/payroll';
import {
  approvalOf,
  beneficiarySubjectId,
  lastDayOfSite,
  recommit,
  SCHEME,
  sum,
  type ActiveWorksProject,
  type Certificate,
  type CompleteWorksSite,
  type EnrolBeneficiary,
  type RecordPayroll,
  type WorksPayrollRecorded,
  type WorksProjectEvent,
} from './works-project-state.decider';

const cite = (parameters: readonly AppliedParameter[]): string =>
  parameters.map((p) => `${p.name} = ${p.value} from ${p.effectiveFrom}, ${p.reference}`).join('; ');

/** The awrach-works beneficiary stage checks the wage; a refusal quotes the SMIG and the texts that fix it. */
const refusal = (decision: EligibilityDecision, wage: number): ValidationError => {
  const failing = decision.rules.filter((rule) => !rule.passed && !rule.rule.includes('/'));
  const fields = failing.map((rule) =>
    rule.rule === 'wage'
      ? {
          path: 'monthlyWageCentimes',
          message: `${madFromCentimes(wage)} MAD a month is below the monthly SMIG of ${madFromCentimes(Number(rule.inputs.minimum))} MAD in force on ${decision.on} (${cite(rule.parameters)})`,
        }
      : {
          path: (Object.keys(rule.inputs)[0] ?? rule.rule).replace(/^beneficiary\./, ''),
          message: `${rule.description} (${rule.reference})`,
        },
  );
  const code = failing.every((rule) => rule.rule === 'wage') ? 'WAGE_BELOW_SMIG' : 'BENEFICIARY_NOT_ELIGIBLE';
  return new ValidationError(code, fields.map((field) => field.message).join('; '), fields);
};

export const enrol = (command: EnrolBeneficiary, state: ActiveWorksProject): WorksProjectEvent[] => {
  const { beneficiaryId, source, seekerId, identity, on, categories, table } = command.data;
  if (state.status === 'completed')
    throw new IllegalStateError('SITE_COMPLETED', `the site was completed on ${state.completedOn ?? '?'}`);
  const approval = approvalOf(state);
  if ((state.status !== 'approved' && state.status !== 'launched') || !approval)
    throw new IllegalStateError(
      'PROJECT_NOT_APPROVED',
      `the project is ${state.status}; beneficiaries join an approved site`,
    );
  if (
    state.beneficiaries.some(
      (enrolled) =>
        enrolled.beneficiaryId === beneficiaryId || (seekerId !== undefined && enrolled.seekerId === seekerId),
    )
  ) {
    throw new IllegalStateError('BENEFICIARY_ALREADY_ENROLLED', `${seekerId ?? beneficiaryId} is already on this site`);
  }
  if (state.beneficiaries.length >= state.jobs)
    throw new IllegalStateError('SITE_FULL', `all ${state.jobs} jobs of the site are taken`);
  if (source === 'matching' && !seekerId)
    throw invalidField('SEEKER_REQUIRED', 'seekerId', 'a beneficiary from matching names their seeker file');
  // A seeker's name and CIN live in their seeker file; copying them here would be a second copy to erase.
  if (source === 'matching' && identity)
    throw invalidField(
      'IDENTITY_NOT_EXPECTED',
      'identity',
      'a beneficiary from matching is identified by their seeker file',
    );
  if (source === 'direct') {
    const missing = (['fullName', 'cin'] as const).filter((field) => !identity?.[field]?.trim());
    if (missing.length)
      throw new ValidationError(
        'IDENTITY_REQUIRED',
        'a beneficiary registered directly gives a full name and a CIN',
        missing.map((field) => ({ path: `identity.${field}`, message: 'required for a direct registration' })),
      );
  }
  const last = lastDayOfSite(state);
  if (on < approval.date || on > last)
    throw invalidField(
      'ENROLMENT_OUTSIDE_SITE',
      'on',
      `a beneficiary joins between the approval on ${approval.date} and the end of the site on ${last}`,
    );
  const wage = command.data.monthlyWageCentimes ?? state.monthlyWageCentimes;
  if (!Number.isSafeInteger(wage) || wage < 0)
    throw invalidField(
      'NOT_WHOLE_CENTIMES',
      'monthlyWageCentimes',
      'a wage is a whole, non-negative number of centimes',
    );
  const eligibility = evaluate({
    scheme: SCHEME,
    stage: 'beneficiary',
    facts: { 'beneficiary.monthlyWageCentimes': wage },
    table,
    on,
    knownAt: command.metadata.now,
  });
  if (eligibility.outcome !== 'eligible') throw refusal(eligibility, wage);
  const enrolled: WorksProjectEvent = {
    type: 'WorksBeneficiaryEnrolled',
    schemaVersion: 1,
    data: {
      projectId: state.projectId,
      region: state.region,
      province: state.province,
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
      data: { projectId: state.projectId, beneficiaryId, fullName: identity.fullName.trim(), cin: identity.cin.trim() },
      personal: { subjectId: beneficiarySubjectId(beneficiaryId), fields: ['fullName', 'cin'] },
    },
  ];
};

export const recordPayroll = (command: RecordPayroll, state: ActiveWorksProject): WorksProjectEvent[] => {
  const { month, lines } = command.data;
  if (state.status === 'completed')
    throw new IllegalStateError('SITE_COMPLETED', `the site was completed on ${state.completedOn ?? '?'}`);
  if (state.status !== 'launched' || !state.launchedOn)
    throw new IllegalStateError(
      'SITE_NOT_LAUNCHED',
      `the project is ${state.status}; a payroll is for a launched site`,
    );
  const months = monthsFrom(monthOf(state.launchedOn), monthOf(lastDayOfSite(state)));
  if (!months.includes(month))
    throw invalidField(
      'MONTH_OUTSIDE_SITE',
      'month',
      `the site runs from ${months[0] ?? '?'} to ${months[months.length - 1] ?? '?'}`,
    );
  const first = `${month}-01`;
  if (first > command.metadata.now.slice(0, 10))
    throw invalidField('MONTH_NOT_STARTED', 'month', `${month} has not begun`);
  if (state.payroll.some((recorded) => recorded.month === month))
    throw new IllegalStateError('PAYROLL_ALREADY_RECORDED', `the payroll of ${month} is already recorded`);
  if (lines.length === 0) throw invalidField('NO_LINES', 'lines', 'a payroll has at least one line');
  const enrolled = new Map(state.beneficiaries.map((beneficiary) => [beneficiary.beneficiaryId, beneficiary]));
  const strangers = lines.flatMap((line, index) => {
    const beneficiary = enrolled.get(line.beneficiaryId);
    const path = `lines.${index}.beneficiaryId`;
    if (!beneficiary) return [{ path, message: `${line.beneficiaryId} is not enrolled on this site` }];
    return beneficiary.on > lastDayOf(month)
      ? [{ path, message: `${line.beneficiaryId} joined on ${beneficiary.on}, after ${month}` }]
      : [];
  });
  if (strangers.length)
    throw new ValidationError(
      'BENEFICIARY_NOT_ENROLLED',
      'every line names a beneficiary enrolled by that month',
      strangers,
    );
  const seen = new Set<string>();
  const repeated: string[] = [];
  lines.forEach((line, index) => {
    if (seen.has(line.beneficiaryId)) repeated.push(`lines.${index}.beneficiaryId`);
    seen.add(line.beneficiaryId);
  });
  if (repeated.length)
    throw new ValidationError(
      'BENEFICIARY_REPEATED',
      'a beneficiary has one line a month',
      repeated.map((path) => ({ path, message: 'already has a line in this payroll' })),
    );
  const table = knownAt(command.data.table, command.metadata.now);
  const paid = lines.map((line, index) =>
    siteLine({
      beneficiaryId: line.beneficiaryId,
      agreedWageCentimes: enrolled.get(line.beneficiaryId)?.monthlyWageCentimes ?? 0,
      days: line.days,
      table,
      month,
      path: `lines.${index}.days`,
    }),
  );
  const totals = {
    grossCentimes: sum(paid.map((line) => line.grossCentimes)),
    employeeCentimes: sum(paid.map((line) => line.employee.total)),
    employerCentimes: sum(paid.map((line) => line.employer.total)),
    netCentimes: sum(paid.map((line) => line.netCentimes)),
  };
  // A SMIG rise learnt after the approval is owed all the same: the commitment follows it, so the
  // committee sees the cost the site really has, not payments running past a stale figure.
  return [
    {
      type: 'WorksPayrollRecorded',
      schemaVersion: 1,
      data: { projectId: state.projectId, region: state.region, month, lines: paid, totals },
    },
    ...recommit(state, {
      from: state.launchedOn,
      table: command.data.table,
      now: command.metadata.now,
      reason: 'parameters',
    }),
  ];
};

type PaidLine = WorksPayrollRecorded['data']['lines'][number];

export const complete = (command: CompleteWorksSite, state: ActiveWorksProject): WorksProjectEvent[] => {
  const { on } = command.data;
  if (state.status === 'completed')
    throw new IllegalStateError('SITE_ALREADY_COMPLETED', `the site was completed on ${state.completedOn ?? '?'}`);
  if (state.status !== 'launched' || !state.launchedOn)
    throw new IllegalStateError(
      'SITE_NOT_LAUNCHED',
      `the project is ${state.status}; only a launched site is completed`,
    );
  const latest = state.beneficiaries.reduce(
    (day, beneficiary) => (beneficiary.on > day ? beneficiary.on : day),
    state.launchedOn,
  );
  if (on < latest)
    throw invalidField('COMPLETION_TOO_EARLY', 'on', `the site was launched or last joined on ${latest}`);
  // Each payroll line read once, grouped by beneficiary: a site of thousands stays linear in its lines.
  const linesOf = new Map<string, PaidLine[]>();
  for (const month of state.payroll) {
    for (const line of month.lines) {
      const paid = linesOf.get(line.beneficiaryId);
      if (paid) paid.push(line);
      else linesOf.set(line.beneficiaryId, [line]);
    }
  }
  const certificates = state.beneficiaries.map((beneficiary, index): Certificate => {
    const lines = linesOf.get(beneficiary.beneficiaryId) ?? [];
    return {
      certificateNumber: `${state.projectId}-${String(index + 1).padStart(3, '0')}`,
      beneficiaryId: beneficiary.beneficiaryId,
      from: beneficiary.on,
      to: on,
      monthsPaid: lines.filter((line) => line.days > 0).length,
      daysWorked: sum(lines.map((line) => line.days)),
      grossCentimes: sum(lines.map((line) => line.grossCentimes)),
    };
  });
  return [
    {
      type: 'WorksSiteCompleted',
      schemaVersion: 1,
      data: { projectId: state.projectId, region: state.region, on, certificates },
    },
  ];
};
