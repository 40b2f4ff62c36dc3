import type { AppliedParameter } from '@tashghil/contracts';
import { ValidationError } from '@tashghil/event-store';

/** `flag` is 1 (yes) or 0 (no); `reading` numbers the readings a parameter's description lists. */
export type Unit =
  | 'centimes'
  | 'centimes_per_hour'
  | 'centimes_per_day'
  | 'hours'
  | 'months'
  | 'days'
  | 'basis_points'
  | 'flag'
  | 'reading';

export interface ParameterDefinition {
  readonly unit: Unit;
  readonly description: string;
}

/**
 * Every parameter a rule may name. A value is an integer in its unit: money in centimes, rates in
 * basis points (6.40 % = 640), so no rule ever meets a binary fraction.
 */
export const PARAMETERS = {
  'smig.hourly': { unit: 'centimes_per_hour', description: 'Salaire minimum interprofessionnel garanti, per hour' },
  'smig.monthly_hours': { unit: 'hours', description: 'Hours in a month at the SMIG (monthly SMIG = hourly × this)' },
  'smag.daily': { unit: 'centimes_per_day', description: 'Salaire minimum agricole garanti, per day' },
  'awrach.min_months_registered': {
    unit: 'months',
    description: 'Months registered with ANAPEC as a job seeker to count as long-term registered',
  },
  'awrach1.min_contract_months': { unit: 'months', description: 'Awrach 1: shortest contract that earns the grant' },
  'awrach1.grant_monthly': { unit: 'centimes', description: 'Awrach 1: grant per month of employment' },
  'awrach1.grant_months': { unit: 'months', description: 'Awrach 1: months the grant is paid for' },
  'awrach1.commitment_clawback_bp': {
    unit: 'basis_points',
    description:
      'Awrach 1: share of the grant claimed back, pro rata to the part of the required contract length not worked, when the contract ends before it',
  },
  'awrach2.in_force': {
    unit: 'flag',
    description: 'Awrach 2: 1 while the scheme takes hires starting that day, 0 before its launch or after its close',
  },
  'awrach2.min_contract_months': {
    unit: 'months',
    description: "Awrach 2 (prime d'appui à l'emploi): shortest contract",
  },
  'awrach2.grant_monthly': { unit: 'centimes', description: 'Awrach 2: grant per month, paid through the CNSS' },
  'awrach2.grant_months': { unit: 'months', description: 'Awrach 2: months the grant is paid for' },
  'awrach2.max_turnover_3y': {
    unit: 'centimes',
    description: 'Awrach 2: highest employer turnover over the last three years',
  },
  'awrach2.max_prior_cnss_months': {
    unit: 'months',
    description: 'Awrach 2: most months the hire may already have been declared to the CNSS',
  },
  'awrach2.prior_cnss_reading': {
    unit: 'reading',
    description:
      "Awrach 2: how 'not declared to the CNSS for more than 6 months' is read: 1 = at most that many months declared in total; 2 = no month declared in the six months before the hire",
  },
  'awrach2.commitment_clawback_bp': {
    unit: 'basis_points',
    description:
      'Awrach 2: share of the grant claimed back, pro rata to the part of the required contract length not worked, when the contract ends before it',
  },
  'cnss.max_declared_days': { unit: 'days', description: 'Most days a salary is declared for in a month' },
  'cnss.short_term.employer': { unit: 'basis_points', description: 'CNSS short-term benefits, employer share' },
  'cnss.short_term.employee': { unit: 'basis_points', description: 'CNSS short-term benefits, employee share' },
  'cnss.pension.employer': { unit: 'basis_points', description: 'CNSS pension, employer share' },
  'cnss.pension.employee': { unit: 'basis_points', description: 'CNSS pension, employee share' },
  'cnss.capped_salary': { unit: 'centimes', description: 'Monthly salary cap for short-term benefits and pension' },
  'cnss.amo.employer': { unit: 'basis_points', description: 'AMO health insurance, employer share' },
  'cnss.amo.employee': { unit: 'basis_points', description: 'AMO health insurance, employee share' },
  'cnss.family_allowances.employer': { unit: 'basis_points', description: 'Family allowances, employer only' },
  'cnss.training_tax.employer': { unit: 'basis_points', description: 'Vocational-training tax, employer only' },
} as const satisfies Record<string, ParameterDefinition>;

