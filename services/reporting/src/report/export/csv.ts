import { madFromCentimes } from '@tashghil/contracts';
import type { CommitteeReport, Count } from '../report.types';
import { monthFr } from './format';
import {
  BENEFICIARY_BREAKDOWNS,
  breakdownKeyFr,
  fileDecisionFr,
  labelFr,
  lineLabelFr,
  regionFr,
  scopeFr,
} from './labels';

/** Excel reads a CSV as UTF-8 only when it starts with this mark; the caller prepends it for downloads. */
export const CSV_BOM = '\ufeff';

/**
 * One long table, the same six columns for every part of the report, so a spreadsheet pivots or
 * filters it without knowing the report's shape:
 * - `section`: the part of the report (`report` for the header rows, then `targets`, `budget`, …);
 * - `region`: the region the row is about; `national` for a national report's own figures;
 * - `item`: a stable code for what is counted (`gender.female`, `programme:awrach/2022:temporary_works`);
 * - `detail`: the same thing in French words, for people;
 * - `measure`: which figure (`count`, `target_jobs`, `paid_mad`, …); money measures end in `_mad`;
 * - `value`: the figure. Counts are integers, money is MAD with two decimals and a point, and an
 *   empty value is a figure the report does not have (null), never a zero.
 * A part with no lines (no decisions yet) has no rows.
 */
export const CSV_COLUMNS = ['section', 'region', 'item', 'detail', 'measure', 'value'] as const;

type Value = number | string | null | { readonly centimes: number | null };

interface Row {
  readonly section: string;
  readonly region: string;
  readonly item: string;
  readonly detail: string;
  readonly measure: string;
  readonly value: Value;
}

const money = (centimes: number | null): Value => ({ centimes });

/**
 * Text that a spreadsheet would take for a formula (a decision's subject typed as `=…`) is prefixed
 * with an apostrophe, the OWASP advice for CSV injection. Figures are never touched: `-0.05` stays a
 * number.
 */
const inert = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const field = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

const cell = (value: Value): string => {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return inert(value);
  return value.centimes === null ? '' : madFromCentimes(value.centimes);
};

const line = (r: Row): string =>
  [r.section, r.region, r.item, r.detail, r.measure]
    .map((t) => field(inert(t)))
    .concat(field(cell(r.value)))
    .join(',');

const counts = (
  section: string,
  region: string,
  prefix: string,
  items: readonly Count[],
  label: (key: string) => string,
): Row[] =>
  items.map((c) => ({
    section,
    region,
    item: `${prefix}.${c.key}`,
    detail: label(c.key),
    measure: 'count',
    value: c.count,
  }));

