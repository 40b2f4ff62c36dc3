import type { AppliedParameter, EligibilityDecision, Instalment, IntegrationEvent } from '@tashghil/contracts';
import {
  IllegalStateError,
  ValidationError,
  type Command,
  type ModelledDecider,
  invalidField,
} from '@tashghil/event-store';
import { addDays, addMonths, daysBetween, monthOf } from '@tashghil/contracts';
import type { ReleasePlaces, ReservePlaces } from '../envelope/envelope.decider';
import { evaluate } from '../rules/eligibility';
import { knownAt, valueOn, type ParameterName, type ParameterTable } from '../rules/parameters';
import { schemeById, type Facts, type SchemeDeclaration } from '../rules/schemes';
import { scheduleFor, total } from '../rules/schedule';
import { grantQueryModel } from './grant.query-model';

export type GrantApplied = IntegrationEvent<'GrantApplied'>;
export type GrantDecided = IntegrationEvent<'GrantDecided'>;
export type GrantCnssDeclarationRecorded = IntegrationEvent<'GrantCnssDeclarationRecorded'>;
export type GrantPaymentRecorded = IntegrationEvent<'GrantPaymentRecorded'>;
export type GrantContractEnded = IntegrationEvent<'GrantContractEnded'>;
export type GrantClawbackClaimed = IntegrationEvent<'GrantClawbackClaimed'>;
type Application = GrantApplied['data'];
type Decision = GrantDecided['data'];
export type GrantEvent =
  | GrantApplied
  | GrantDecided
  | GrantCnssDeclarationRecorded
  | GrantPaymentRecorded
  | GrantContractEnded
  | GrantClawbackClaimed;

/** Facts looked up outside the decider (the parameter table) travel in the command. */
type WithTable = { readonly table: ParameterTable };

/** A new application always says who was hired: the committees' breakdowns count them. */
export type ApplyForGrant = Command<
  'ApplyForGrant',
  Omit<Application, 'programme' | 'eligibility' | 'beneficiary'> & {
    readonly beneficiary: NonNullable<Application['beneficiary']>;
  } & WithTable
>;
export type DecideGrant = Command<
  'DecideGrant',
  Omit<Decision, 'grantId' | 'region' | 'channel' | 'schedule' | 'totalCentimes' | 'parameters' | 'envelope'> &
    WithTable
>;
export type RecordCnssDeclarations = Command<
  'RecordCnssDeclarations',
  {
    readonly months: readonly { readonly month: string; readonly days: number; readonly wageCentimes: number }[];
    readonly source: 'entered' | 'imported';
  } & WithTable
>;
export type PayInstalment = Command<'PayInstalment', { readonly month: string; readonly paidOn: string }>;
export type EndContract = Command<'EndContract', { readonly lastDay: string; readonly reason: string } & WithTable>;
export type GrantCommand = ApplyForGrant | DecideGrant | RecordCnssDeclarations | PayInstalment | EndContract;

export type GrantStatus = 'applied' | 'approved' | 'rejected' | 'waitlisted' | 'ended';

export type Grant =
  | { readonly status: 'none' }
  | {
      readonly status: GrantStatus;
      readonly application: Application;
      readonly decision?: Decision;
      readonly schedule: readonly Instalment[];
      readonly declarations: Readonly<Record<string, { readonly days: number; readonly wageCentimes: number }>>;
      readonly payments: Readonly<Record<string, number>>;
      readonly clawbackCentimes: number;
      readonly lastDay?: string;
      readonly ending?: GrantContractEnded['data'];
    };
type Active = Exclude<Grant, { status: 'none' }>;

export const GRANT_CATEGORY = 'subsidies.grant';
export const grantStreamId = (grantId: string): string => `${GRANT_CATEGORY}-${grantId}`;

const initialState = (): Grant => ({ status: 'none' });

