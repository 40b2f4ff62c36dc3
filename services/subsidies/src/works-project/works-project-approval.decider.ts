import { addDays, addMonths, MAX_JOBS } from '@tashghil/contracts';
import { IllegalStateError, ValidationError, invalidField } from '@tashghil/event-store';
import type { ReservePlaces } from '../envelope/envelope.decider';
import { evaluate } from '../rules/eligibility';
import { knownAt } from '../rules/parameters';
import { sitePlan } from '../rules/payroll';
import {
  approvalOf,
  recommit,
  SCHEME,
  type ActiveWorksProject,
  type DecideWorksProject,
  type LaunchWorksSite,
  type ProposeWorksProject,
  type WorksProject,
  type WorksProjectEvent,
} from './works-project-state.decider';

/**
 * How many months `start`–`end` (both days worked) covers: from the whole months in it to the
 * months it touches. 15 May–15 November is 6 or 7; 1 May–31 October is exactly 6.
 */
export const monthSpan = (start: string, end: string): { readonly min: number; readonly max: number } => {
  const after = addDays(end, 1);
  let whole =
    (Number(after.slice(0, 4)) - Number(start.slice(0, 4))) * 12 +
    Number(after.slice(5, 7)) -
    Number(start.slice(5, 7));
  while (whole > 0 && addMonths(start, whole) > after) whole -= 1;
  return { min: whole, max: addMonths(start, whole) === after ? whole : whole + 1 };
};

/** The places an approval takes from its region's envelope: the share its decision recorded. */
export const envelopeReservation = (
  projectId: string,
  state: WorksProject,
): Omit<ReservePlaces['data'], 'on'> | undefined => {
  if (state.status !== 'approved') return undefined;
  const share = state.commitment?.envelope;
  if (!share) return undefined;
  const { programme, year, component, jobs, centimes } = share;
  return {
    region: state.region,
    programme,
    year,
    component,
    file: { kind: 'works-project', id: projectId },
    jobs,
    centimes,
  };
};

export const propose = (command: ProposeWorksProject, state: WorksProject): WorksProjectEvent[] => {
  const {
    projectId,
    region,
    province,
    promoter,
    kind,
    title,
    jobs,
    months,
    start,
    end,
    monthlyWageCentimes,
    proposedOn,
    table,
  } = command.data;
  if (state.status !== 'none')
    throw new IllegalStateError('PROJECT_ALREADY_PROPOSED', `works project ${projectId} is already proposed`);
  const counts = (['jobs', 'months'] as const).filter(
    (field) => !Number.isSafeInteger(command.data[field]) || command.data[field] < 1,
  );
  if (Number.isSafeInteger(jobs) && jobs > MAX_JOBS)
    throw invalidField('TOO_MANY_JOBS', 'jobs', `a site employs at most ${MAX_JOBS.toLocaleString('en')} people`);
  if (counts.length) {
    throw new ValidationError(
      'NOT_A_POSITIVE_INTEGER',
      'jobs and months are whole numbers, at least 1',
      counts.map((path) => ({ path, message: 'must be a whole number, at least 1' })),
    );
  }
  if (!Number.isSafeInteger(monthlyWageCentimes) || monthlyWageCentimes < 0) {
    throw invalidField(
      'NOT_WHOLE_CENTIMES',
      'monthlyWageCentimes',
      'a wage is a whole, non-negative number of centimes',
    );
  }
  if (end <= start) throw invalidField('END_NOT_AFTER_START', 'end', `the site must end after it starts on ${start}`);
  // The budget prices each month of the site, so a month count that the dates do not bear out misstates it.
  const span = monthSpan(start, end);
  if (months < span.min || months > span.max) {
    throw invalidField(
      'MONTHS_INCONSISTENT',
      'months',
      `${start} to ${end} covers ${span.min === span.max ? span.min : `${span.min} or ${span.max}`} months, not ${months}`,
    );
  }
  // An ineligible project is recorded all the same: the officer sees each rule, its text and its outcome.
  const eligibility = evaluate({
    scheme: SCHEME,
    stage: 'project',
    table,
    on: proposedOn,
    knownAt: command.metadata.now,
    facts: {
      'promoter.kind': promoter.kind,
      'project.jobs': jobs,
      'project.months': months,
      'project.monthlyWageCentimes': monthlyWageCentimes,
    },
  });
  // The site costs its wages and the employer's contributions, at the SMIG of each month: a budget of
  // wages alone would show a site paid exactly to plan at 121 % of its commitment.
  const plan = sitePlan({
    jobs,
    months,
    from: start,
    monthlyWageCentimes,
    table: knownAt(table, command.metadata.now),
  });
  return [
    {
      type: 'WorksProjectProposed',
      schemaVersion: 1,
      data: {
        projectId,
        region,
        province,
        scheme: SCHEME.id,
        promoter: { kind: promoter.kind, id: promoter.id, name: promoter.name },
        kind,
        title,
        jobs,
        months,
        start,
        end,
        monthlyWageCentimes,
        budgetCentimes: plan.totalCentimes,
        proposedOn,
        eligibility,
        plan: { ...plan, months: [...plan.months], parameters: [...plan.parameters] },
      },
    },
  ];
};

