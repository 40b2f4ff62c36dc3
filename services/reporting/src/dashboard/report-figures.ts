import type { CommitteeReport, Count } from '../report/report.types';

/**
 * The dashboard names each figure it prints by where it sits in the report (`data-figure`), with
 * array entries named by their key fields rather than their position:
 *   targets.MA-10.programme.awrach/2022.temporary_works.targetJobs
 * This is the reading of those names the tests use, written apart from the page's own code, so a
 * figure the page prints from the wrong place does not agree with it by construction.
 */

const missing = (figure: string): never => {
  throw new Error(`the report has no figure ${figure}`);
};

/** Exactly one entry, or the name does not identify a figure. */
const only = <T>(entries: readonly T[], figure: string): T => {
  if (entries.length !== 1) throw new Error(`${figure} names ${entries.length} entries of the report, not one`);
  return entries[0] ?? missing(figure);
};

const field = (entry: object, name: string, figure: string): unknown =>
  Object.prototype.hasOwnProperty.call(entry, name) ? (entry as Record<string, unknown>)[name] : missing(figure);

const countOf = (counts: readonly Count[] | undefined, key: string, figure: string): number =>
  only(
    (counts ?? missing(figure)).filter((c) => c.key === key),
    figure,
  ).count;

/** A keyed line: `<region>.<source>.<ref…>.<line>.<field>`; a reference may hold dots or slashes. */
const lineFigure = (
  entries: readonly { region: string; source: string; ref: string; line: string }[],
  rest: readonly string[],
  figure: string,
): unknown => {
  const [region, source, ...tail] = rest;
  if (tail.length < 3) return missing(figure);
  const name = tail[tail.length - 1] ?? '';
  const line = tail[tail.length - 2] ?? '';
  const ref = tail.slice(0, -2).join('.');
  return field(
    only(
      entries.filter((e) => e.region === region && e.source === source && e.ref === ref && e.line === line),
      figure,
    ),
    name,
    figure,
  );
};

export const figureValue = (report: CommitteeReport, figure: string): unknown => {
  const [head, second, ...rest] = figure.split('.');
  const last = rest[rest.length - 1] ?? '';
  const middle = rest.slice(0, -1).join('.');
  switch (head) {
    case 'scope':
      return second === 'region' && rest.length === 0 ? report.scope.region : missing(figure);
    case 'asOf':
      return second === undefined ? report.asOf : missing(figure);
    case 'basis':
      return second !== undefined && rest.length === 0 ? field(report.basis, second, figure) : missing(figure);
    case 'targets':
      return lineFigure(report.targets, [second ?? '', ...rest], figure);
    case 'budget':
      return lineFigure(report.budget, [second ?? '', ...rest], figure);
    case 'beneficiaries':
      if (second === 'total' && rest.length === 0) return report.beneficiaries.total;
      if (second === 'basis') {
        const basis = report.beneficiaries.basis;
        if (rest[0] === 'hiresLeftOut' && rest.length === 1) return basis.hiresLeftOut;
        return rest[0] === 'counted' ? countOf(basis.counted, rest.slice(1).join('.'), figure) : missing(figure);
      }
      return countOf(
        second && second !== 'total'
          ? (report.beneficiaries as unknown as Record<string, readonly Count[]>)[second]
          : undefined,
        rest.join('.'),
        figure,
      );
    case 'placements':
      if (second === 'total' && rest.length === 0) return report.placements.total;
      return second === 'bySector' ? countOf(report.placements.bySector, rest.join('.'), figure) : missing(figure);
    case 'flows':
      if (second === 'byFlow') return countOf(report.flows.byFlow, rest.join('.'), figure);
      if (second === 'matrix' && rest.length === 2)
        return only(
          report.flows.matrix.filter((c) => c.origin === rest[0] && c.destination === rest[1]),
          figure,
        ).count;
      return missing(figure);
    case 'processingTimes':
      return field(
        only(
          report.processingTimes.filter((s) => s.step === second),
          figure,
        ),
        rest.join('.'),
        figure,
      );
    case 'worksSites': {
      if (second === 'enrolled' && rest.length === 0) return report.worksSites.enrolled;
      if (second === 'byProvince')
        return field(
          only(
            report.worksSites.byProvince.filter((p) => p.province === middle),
            figure,
          ),
          last,
          figure,
        );
      if (second === 'programmed' || second === 'launched' || second === 'completed')
        return field(report.worksSites[second], rest.join('.'), figure);
      return missing(figure);
    }
    case 'decisions':
      if (second === 'onFiles') return countOf(report.decisions.onFiles, rest.join('.'), figure);
      if (second === 'recorded' && rest.length === 2)
        return field(report.decisions.recorded[Number(rest[0])] ?? missing(figure), last, figure);
      return missing(figure);
    case 'timeline':
      return field(
        only(
          report.timeline.filter((p) => p.month === second),
          figure,
        ),
        rest.join('.'),
        figure,
      );
    default:
      return missing(figure);
  }
};