const evolve = (s: Grant, e: GrantEvent): Grant => {
  if (e.type === 'GrantApplied')
    return {
      status: 'applied',
      application: e.data,
      schedule: [],
      declarations: {},
      payments: {},
      clawbackCentimes: 0,
    };
  if (s.status === 'none') return s;
  switch (e.type) {
    case 'GrantDecided':
      return { ...s, status: e.data.outcome, decision: e.data, schedule: e.data.schedule ?? [] };
    case 'GrantCnssDeclarationRecorded':
      return {
        ...s,
        declarations: { ...s.declarations, [e.data.month]: { days: e.data.days, wageCentimes: e.data.wageCentimes } },
      };
    case 'GrantPaymentRecorded':
      return {
        ...s,
        payments: { ...s.payments, [e.data.month]: (s.payments[e.data.month] ?? 0) + e.data.amountCentimes },
      };
    case 'GrantContractEnded':
      return { ...s, status: 'ended', schedule: e.data.schedule, lastDay: e.data.lastDay, ending: e.data };
    case 'GrantClawbackClaimed':
      return { ...s, clawbackCentimes: s.clawbackCentimes + e.data.amountCentimes };
    default: {
      const _exhaustive: never = e;
      return s;
    }
  }
};

export const grantScheme = (id: string): SchemeDeclaration & { grant: NonNullable<SchemeDeclaration['grant']> } => {
  const scheme = schemeById(id);
  if (!scheme) throw invalidField('UNKNOWN_SCHEME', 'scheme', `${id} is not a declared scheme`);
  if (!scheme.grant) throw invalidField('SCHEME_NOT_A_GRANT', 'scheme', `${id} pays no grant to an employer`);
  return { ...scheme, grant: scheme.grant };
};

/** The facts the hire rules read, named as the request names them. */
export const grantFacts = (a: Pick<Application, 'employer' | 'hire' | 'person'>): Facts => ({
  'employer.kind': a.employer.kind,
  ...(a.employer.turnover3yCentimes === undefined
    ? {}
    : { 'employer.turnover3yCentimes': a.employer.turnover3yCentimes }),
  ...(a.employer.newlyCreated === undefined ? {} : { 'employer.newlyCreated': a.employer.newlyCreated }),
  ...(a.person.recentCnssMonths === undefined ? {} : { 'person.recentCnssMonths': a.person.recentCnssMonths }),
  'contract.startDate': a.hire.startDate,
  'contract.months': a.hire.contractMonths,
  'contract.monthlyWageCentimes': a.hire.monthlyWageCentimes,
  'person.monthsRegistered': a.person.monthsRegistered,
  'person.pandemicJobLoss': a.person.pandemicJobLoss,
  'person.hardToPlace': a.person.hardToPlace,
  'person.disability': a.person.disability,
  'person.priorCnssMonths': a.person.priorCnssMonths,
});

/** Re-decides an application's eligibility as it was decided: same date, same parameters known then. */
export const replayEligibility = (a: Application, table: ParameterTable): EligibilityDecision =>
  evaluate({
    scheme: grantScheme(a.scheme),
    stage: 'hire',
    facts: grantFacts(a),
    table,
    on: a.eligibility.on,
    knownAt: a.eligibility.parametersKnownAt,
  });

const apply = (c: ApplyForGrant, s: Grant): GrantEvent[] => {
  if (s.status !== 'none')
    throw new IllegalStateError('GRANT_ALREADY_APPLIED', `grant ${c.data.grantId} already exists`);
  const { table, ...data } = c.data;
  const scheme = grantScheme(data.scheme);
  if (data.appliedOn < data.hire.startDate) {
    // An application comes with a signed contract: the rules read its length and wage.
    throw invalidField(
      'APPLICATION_BEFORE_HIRE',
      'appliedOn',
      `an application follows the hire of ${data.hire.startDate}`,
    );
  }
  const eligibility = evaluate({
    scheme,
    stage: 'hire',
    facts: grantFacts(data),
    table,
    on: data.appliedOn,
    knownAt: c.metadata.now,
  });
  return [{ type: 'GrantApplied', schemaVersion: 1, data: { ...data, programme: scheme.programme, eligibility } }];
};