const rowsOf = (report: CommitteeReport): Row[] => {
  const scope = report.scope.region ?? 'national';
  const at = (
    section: string,
    item: string,
    detail: string,
    measures: ReadonlyArray<readonly [string, Value]>,
    region = scope,
  ): Row[] => measures.map(([measure, value]) => ({ section, region, item, detail, measure, value }));
  const b = report.beneficiaries;
  const w = report.worksSites;
  return [
    ...at('report', 'scope', scopeFr(report), [
      ['name_fr', report.scope.name.fr],
      ['name_ar', report.scope.name.ar],
    ]),
    ...at('report', 'as_of', report.asOf ? 'Situation à la fin du jour' : 'Situation en direct', [
      ['date', report.asOf],
    ]),
    ...at('report', 'basis', labelFr('basis', report.basis.kind), [
      ['kind', report.basis.kind],
      ['events', report.basis.events],
      ['last_recorded_at', report.basis.lastRecordedAt],
    ]),
    ...at('report', 'generated_at', 'Généré le', [['timestamp', report.generatedAt]]),

    ...report.targets.flatMap((t) =>
      at(
        'targets',
        `${t.source}:${t.ref}:${t.line}`,
        lineLabelFr(t),
        [
          ['year', t.year],
          ['target_jobs', t.targetJobs],
          ['achieved_jobs', t.achievedJobs],
          ['ended_jobs', t.endedJobs],
        ],
        t.region,
      ),
    ),

    ...report.budget.flatMap((l) =>
      at(
        'budget',
        `${l.source}:${l.ref}:${l.line}`,
        lineLabelFr(l),
        [
          ['state_mad', money(l.stateCentimes)],
          ['region_mad', money(l.regionCentimes)],
          ['budget_mad', money(l.budgetCentimes)],
          ['committed_mad', money(l.committedCentimes)],
          ['released_mad', money(l.releasedCentimes)],
          ['paid_mad', money(l.paidCentimes)],
          ['clawed_back_mad', money(l.clawedBackCentimes)],
        ],
        l.region,
      ),
    ),

    ...at('beneficiaries', 'total', 'Total des bénéficiaires', [['count', b.total]]),
    ...BENEFICIARY_BREAKDOWNS.flatMap((d) =>
      counts('beneficiaries', scope, d.code, b[d.field], (k) => `${d.title} : ${breakdownKeyFr(d.dimension, k)}`),
    ),
    ...at('beneficiaries', 'basis.rule', 'Règle de décompte', [
      ['text_fr', b.basis.rule.fr],
      ['text_ar', b.basis.rule.ar],
    ]),
    ...counts(
      'beneficiaries',
      scope,
      'basis.counted',
      b.basis.counted,
      (k) => `Personnes comptées : ${labelFr('beneficiary_source', k)}`,
    ),
    ...at('beneficiaries', 'basis.hires_left_out', 'Placements hors programme, non comptés', [
      ['count', b.basis.hiresLeftOut],
    ]),

    ...at('placements', 'total', 'Total des placements', [['count', report.placements.total]]),
    ...counts('placements', scope, 'sector', report.placements.bySector, (k) => labelFr('sector', k)),

    ...counts('flows', scope, 'flow', report.flows.byFlow, (k) => labelFr('flow', k)),
    ...report.flows.matrix.flatMap((m) =>
      at(
        'flows',
        `to.${m.destination}`,
        `${regionFr(m.origin)} → ${regionFr(m.destination)}`,
        [['count', m.count]],
        m.origin,
      ),
    ),

    ...report.processingTimes.flatMap((s) =>
      at('processingTimes', s.step, labelFr('step', s.step), [
        ['count', s.count],
        ['median_days', s.medianDays],
        ['p90_days', s.p90Days],
      ]),
    ),

    ...(['programmed', 'launched', 'completed'] as const).flatMap((stage) =>
      at('worksSites', stage, labelFr('works_stage', stage), [
        ['sites', w[stage].sites],
        ['jobs', w[stage].jobs],
      ]),
    ),
    ...at('worksSites', 'enrolled', 'Bénéficiaires enrôlés', [['count', w.enrolled]]),
    ...w.byProvince.flatMap((p) =>
      at('worksSites', `province.${p.province}`, p.province, [
        ['programmed_sites', p.programmedSites],
        ['programmed_jobs', p.programmedJobs],
        ['launched_sites', p.launchedSites],
        ['launched_jobs', p.launchedJobs],
        ['completed_sites', p.completedSites],
      ]),
    ),

    ...report.decisions.recorded.flatMap((d) =>
      at(
        'decisions',
        `${d.committeeId}/${d.decisionNumber}`,
        d.subject,
        [
          ['committee_kind', d.kind],
          ['date', d.date],
          ['outcome', d.outcome],
        ],
        d.region,
      ),
    ),
    ...counts('decisions', scope, 'files', report.decisions.onFiles, fileDecisionFr),

    ...report.timeline.flatMap((p) =>
      at('timeline', p.month, monthFr(p.month), [
        ['hires', p.hires],
        ['enrolments', p.enrolments],
        ['paid_mad', money(p.paidCentimes)],
      ]),
    ),
  ];
};

/** The whole report as one RFC 4180 CSV: CRLF after every record, UTF-8 without the BOM. */
export const reportToCsv = (report: CommitteeReport): string =>
  [CSV_COLUMNS.join(','), ...rowsOf(report).map(line)].map((l) => `${l}\r\n`).join('');