export type ParameterName = keyof typeof PARAMETERS;
export const PARAMETER_NAMES = Object.keys(PARAMETERS) as ParameterName[];
export const isParameterName = (name: string): name is ParameterName => Object.hasOwn(PARAMETERS, name);

/** One dated value. `recordedAt` is when the platform learnt it; the legal baseline below has none. */
export interface ParameterValue extends AppliedParameter {
  readonly recordedAt: string | null;
}

export type ParameterTable = readonly ParameterValue[];

const value = (name: ParameterName, effectiveFrom: string, v: number, reference: string): ParameterValue => ({
  name,
  effectiveFrom,
  value: v,
  reference,
  recordedAt: null,
});

const SMIG_2019 = 'Accord social du 25 avril 2019 : SMIG relevé de 10 % en deux tranches (juillet 2019, juillet 2020)';
const SMIG_2022 =
  'Accord social du 30 avril 2022 : SMIG relevé de 10 % en deux tranches (septembre 2022, septembre 2023)';
const SMIG_2024 = 'Accord social du 29 avril 2024 : SMIG relevé de 10 % en deux tranches (janvier 2025, janvier 2026)';
const AWRACH = 'Programme Awrach, circulaire du Chef du Gouvernement du 12 janvier 2022';
const AWRACH_GON = 'Programme Awrach, Guelmim-Oued Noun, comité régional du 22 avril 2022';
const AWRACH2 =
  "Awrach 2, prime d'appui à l'emploi : circulaire de mars 2023 ; conventions MIEPEEC, Budget, CNSS et ANAPEC signées le 11 avril 2023 (challenge.ma, infomediaire.net, avril 2023) ; lancement le 25 juillet 2023 (le360, challenge.ma, lebrief.ma, juillet 2023)";
// The press dates the launch to 25 July 2023 while the conventions were signed on 11 April 2023;
// no text at hand names the first hire date admitted, so the launch is taken and kept overridable.
const AWRACH2_LAUNCH = `${AWRACH2} ; premier jour d'embauche admis pris au lancement, à confirmer`;
// No text at hand sets what breaking the contract length costs. Until one does, the grant is earned
// in proportion to the required length worked (10 000 bp = fully pro rata): breaking the
// commitment costs something, and never more than was earned.
const clawback = (scheme: string): string =>
  `${scheme} ; conséquence d’une rupture avant la durée de contrat exigée : restitution au prorata de la durée non travaillée, à confirmer (aucun texte consulté ne la fixe)`;
// The texts say "non déclaré à la CNSS depuis plus de 6 mois", read either as a career total or as
// the last six months. Reading 1 (total) is applied: the prime aims at people with little work
// record gaining a first experience, which the total measures; the other reading would admit a
// long declared career after six idle months. À confirmer against the manuel de procédures.
const CNSS_READING = `${AWRACH2} ; lecture « au total » retenue (la prime vise une première expérience professionnelle), à confirmer`;
const CNSS =
  'Barème CNSS 2024 (Dahir 1-72-184 et textes d’application); appliqué depuis 2021, taux inchangés sur la période, à confirmer';

/**
 * The values the platform starts with, from DOMAIN.md. Anything learnt later is appended as an event
 * with its own effective date; these entries are never edited, because past decisions cite them.
 */