const decideGrant = (c: DecideGrant, s: Grant): GrantEvent[] => {
  if (s.status === 'none') throw new IllegalStateError('GRANT_NOT_FOUND', 'there is no application to decide');
  if (s.status !== 'applied' && s.status !== 'waitlisted')
    throw new IllegalStateError('GRANT_ALREADY_DECIDED', `the grant is already ${s.status}`);
  const { table, ...decision } = c.data;
  const a = s.application;
  if (decision.date < a.appliedOn)
    throw invalidField('DECISION_BEFORE_APPLICATION', 'date', `the application was made on ${a.appliedOn}`);
  const head = { grantId: a.grantId, region: a.region, ...decision };
  if (decision.outcome !== 'approved') {
    if (!decision.reason?.trim())
      throw invalidField('REASON_REQUIRED', 'reason', `a grant ${decision.outcome} says why`);
    return [{ type: 'GrantDecided', schemaVersion: 1, data: head }];
  }
  if (a.eligibility.outcome !== 'eligible') {
    const failed = a.eligibility.rules.filter((r) => !r.passed && !r.rule.includes('/')).map((r) => r.rule);
    throw new IllegalStateError(
      'GRANT_NOT_ELIGIBLE',
      `the application failed ${failed.join(', ')}; only an eligible application can be approved`,
      { failed },
    );
  }
  const scheme = grantScheme(a.scheme);
  // The amount and length in force on the decision date, known now; a later change never reaches back.
  const monthly = valueOn(table, scheme.grant.monthly, decision.date);
  const months = valueOn(table, scheme.grant.months, decision.date);
  const schedule = scheduleFor({ startDate: a.hire.startDate, months: months.value, monthlyCentimes: monthly.value });
  const totalCentimes = total(schedule);
  // The envelope line the grant draws on, so that reports can put it against its budget.
  const envelope = {
    programme: scheme.programme,
    year: Number(decision.date.slice(0, 4)),
    component: scheme.component,
    jobs: 1,
    centimes: totalCentimes,
  };
  return [
    {
      type: 'GrantDecided',
      schemaVersion: 1,
      data: {
        ...head,
        channel: scheme.grant.channel,
        schedule,
        totalCentimes,
        parameters: [monthly, months],
        envelope,
      },
    },
  ];
};

/** The place an approved grant takes from its region's envelope: the share its decision recorded. */
export const grantReservation = (grantId: string, s: Grant): Omit<ReservePlaces['data'], 'on'> | undefined => {
  if (s.status !== 'approved' || !s.decision?.envelope) return undefined;
  const share = s.decision.envelope;
  const { programme, year, component, jobs, centimes } = share;
  return {
    region: s.application.region,
    programme,
    year,
    component,
    file: { kind: 'grant', id: grantId },
    jobs,
    centimes,
  };
};

const overpaid = (
  s: Active,
  due: (month: string) => number,
): { month: string; paidCentimes: number; dueCentimes: number }[] =>
  Object.entries(s.payments)
    .map(([month, paidCentimes]) => ({ month, paidCentimes, dueCentimes: due(month) }))
    .filter((m) => m.paidCentimes > m.dueCentimes)
    .sort((x, y) => x.month.localeCompare(y.month));

const clawback = (s: Active, on: string, reason: string, months: ReturnType<typeof overpaid>): GrantEvent[] => {
  const amountCentimes = months.reduce((n, m) => n + m.paidCentimes - m.dueCentimes, 0);
  return amountCentimes > 0
    ? [
        {
          type: 'GrantClawbackClaimed',
          schemaVersion: 1,
          data: { grantId: s.application.grantId, region: s.application.region, amountCentimes, on, reason, months },
        },
      ]
    : [];
};

const declare = (c: RecordCnssDeclarations, s: Grant): GrantEvent[] => {
  if (s.status === 'none') throw new IllegalStateError('GRANT_NOT_FOUND', 'there is no grant to declare for');
  const { grantId, region, hire } = s.application;
  const events: GrantEvent[] = [];
  const bad: { path: string; message: string }[] = [];
  c.data.months.forEach((m, i) => {
    const maxDays = valueOn(c.data.table, 'cnss.max_declared_days', `${m.month}-01`).value;
    if (!Number.isInteger(m.days) || m.days < 0 || m.days > maxDays)
      bad.push({ path: `months.${i}.days`, message: `from 0 to ${maxDays} days a month` });
    if (m.month < monthOf(hire.startDate))
      bad.push({ path: `months.${i}.month`, message: `the contract starts on ${hire.startDate}` });
    if (m.month > monthOf(c.metadata.now))
      bad.push({ path: `months.${i}.month`, message: 'a month is declared once it has begun' });
    if (!Number.isSafeInteger(m.wageCentimes) || m.wageCentimes < 0)
      bad.push({ path: `months.${i}.wageCentimes`, message: 'whole, non-negative centimes' });
  });
  if (bad.length) throw new ValidationError('BAD_DECLARATION', 'some declared months are impossible', bad);
  for (const m of c.data.months) {
    const before = s.declarations[m.month];
    if (before && before.days === m.days && before.wageCentimes === m.wageCentimes) continue;
    events.push({
      type: 'GrantCnssDeclarationRecorded',
      schemaVersion: 1,
      data: { grantId, region, month: m.month, days: m.days, wageCentimes: m.wageCentimes, source: c.data.source },
    });
  }
  // A month paid and then declared as not worked was paid beyond the rules.
  const undeclared = new Set(c.data.months.filter((m) => m.days === 0).map((m) => m.month));
  const months = overpaid(s, (month) => (undeclared.has(month) ? 0 : Number.POSITIVE_INFINITY));
  return [
    ...events,
    ...clawback(s, c.metadata.now.slice(0, 10), 'the CNSS declaration for a paid month shows no day worked', months),
  ];
};

