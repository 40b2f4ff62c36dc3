import type { Beneficiaries, CommitteeReport, Count } from '../report.types';
import { amountFr, intFr, percentFr } from './format';
import { BENEFICIARY_BREAKDOWNS, type Section } from './labels';
import { columns, keepRoom, paragraph, subheading, table, type Cell, type Doc, type Fonts } from './pdf-layout';
import type { Words } from './pdf-words';

const DASH = '—';
const orDash = (n: number | null, format: (n: number) => string = intFr): string => (n === null ? DASH : format(n));
const share = (part: number, whole: number): Cell => ({ value: part, max: whole, text: percentFr(part, whole) });

/** A region column earns its place only in the national report, where lines come from several regions. */
const regionCell = (report: CommitteeReport, region: string): readonly string[] =>
  report.scope.region === null ? [region] : [];
const regionHeader = (report: CommitteeReport, w: Words): ReadonlyArray<readonly [string, number]> =>
  report.scope.region === null ? [[w.t.region, 1]] : [];

const countTable = (
  doc: Doc,
  fonts: Fonts,
  w: Words,
  title: string,
  items: readonly Count[],
  label: (key: string) => string,
  total: number,
): void => {
  if (items.length === 0) return;
  const whole = total > 0 ? total : items.reduce((n, c) => n + c.count, 0);
  // The header names the table, so it keeps a row or two under it on its page.
  keepRoom(doc, 50);
  table(
    doc,
    fonts,
    columns(doc, [
      [title, 3],
      [w.t.count, 1, 'right'],
      [w.t.share, 2],
    ]),
    items.map((c) => [label(c.key), intFr(c.count), share(c.count, whole)]),
  );
};

const targets = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  if (r.targets.length === 0) return paragraph(doc, fonts, w.t.nothing, { muted: true });
  const cols = columns(doc, [
    ...regionHeader(r, w),
    [w.t.source, 1.4],
    [w.t.line, 2.1],
    [w.t.year, 0.8, 'right'],
    [w.t.target, 1.2, 'right'],
    [w.t.achieved, 1, 'right'],
    [w.t.ended, 1.2, 'right'],
    [w.t.rate, 1.8],
  ]);
  table(
    doc,
    fonts,
    cols,
    r.targets.map((t) => [
      ...regionCell(r, t.region),
      `${w.label('source', t.source)} ${t.ref}`,
      w.line(t),
      t.year === null ? DASH : String(t.year),
      intFr(t.targetJobs),
      orDash(t.achievedJobs),
      orDash(t.endedJobs),
      t.achievedJobs === null ? DASH : share(t.achievedJobs, t.targetJobs),
    ]),
  );
  paragraph(doc, fonts, w.t.targetsNote, { muted: true, size: 7 });
};

const budget = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  if (r.budget.length === 0) return paragraph(doc, fonts, w.t.nothing, { muted: true });
  const cols = columns(doc, [
    ...regionHeader(r, w),
    [w.t.budgetLine, 2.2],
    [w.t.budget, 1.6, 'right'],
    [w.t.committed, 1.6, 'right'],
    [w.t.released, 1.5, 'right'],
    [w.t.paid, 1.6, 'right'],
    [w.t.clawedBack, 1.3, 'right'],
    [w.t.paidOnBudget, 1.4],
  ]);
  table(
    doc,
    fonts,
    cols,
    r.budget.map((l) => {
      const shares = w.shares(
        l.stateCentimes === null ? null : amountFr(l.stateCentimes),
        l.regionCentimes === null ? null : amountFr(l.regionCentimes),
      );
      const label = `${w.budgetLine(w.line(l), w.label('source', l.source), l.ref)}${shares ? `\n${shares}` : ''}`;
      const max = l.budgetCentimes ?? l.committedCentimes;
      return [
        ...regionCell(r, l.region),
        label,
        orDash(l.budgetCentimes, amountFr),
        amountFr(l.committedCentimes),
        amountFr(l.releasedCentimes),
        amountFr(l.paidCentimes),
        amountFr(l.clawedBackCentimes),
        { value: l.paidCentimes, under: l.committedCentimes, max, text: percentFr(l.committedCentimes, max) },
      ];
    }),
  );
  paragraph(doc, fonts, w.t.budgetNote, { muted: true, size: 7 });
};

