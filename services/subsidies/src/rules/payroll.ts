import { addDays, addMonths, type AppliedParameter, type PayrollLine } from '@tashghil/contracts';
import { ValidationError } from '@tashghil/event-store';
import { monthlySmig, valueOn, type ParameterName, type ParameterTable } from './parameters';

/** A rate in basis points of an amount in centimes, rounded half up to the centime. */
export const rateOf = (centimes: number, basisPoints: number): number =>
  Math.floor((centimes * basisPoints + 5_000) / 10_000);

/**
 * One beneficiary's month on a works site: the gross wage for the days worked (a full month is the
 * CNSS's 26 days), the CNSS and AMO shares of each side with the pension and short-term ceilings,
 * and the net. Income tax is not withheld here: at the SMIG it is nil after the professional
 * deduction, and a site's payroll goes through its promoter's own payroll for anything else.
 */
export const payrollLine = (input: {
  readonly beneficiaryId: string;
  readonly monthlyWageCentimes: number;
  readonly days: number;
  readonly table: ParameterTable;
  /** The month's first day: the rates in force then apply to the whole month. */
  readonly on: string;
  readonly path?: string;
}): PayrollLine => {
  const used: AppliedParameter[] = [];
  const p = (name: ParameterName): number => {
    const v = valueOn(input.table, name, input.on);
    used.push(v);
    return v.value;
  };
  const fullMonth = p('cnss.max_declared_days');
  if (!Number.isInteger(input.days) || input.days < 0 || input.days > fullMonth) {
    throw new ValidationError('DAYS_OUT_OF_RANGE', `a month is declared for 0 to ${fullMonth} days`, [
      { path: input.path ?? 'days', message: `must be a whole number from 0 to ${fullMonth}` },
    ]);
  }
  const gross =
    input.days === fullMonth
      ? input.monthlyWageCentimes
      : Math.floor((input.monthlyWageCentimes * input.days + fullMonth / 2) / fullMonth);
  const capped = Math.min(gross, p('cnss.capped_salary'));
  const employee = {
    shortTerm: rateOf(capped, p('cnss.short_term.employee')),
    pension: rateOf(capped, p('cnss.pension.employee')),
    amo: rateOf(gross, p('cnss.amo.employee')),
    familyAllowances: 0,
    trainingTax: 0,
  };
  const employer = {
    shortTerm: rateOf(capped, p('cnss.short_term.employer')),
    pension: rateOf(capped, p('cnss.pension.employer')),
    amo: rateOf(gross, p('cnss.amo.employer')),
    familyAllowances: rateOf(gross, p('cnss.family_allowances.employer')),
    trainingTax: rateOf(gross, p('cnss.training_tax.employer')),
  };
  const sum = (c: typeof employee): number => c.shortTerm + c.pension + c.amo + c.familyAllowances + c.trainingTax;
  return {
    beneficiaryId: input.beneficiaryId,
    days: input.days,
    grossCentimes: gross,
    employee: { ...employee, total: sum(employee) },
    employer: { ...employer, total: sum(employer) },
    netCentimes: gross - sum(employee),
    parameters: used,
  };
};

/**
 * A works beneficiary's month: the agreed wage raised to the SMIG of the month where it falls below,
 * because the SMIG is owed for the whole site (Awrach part 1), so a rise during the site (as on
 * 1 September 2022) is paid from its first month. The payroll and the site's plan both price a month
 * with this one function, so a site paid to plan costs exactly what it committed, to the centime.
 */
export const siteLine = (input: {
  readonly beneficiaryId: string;
  readonly agreedWageCentimes: number;
  readonly days: number;
  readonly table: ParameterTable;
  /** A calendar month, `2022-09`. */
  readonly month: string;
  readonly path?: string;
}): PayrollLine => {
  const on = `${input.month}-01`;
  const smig = monthlySmig(input.table, on);
  const wage = Math.max(input.agreedWageCentimes, smig.centimes);
  const line = payrollLine({
    beneficiaryId: input.beneficiaryId,
    monthlyWageCentimes: wage,
    days: input.days,
    table: input.table,
    on,
    ...(input.path ? { path: input.path } : {}),
  });
  return { ...line, parameters: [...smig.parameters, ...line.parameters] };
};

export interface PlannedMonth {
  readonly month: string;
  /** One job's gross wage and employer contributions for a full month. */
  readonly wageCentimes: number;
  readonly employerCentimes: number;
}

export interface SitePlan {
  readonly months: readonly PlannedMonth[];
  /** All jobs, all months: what the site will really cost the programme. */
  readonly wagesCentimes: number;
  readonly employerCentimes: number;
  readonly totalCentimes: number;
  /** Each parameter value the plan used, once, with its reference. */
  readonly parameters: readonly AppliedParameter[];
}

/**
 * What a site will cost: every job paid a full month (the CNSS's declared days) for each of its
 * months, gross wage plus employer contributions, at the SMIG and rates in force that month. A
 * month of the plan is priced in the calendar month it ends in: a site starting on the 1st is priced
 * exactly as its payroll is; one starting mid-month that crosses a SMIG rise is committed a little
 * above what it pays, never below, since a committee must never see spending that did not happen.
 */
export const sitePlan = (input: {
  readonly jobs: number;
  readonly months: number;
  /** The first day of work: the planned start, or the launch once the site has started. */
  readonly from: string;
  readonly monthlyWageCentimes: number;
  readonly table: ParameterTable;
}): SitePlan => {
  const months: PlannedMonth[] = [];
  const used = new Map<string, AppliedParameter>();
  for (let i = 0; i < input.months; i += 1) {
    const month = addDays(addMonths(input.from, i + 1), -1).slice(0, 7);
    const fullMonth = valueOn(input.table, 'cnss.max_declared_days', `${month}-01`).value;
    const line = siteLine({
      beneficiaryId: 'plan',
      agreedWageCentimes: input.monthlyWageCentimes,
      days: fullMonth,
      table: input.table,
      month,
    });
    for (const p of line.parameters) used.set(`${p.name}@${p.effectiveFrom}`, p);
    months.push({ month, wageCentimes: line.grossCentimes, employerCentimes: line.employer.total });
  }
  const wagesCentimes = input.jobs * months.reduce((n, m) => n + m.wageCentimes, 0);
  const employerCentimes = input.jobs * months.reduce((n, m) => n + m.employerCentimes, 0);
  return {
    months,
    wagesCentimes,
    employerCentimes,
    totalCentimes: wagesCentimes + employerCentimes,
    parameters: [...used.values()],
  };
};