const pay = (c: PayInstalment, s: Grant): GrantEvent[] => {
  if (s.status === 'none') throw new IllegalStateError('GRANT_NOT_FOUND', 'there is no grant to pay');
  if (s.status !== 'approved' && s.status !== 'ended')
    throw new IllegalStateError('GRANT_NOT_APPROVED', `a ${s.status} grant pays nothing`);
  const { month, paidOn } = c.data;
  const instalment = s.schedule.find((i) => i.month === month);
  if (!instalment || instalment.amountCentimes === 0)
    throw new IllegalStateError('NO_INSTALMENT_DUE', `the schedule has nothing due for ${month}`);
  if (s.payments[month] !== undefined)
    throw new IllegalStateError('INSTALMENT_ALREADY_PAID', `${month} was paid already`);
  // The CNSS declaration is the proof the month was worked; the payment date is the paying side's
  // record, so it is neither in the future nor before the month it pays began.
  if (paidOn > c.metadata.now.slice(0, 10))
    throw invalidField('PAID_ON_IN_FUTURE', 'paidOn', `a payment is recorded once made; ${paidOn} is ahead`);
  if (paidOn < `${month}-01`)
    throw invalidField('PAID_BEFORE_MONTH', 'paidOn', `${month} cannot be paid before it begins`);
  const declared = s.declarations[month];
  if (!declared || declared.days === 0) {
    throw new IllegalStateError(
      'NOT_DECLARED_TO_CNSS',
      `the employee was not declared to the CNSS for ${month}; the instalment waits for the declaration`,
    );
  }
  const { grantId, region } = s.application;
  return [
    {
      type: 'GrantPaymentRecorded',
      schemaVersion: 1,
      data: {
        grantId,
        region,
        month,
        amountCentimes: instalment.amountCentimes,
        channel: s.decision?.channel ?? 'employer',
        paidOn,
      },
    },
  ];
};

/**
 * Any end before the contract's own last day is recorded: the job has ended and the unpaid
 * remainder is released. An end before the length the scheme requires also breaks the employer's
 * commitment, whose cost is the scheme's dated clawback rule, applied pro rata to the required
 * length not worked. The required length is read as the application's eligibility read it.
 */