export const decideProject = (command: DecideWorksProject, state: ActiveWorksProject): WorksProjectEvent[] => {
  const { outcome, decisionNumber, date, committeeId } = command.data;
  const reason = command.data.reason?.trim();
  if (state.status !== 'proposed' && state.status !== 'waitlisted')
    throw new IllegalStateError(
      'PROJECT_ALREADY_DECIDED',
      `the project is ${state.status}; only a proposed or waitlisted project is decided`,
    );
  if (state.decisions.some((decision) => decision.decisionNumber === decisionNumber))
    throw new IllegalStateError(
      'DECISION_NUMBER_TAKEN',
      `decision ${decisionNumber} is already recorded on this project`,
    );
  if (date < state.proposedOn)
    throw invalidField('DECISION_BEFORE_PROPOSAL', 'date', `the project was proposed on ${state.proposedOn}`);
  if (outcome !== 'approved' && !reason)
    throw invalidField('REASON_REQUIRED', 'reason', `a project ${outcome} is told why`);
  if (outcome !== 'rejected' && state.eligibility.outcome !== 'eligible') {
    const failed = state.eligibility.rules
      .filter((rule) => !rule.passed)
      .map((rule) => rule.rule)
      .join(', ');
    throw new IllegalStateError('PROJECT_NOT_ELIGIBLE', `the project failed ${failed}; it can only be rejected`, {
      failed,
    });
  }
  const envelope = {
    programme: SCHEME.programme,
    year: Number(date.slice(0, 4)),
    component: SCHEME.component,
    jobs: state.jobs,
    centimes: state.budgetCentimes,
  };
  return [
    {
      type: 'WorksProjectDecided',
      schemaVersion: 1,
      data: {
        projectId: state.projectId,
        region: state.region,
        outcome,
        decisionNumber,
        date,
        ...(committeeId ? { committeeId } : {}),
        ...(reason ? { reason } : {}),
        ...(outcome === 'approved' ? { envelope } : {}),
      },
    },
  ];
};

export const launch = (command: LaunchWorksSite, state: ActiveWorksProject): WorksProjectEvent[] => {
  const { on, table } = command.data;
  if (state.status === 'launched' || state.status === 'completed')
    throw new IllegalStateError('SITE_ALREADY_LAUNCHED', `the site was launched on ${state.launchedOn ?? '?'}`);
  const approval = approvalOf(state);
  if (state.status !== 'approved' || !approval)
    throw new IllegalStateError(
      'PROJECT_NOT_APPROVED',
      `the project is ${state.status}; only an approved site is launched`,
    );
  if (on < approval.date)
    throw invalidField('LAUNCH_BEFORE_APPROVAL', 'on', `the project was approved on ${approval.date}`);
  const launched = { ...state, status: 'launched' as const, launchedOn: on };
  // Work starting on another day than planned may move months across a SMIG rise.
  return [
    { type: 'WorksSiteLaunched', schemaVersion: 1, data: { projectId: state.projectId, region: state.region, on } },
    ...recommit(launched, { from: on, table, now: command.metadata.now, reason: 'launch' }),
  ];
};