export const BASELINE: ParameterTable = [
  value('smig.hourly', '2020-07-01', 1481, SMIG_2019),
  value('smig.hourly', '2022-09-01', 1555, SMIG_2022),
  value('smig.hourly', '2023-09-01', 1629, SMIG_2022),
  value('smig.hourly', '2025-01-01', 1710, SMIG_2024),
  value('smig.hourly', '2026-01-01', 1792, SMIG_2024),
  value(
    'smig.monthly_hours',
    '2004-06-08',
    191,
    'Code du travail (loi 65-99), art. 184 : 2 288 heures par an ; 191 heures par mois pour le SMIG mensuel',
  ),
  value('smag.daily', '2025-04-01', 9300, SMIG_2024),
  value('smag.daily', '2026-04-01', 9744, SMIG_2024),
  value('awrach.min_months_registered', '2022-01-12', 24, AWRACH_GON),
  value('awrach1.min_contract_months', '2022-01-12', 24, AWRACH),
  value('awrach1.grant_monthly', '2022-01-12', 150_000, AWRACH),
  value('awrach1.grant_months', '2022-01-12', 18, AWRACH),
  value('awrach1.commitment_clawback_bp', '2022-01-12', 10_000, clawback(AWRACH)),
  // Awrach 2 is the programme's second edition (2023): no value of it is in force in 2022.
  value('awrach2.in_force', '2023-07-25', 1, AWRACH2_LAUNCH),
  value('awrach2.min_contract_months', '2023-07-25', 12, AWRACH2),
  value('awrach2.grant_monthly', '2023-07-25', 150_000, AWRACH2),
  value('awrach2.grant_months', '2023-07-25', 9, AWRACH2),
  value(
    'awrach2.max_turnover_3y',
    '2023-07-25',
    1_000_000_000,
    `${AWRACH2} ; chiffre d'affaires inférieur à 10 MDH, annuel ou sur trois ans selon les sources, à confirmer`,
  ),
  value('awrach2.max_prior_cnss_months', '2023-07-25', 6, AWRACH2),
  value('awrach2.prior_cnss_reading', '2023-07-25', 1, CNSS_READING),
  value('awrach2.commitment_clawback_bp', '2023-07-25', 10_000, clawback(AWRACH2)),
  value('cnss.max_declared_days', '2021-01-01', 26, 'CNSS : déclaration mensuelle des salaires, 26 jours au plus'),
  value('cnss.short_term.employer', '2021-01-01', 105, CNSS),
  value('cnss.short_term.employee', '2021-01-01', 52, CNSS),
  value('cnss.pension.employer', '2021-01-01', 793, CNSS),
  value('cnss.pension.employee', '2021-01-01', 396, CNSS),
  value('cnss.capped_salary', '2021-01-01', 600_000, CNSS),
  value('cnss.amo.employer', '2021-01-01', 411, CNSS),
  value('cnss.amo.employee', '2021-01-01', 226, CNSS),
  value('cnss.family_allowances.employer', '2021-01-01', 640, CNSS),
  value('cnss.training_tax.employer', '2021-01-01', 160, CNSS),
];

/** The table as the platform knew it at `instant`: what a decision made then could have used. */
export const knownAt = (table: ParameterTable, instant: string): ParameterTable =>
  table.filter((v) => v.recordedAt === null || v.recordedAt <= instant);

/** The value in force on `date`: the latest effective date on or before it. */
export const valueOn = (table: ParameterTable, name: ParameterName, date: string): AppliedParameter => {
  let best: ParameterValue | undefined;
  for (const v of table) {
    if (v.name !== name || v.effectiveFrom > date) continue;
    if (
      !best ||
      v.effectiveFrom > best.effectiveFrom ||
      (v.effectiveFrom === best.effectiveFrom && (v.recordedAt ?? '') > (best.recordedAt ?? ''))
    )
      best = v;
  }
  if (!best) {
    throw new ValidationError('PARAMETER_NOT_IN_FORCE', `no value of ${name} is in force on ${date}`, [
      { path: 'on', message: `${name} has no value in force on ${date}` },
    ]);
  }
  return { name: best.name, value: best.value, effectiveFrom: best.effectiveFrom, reference: best.reference };
};

/** The monthly SMIG on a date, with the two values it comes from. */
export const monthlySmig = (
  table: ParameterTable,
  date: string,
): { centimes: number; parameters: AppliedParameter[] } => {
  const hourly = valueOn(table, 'smig.hourly', date);
  const hours = valueOn(table, 'smig.monthly_hours', date);
  return { centimes: hourly.value * hours.value, parameters: [hourly, hours] };
};