/**
 * The counting rule in the pack's language, the persons counted through each source (the figures of
 * `bySource`, which is therefore not drawn again) and the hires no programme applies to.
 */
const countingBasis = (doc: Doc, fonts: Fonts, b: Beneficiaries, w: Words): void => {
  subheading(doc, fonts, w.t.countingBasis);
  const rule = b.basis.rule[w.lang];
  if (rule) paragraph(doc, fonts, rule, { muted: true, size: 8 });
  countTable(doc, fonts, w, w.t.counted, b.basis.counted, (k) => w.label('beneficiary_source', k), b.total);
  paragraph(doc, fonts, w.leftOut(b.basis.hiresLeftOut));
};

const beneficiaries = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  const b = r.beneficiaries;
  paragraph(doc, fonts, w.total('beneficiaries', b.total), { size: 11 });
  const breakdowns = BENEFICIARY_BREAKDOWNS.filter((d) => d.field !== 'bySource' && b[d.field].length > 0);
  if (b.total === 0 && b.basis.counted.length === 0 && b.basis.hiresLeftOut === 0 && breakdowns.length === 0) {
    return paragraph(doc, fonts, w.t.nothing, { muted: true });
  }
  countingBasis(doc, fonts, b, w);
  // Each table's header names its breakdown: a subheading over it would only repeat it.
  for (const d of breakdowns)
    countTable(doc, fonts, w, w.breakdown(d.field), b[d.field], (k) => w.breakdownKey(d.dimension, k), b.total);
};

const placements = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  paragraph(doc, fonts, w.total('placements', r.placements.total), { size: 11 });
  if (r.placements.bySector.length === 0) return paragraph(doc, fonts, w.t.nothing, { muted: true });
  countTable(doc, fonts, w, w.t.sector, r.placements.bySector, (k) => w.label('sector', k), r.placements.total);
};

const flows = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  if (r.flows.byFlow.length === 0 && r.flows.matrix.length === 0)
    return paragraph(doc, fonts, w.t.nothing, { muted: true });
  countTable(doc, fonts, w, w.t.flow, r.flows.byFlow, (k) => w.label('flow', k), 0);
  if (r.flows.matrix.length === 0) return;
  subheading(doc, fonts, w.t.matrix);
  const origins = [...new Set(r.flows.matrix.map((m) => m.origin))].sort();
  const destinations = [...new Set(r.flows.matrix.map((m) => m.destination))].sort((a, b) =>
    a === 'abroad' ? 1 : b === 'abroad' ? -1 : a < b ? -1 : 1,
  );
  const count = new Map(r.flows.matrix.map((m) => [`${m.origin}>${m.destination}`, m.count]));
  // Up to 13 destinations across an A4 page: headed by the region's number, named in the legend below.
  const cols = columns(doc, [
    [w.t.origin, 1.2],
    ...destinations.map((d) => [d === 'abroad' ? w.t.abroadShort : d.slice(3), 1, 'right'] as const),
    [w.t.total, 1.5, 'right'],
  ]);
  const rows = origins.map((o) => {
    const cells = destinations.map((d) => count.get(`${o}>${d}`) ?? 0);
    return [o, ...cells.map((n) => (n === 0 ? '' : intFr(n))), intFr(cells.reduce((a, n) => a + n, 0))];
  });
  const totals = destinations.map((d) => origins.reduce((a, o) => a + (count.get(`${o}>${d}`) ?? 0), 0));
  table(doc, fonts, cols, [...rows, [w.t.total, ...totals.map(intFr), intFr(totals.reduce((a, n) => a + n, 0))]], {
    boldLast: true,
    size: 7,
  });
  const codes = [...new Set([...origins, ...destinations])].filter((c) => c !== 'abroad').sort();
  const legend = codes.map((c) => w.legend(c.slice(3), w.region(c)));
  paragraph(
    doc,
    fonts,
    [...legend, ...(destinations.includes('abroad') ? [w.t.abroadLegend] : [])].join(w.t.listSeparator),
    { muted: true, size: 7 },
  );
};