const end = (c: EndContract, s: Grant): GrantEvent[] => {
  if (s.status === 'none') throw new IllegalStateError('GRANT_NOT_FOUND', 'there is no grant');
  if (s.status !== 'approved')
    throw new IllegalStateError(
      'GRANT_NOT_APPROVED',
      `only an approved grant's schedule stops; this one is ${s.status}`,
    );
  const reason = c.data.reason.trim();
  if (!reason) throw invalidField('REASON_REQUIRED', 'reason', 'an early end says why');
  const { lastDay, table } = c.data;
  const a = s.application;
  const start = a.hire.startDate;
  if (lastDay < start) throw invalidField('END_BEFORE_START', 'lastDay', `the contract started on ${start}`);
  const contractEnd = addDays(addMonths(start, a.hire.contractMonths), -1);
  if (lastDay >= contractEnd)
    throw new IllegalStateError(
      'NOT_AN_EARLY_END',
      `the contract ran its full length to ${contractEnd}; an end after that breaks nothing`,
    );
  const terms = grantScheme(a.scheme).grant;
  const required = valueOn(knownAt(table, a.eligibility.parametersKnownAt), terms.minContractMonths, a.eligibility.on);
  const commitmentEnd = addDays(addMonths(start, required.value), -1);
  const commitmentBroken = lastDay < commitmentEnd;
  const period = { startDate: start, months: approvedTerm(s, 'months'), monthlyCentimes: approvedTerm(s, 'monthly') };
  const schedule = scheduleFor(period, lastDay);
  const entitledCentimes = total(schedule);
  const consequence = commitmentBroken
    ? brokenCommitment(table, terms.clawback, required, { start, lastDay, commitmentEnd, entitledCentimes })
    : undefined;
  const due = new Map(schedule.map((i) => [i.month, i.amountCentimes]));
  const on = c.metadata.now.slice(0, 10);
  const ended: GrantEvent = {
    type: 'GrantContractEnded',
    schemaVersion: 1,
    data: {
      grantId: a.grantId,
      region: a.region,
      lastDay,
      reason,
      entitledCentimes,
      cancelledCentimes: total(s.schedule) - entitledCentimes,
      schedule,
      contractEnd,
      commitmentEnd,
      commitmentBroken,
      ...(consequence ? { consequence } : {}),
    },
  };
  const claimed: GrantEvent[] =
    consequence && consequence.amountCentimes > 0
      ? [
          {
            type: 'GrantClawbackClaimed',
            schemaVersion: 1,
            data: {
              grantId: a.grantId,
              region: a.region,
              amountCentimes: consequence.amountCentimes,
              on,
              reason: `contract ended on ${lastDay}, before the required length to ${commitmentEnd}: ${consequence.rule}`,
              months: [],
            },
          },
        ]
      : [];
  return [
    ended,
    ...clawback(
      s,
      on,
      `contract ended on ${lastDay}: ${reason}`,
      overpaid(s, (m) => due.get(m) ?? 0),
    ),
    ...claimed,
  ];
};

type Consequence = NonNullable<GrantContractEnded['data']['consequence']>;

/** The grant earned, less the clawback share of it pro rata to the days of the required length not worked. */
const brokenCommitment = (
  table: ParameterTable,
  name: ParameterName,
  required: AppliedParameter,
  f: { start: string; lastDay: string; commitmentEnd: string; entitledCentimes: number },
): Consequence => {
  const share = valueOn(table, name, f.lastDay);
  const requiredDays = daysBetween(f.start, f.commitmentEnd) + 1;
  const missedDays = daysBetween(f.lastDay, f.commitmentEnd);
  // Integer arithmetic: 2.7 M centimes × 10,000 bp × 731 days stays far below 2^53.
  const amountCentimes = Math.floor((f.entitledCentimes * share.value * missedDays) / (10_000 * requiredDays));
  return {
    rule: 'commitment_clawback',
    description: `ended ${missedDays} of ${requiredDays} days before the required contract length: ${share.value / 100} % of the grant earned, pro rata to the days missed, is claimed back`,
    reference: share.reference,
    parameters: [required, share],
    amountCentimes,
  };
};

/** What an ended grant gives back to its envelope: its job place and the unpaid remainder. */
export const grantRelease = (grantId: string, s: Grant): Omit<ReleasePlaces['data'], 'on'> | undefined => {
  if (s.status !== 'ended' || !s.decision?.envelope || !s.ending) return undefined;
  const { programme, year, component, jobs } = s.decision.envelope;
  return {
    region: s.application.region,
    programme,
    year,
    component,
    file: { kind: 'grant', id: grantId },
    jobs,
    centimes: s.ending.cancelledCentimes,
    reason: `contract ended on ${s.ending.lastDay}`,
  };
};

/** The amount and length the approval fixed, read back from the parameters it recorded. */
const approvedTerm = (s: Active, term: 'monthly' | 'months'): number => {
  const name = grantScheme(s.application.scheme).grant[term];
  return s.decision?.parameters?.find((p) => p.name === name)?.value ?? 0;
};

const decide = (c: GrantCommand, s: Grant): GrantEvent[] => {
  switch (c.type) {
    case 'ApplyForGrant':
      return apply(c, s);
    case 'DecideGrant':
      return decideGrant(c, s);
    case 'RecordCnssDeclarations':
      return declare(c, s);
    case 'PayInstalment':
      return pay(c, s);
    case 'EndContract':
      return end(c, s);
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

/** Keeps `q.grants`, the list of grants, with every append. */
export const grantDecider: ModelledDecider<GrantCommand, Grant, GrantEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: grantQueryModel,
};