/** The raw value as the page writes it in `data-value`. */
export const asDataValue = (value: unknown): string => (value === null ? 'null' : String(value));

const counts = (prefix: string, list: readonly Count[]): string[] => list.map((c) => `${prefix}.${c.key}`);

/** Every figure of the report the page must print: the scope, each count, amount, time and decision. */
export const expectedFigures = (report: CommitteeReport): string[] => {
  const b = report.beneficiaries;
  const lineKey = (e: { region: string; source: string; ref: string; line: string }): string =>
    `${e.region}.${e.source}.${e.ref}.${e.line}`;
  return [
    'scope.region',
    'asOf',
    'basis.kind',
    'basis.events',
    'basis.lastRecordedAt',
    ...report.targets.flatMap((e) =>
      [...['targetJobs', 'achievedJobs'], ...(e.endedJobs === null ? [] : ['endedJobs'])].map(
        (f) => `targets.${lineKey(e)}.${f}`,
      ),
    ),
    ...report.budget.flatMap((e) =>
      [
        'stateCentimes',
        'regionCentimes',
        'budgetCentimes',
        'committedCentimes',
        'releasedCentimes',
        'paidCentimes',
        'clawedBackCentimes',
      ].map((f) => `budget.${lineKey(e)}.${f}`),
    ),
    'beneficiaries.total',
    // bySource holds the same figures as basis.counted, which the page prints.
    ...(
      [
        'byGender',
        'byAgeBand',
        'byDisability',
        'byDiploma',
        'byArea',
        'byLongTermUnemployment',
        'byProvince',
        'byComponent',
      ] as const
    ).flatMap((d) => counts(`beneficiaries.${d}`, b[d])),
    ...counts('beneficiaries.basis.counted', b.basis.counted),
    'beneficiaries.basis.hiresLeftOut',
    'placements.total',
    ...counts('placements.bySector', report.placements.bySector),
    ...counts('flows.byFlow', report.flows.byFlow),
    ...report.flows.matrix.map((c) => `flows.matrix.${c.origin}.${c.destination}`),
    ...report.processingTimes.flatMap((s) =>
      ['count', 'medianDays', 'p90Days'].map((f) => `processingTimes.${s.step}.${f}`),
    ),
    ...(['programmed', 'launched', 'completed'] as const).flatMap((s) => [
      `worksSites.${s}.sites`,
      `worksSites.${s}.jobs`,
    ]),
    'worksSites.enrolled',
    ...report.worksSites.byProvince.flatMap((p) =>
      ['programmedSites', 'programmedJobs', 'launchedSites', 'launchedJobs', 'completedSites'].map(
        (f) => `worksSites.byProvince.${p.province}.${f}`,
      ),
    ),
    ...report.decisions.recorded.flatMap((_, i) =>
      ['date', 'kind', 'decisionNumber', 'subject', 'outcome', ...(report.scope.region === null ? ['region'] : [])].map(
        (f) => `decisions.recorded.${i}.${f}`,
      ),
    ),
    ...counts('decisions.onFiles', report.decisions.onFiles),
    ...report.timeline.flatMap((p) => ['hires', 'enrolments', 'paidCentimes'].map((f) => `timeline.${p.month}.${f}`)),
  ];
};

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The figures in a piece of the page's HTML, as name and raw value. */
export const figuresInHtml = (html: string): { figure: string; value: string }[] =>
  [...html.matchAll(/data-figure="([^"]*)" data-value="([^"]*)"/g)].map((m) => ({
    figure: (m[1] ?? '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e),
    value: (m[2] ?? '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e),
  }));
