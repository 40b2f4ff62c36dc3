import type { AppliedParameter, PayrollLine } from '@tashghil/contracts';
import { ValidationError } from '@tashghil/event-store';
import { valueOn, type ParameterName, type ParameterTable } from './parameters';

/** A rate in basis points of an amount in centimes, rounded half up to the centime. */
export const rateOf = (centimes: number, basisPoints: number): number => Math.floor((centimes * basisPoints + 5_000) / 10_000);

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
    throw new ValidationError('DAYS_OUT_OF_RANGE', `a month is declared for 0 to ${fullMonth} days`, [{ path: input.path ?? 'days', message: `must be a whole number from 0 to ${fullMonth}` }]);
  }
  const gross = input.days === fullMonth ? input.monthlyWageCentimes : Math.floor((input.monthlyWageCentimes * input.days + fullMonth / 2) / fullMonth);
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