const processingTimes = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  if (r.processingTimes.length === 0) return paragraph(doc, fonts, w.t.nothing, { muted: true });
  const cols = columns(doc, [
    [w.t.step, 4],
    [w.t.offers, 1, 'right'],
    [w.t.median, 1.3, 'right'],
    [w.t.p90, 1.3, 'right'],
  ]);
  table(
    doc,
    fonts,
    cols,
    r.processingTimes.map((s) => [w.label('step', s.step), intFr(s.count), orDash(s.medianDays), orDash(s.p90Days)]),
  );
  paragraph(doc, fonts, w.t.timesNote, { muted: true, size: 7 });
};

const worksSites = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  const ws = r.worksSites;
  const stages = (['programmed', 'launched', 'completed'] as const).map((s) => [
    w.label('works_stage', s),
    intFr(ws[s].sites),
    intFr(ws[s].jobs),
    share(ws[s].jobs, ws.programmed.jobs),
  ]);
  table(
    doc,
    fonts,
    columns(doc, [
      [w.t.sites, 2],
      [w.t.count, 1, 'right'],
      [w.t.jobs, 1, 'right'],
      [w.t.jobsOnProgrammed, 2],
    ]),
    stages,
  );
  paragraph(doc, fonts, w.total('enrolled', ws.enrolled));
  if (ws.byProvince.length === 0) return;
  subheading(doc, fonts, w.t.byProvince);
  const cols = columns(doc, [
    [w.t.province, 1.6],
    [w.t.sitesProg, 1, 'right'],
    [w.t.jobsProg, 1, 'right'],
    [w.t.sitesLaunched, 1, 'right'],
    [w.t.jobsLaunched, 1, 'right'],
    [w.t.sitesCompleted, 1, 'right'],
    [w.t.launchedOnProg, 1.8],
  ]);
  table(
    doc,
    fonts,
    cols,
    ws.byProvince.map((p) => [
      w.province(p.province),
      intFr(p.programmedSites),
      intFr(p.programmedJobs),
      intFr(p.launchedSites),
      intFr(p.launchedJobs),
      intFr(p.completedSites),
      share(p.launchedSites, p.programmedSites),
    ]),
  );
};

const decisions = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  const d = r.decisions;
  if (d.recorded.length === 0 && d.onFiles.length === 0) return paragraph(doc, fonts, w.t.nothing, { muted: true });
  if (d.recorded.length > 0) {
    subheading(doc, fonts, w.t.recorded);
    const cols = columns(doc, [
      ...regionHeader(r, w),
      [w.t.date, 1.2],
      [w.t.number, 1.1],
      [w.t.committee, 1.4],
      [w.t.subject2, 4],
      [w.t.decision, 1],
    ]);
    table(
      doc,
      fonts,
      cols,
      d.recorded.map((x) => [
        ...regionCell(r, x.region),
        w.dateShort(x.date),
        x.decisionNumber,
        w.label('committee_kind', x.kind),
        x.subject,
        w.label('outcome', x.outcome),
      ]),
    );
  }
  if (d.onFiles.length > 0) {
    subheading(doc, fonts, w.t.onFiles);
    table(
      doc,
      fonts,
      columns(doc, [
        [w.t.fileDecision, 4],
        [w.t.count, 1, 'right'],
      ]),
      d.onFiles.map((c) => [w.fileDecision(c.key), intFr(c.count)]),
    );
  }
};

const timeline = (doc: Doc, fonts: Fonts, r: CommitteeReport, w: Words): void => {
  if (r.timeline.length === 0) return paragraph(doc, fonts, w.t.nothing, { muted: true });
  const most = Math.max(0, ...r.timeline.map((p) => p.paidCentimes));
  const cols = columns(doc, [
    [w.t.month, 1.4],
    [w.t.hires, 1, 'right'],
    [w.t.enrolments, 1, 'right'],
    [w.t.paidMad, 1.6, 'right'],
    [w.t.monthPayments, 2],
  ]);
  table(
    doc,
    fonts,
    cols,
    r.timeline.map((p) => [
      w.month(p.month),
      intFr(p.hires),
      intFr(p.enrolments),
      amountFr(p.paidCentimes),
      { value: p.paidCentimes, max: most, text: '' },
    ]),
  );
};

export const SECTION_RENDERERS: Readonly<
  Record<Section, (doc: Doc, fonts: Fonts, report: CommitteeReport, words: Words) => void>
> = {
  targets,
  budget,
  beneficiaries,
  placements,
  flows,
  processingTimes,
  worksSites,
  decisions,
  timeline,
};
