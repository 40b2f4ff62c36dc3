import type { CommitteeReport, Count } from '../report.types';
import { amountFr, dateShortFr, intFr, monthFr, percentFr } from './format';
import { BENEFICIARY_BREAKDOWNS, breakdownKeyFr, fileDecisionFr, labelFr, lineLabelFr, regionFr, type Section } from './labels';
import { columns, NOTHING, paragraph, subheading, table, type Cell, type Doc, type Fonts } from './pdf-layout';

const DASH = '—';
const orDash = (n: number | null, format: (n: number) => string = intFr): string => (n === null ? DASH : format(n));
const share = (part: number, whole: number): Cell => ({ value: part, max: whole, text: percentFr(part, whole) });

/** A region column earns its place only in the national report, where lines come from several regions. */
const regionCell = (report: CommitteeReport, region: string): readonly string[] => (report.scope.region === null ? [region] : []);
const regionHeader = (report: CommitteeReport): ReadonlyArray<readonly [string, number]> => (report.scope.region === null ? [['Région', 1]] : []);

const countTable = (doc: Doc, fonts: Fonts, title: string, items: readonly Count[], label: (key: string) => string, total: number): void => {
  if (items.length === 0) return;
  const whole = total > 0 ? total : items.reduce((n, c) => n + c.count, 0);
  table(doc, fonts, columns(doc, [[title, 3], ['Nombre', 1, 'right'], ['Part', 2]]), items.map((c) => [label(c.key), intFr(c.count), share(c.count, whole)]));
};

const targets = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  if (r.targets.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  const cols = columns(doc, [...regionHeader(r), ['Source', 1.6], ['Ligne', 2.4], ['Année', 0.8, 'right'], ['Objectif (emplois)', 1, 'right'], ['Réalisé', 1, 'right'], ['Taux de réalisation', 2]]);
  table(doc, fonts, cols, r.targets.map((t) => [
    ...regionCell(r, t.region), `${labelFr('source', t.source)} ${t.ref}`, lineLabelFr(t), t.year === null ? DASH : String(t.year),
    intFr(t.targetJobs), orDash(t.achievedJobs), t.achievedJobs === null ? DASH : share(t.achievedJobs, t.targetJobs),
  ]));
  paragraph(doc, fonts, "« — » : rien de ce qui est enregistré dans Tashghil ne mesure cette réalisation.", { muted: true, size: 7 });
};

const budget = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  if (r.budget.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  const cols = columns(doc, [...regionHeader(r), ['Ligne budgétaire', 2.6], ['Budget (MAD)', 1.5, 'right'], ['Engagé (MAD)', 1.5, 'right'], ['Payé (MAD)', 1.5, 'right'], ['Repris (MAD)', 1.2, 'right'], ['Payé / engagé sur budget', 1.8]]);
  table(doc, fonts, cols, r.budget.map((l) => {
    const shares = [l.stateCentimes === null ? '' : `État ${amountFr(l.stateCentimes)}`, l.regionCentimes === null ? '' : `Région ${amountFr(l.regionCentimes)}`].filter(Boolean).join(' · ');
    const label = `${lineLabelFr(l)} (${labelFr('source', l.source).toLowerCase()} ${l.ref})${shares ? `\n${shares}` : ''}`;
    const max = l.budgetCentimes ?? l.committedCentimes;
    return [
      ...regionCell(r, l.region), label, orDash(l.budgetCentimes, amountFr), amountFr(l.committedCentimes), amountFr(l.paidCentimes), amountFr(l.clawedBackCentimes),
      { value: l.paidCentimes, under: l.committedCentimes, max, text: percentFr(l.committedCentimes, max) },
    ];
  }));
  paragraph(doc, fonts, 'Barre foncée : payé ; barre claire : engagé ; pourcentage : engagé sur budget (sur engagé quand la source ne donne pas de budget).', { muted: true, size: 7 });
};

const beneficiaries = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  const b = r.beneficiaries;
  paragraph(doc, fonts, `Total des bénéficiaires : ${intFr(b.total)}`, { size: 11 });
  if (b.total === 0 && BENEFICIARY_BREAKDOWNS.every((d) => b[d.field].length === 0)) return paragraph(doc, fonts, NOTHING, { muted: true });
  for (const d of BENEFICIARY_BREAKDOWNS) {
    if (b[d.field].length === 0) continue;
    subheading(doc, fonts, d.title);
    countTable(doc, fonts, d.title, b[d.field], (k) => breakdownKeyFr(d.dimension, k), b.total);
  }
};

const placements = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  paragraph(doc, fonts, `Total des placements : ${intFr(r.placements.total)}`, { size: 11 });
  if (r.placements.bySector.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  countTable(doc, fonts, 'Secteur', r.placements.bySector, (k) => labelFr('sector', k), r.placements.total);
};

const flows = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  if (r.flows.byFlow.length === 0 && r.flows.matrix.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  countTable(doc, fonts, 'Flux', r.flows.byFlow, (k) => labelFr('flow', k), 0);
  if (r.flows.matrix.length === 0) return;
  subheading(doc, fonts, 'Origine (lignes) × destination (colonnes)');
  const origins = [...new Set(r.flows.matrix.map((m) => m.origin))].sort();
  const destinations = [...new Set(r.flows.matrix.map((m) => m.destination))].sort((a, b) => (a === 'abroad' ? 1 : b === 'abroad' ? -1 : a < b ? -1 : 1));
  const count = new Map(r.flows.matrix.map((m) => [`${m.origin}>${m.destination}`, m.count]));
  // Up to 13 destinations across an A4 page: headed by the region's number, named in the legend below.
  const cols = columns(doc, [['Origine', 1.2], ...destinations.map((d) => [d === 'abroad' ? 'Étr.' : d.slice(3), 1, 'right'] as const), ['Total', 1.5, 'right']]);
  const rows = origins.map((o) => {
    const cells = destinations.map((d) => count.get(`${o}>${d}`) ?? 0);
    return [o, ...cells.map((n) => (n === 0 ? '' : intFr(n))), intFr(cells.reduce((a, n) => a + n, 0))];
  });
  const totals = destinations.map((d) => origins.reduce((a, o) => a + (count.get(`${o}>${d}`) ?? 0), 0));
  table(doc, fonts, cols, [...rows, ['Total', ...totals.map(intFr), intFr(totals.reduce((a, n) => a + n, 0))]], { boldLast: true, size: 7 });
  const codes = [...new Set([...origins, ...destinations])].filter((c) => c !== 'abroad').sort();
  const legend = codes.map((c) => `${c.slice(3)} : ${regionFr(c)}`);
  paragraph(doc, fonts, [...legend, ...(destinations.includes('abroad') ? ['Étr. : étranger'] : [])].join(' ; '), { muted: true, size: 7 });
};

const processingTimes = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  if (r.processingTimes.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  const cols = columns(doc, [['Étape', 4], ['Offres', 1, 'right'], ['Médiane (jours)', 1.3, 'right'], ['90e centile (jours)', 1.3, 'right']]);
  table(doc, fonts, cols, r.processingTimes.map((s) => [labelFr('step', s.step), intFr(s.count), orDash(s.medianDays), orDash(s.p90Days)]));
  paragraph(doc, fonts, 'Médiane et 90e centile au rang le plus proche ; « — » : aucune offre n’a franchi cette étape.', { muted: true, size: 7 });
};

const worksSites = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  const w = r.worksSites;
  const stages = (['programmed', 'launched', 'completed'] as const).map((s) => [labelFr('works_stage', s), intFr(w[s].sites), intFr(w[s].jobs), share(w[s].jobs, w.programmed.jobs)]);
  table(doc, fonts, columns(doc, [['Chantiers', 2], ['Nombre', 1, 'right'], ['Emplois', 1, 'right'], ['Emplois sur programmés', 2]]), stages);
  paragraph(doc, fonts, `Bénéficiaires enrôlés : ${intFr(w.enrolled)}`);
  if (w.byProvince.length === 0) return;
  subheading(doc, fonts, 'Par province');
  const cols = columns(doc, [
    ['Province', 1.6], ['Chantiers prog.', 1, 'right'], ['Emplois prog.', 1, 'right'], ['Chantiers lancés', 1, 'right'],
    ['Emplois lancés', 1, 'right'], ['Chantiers achevés', 1, 'right'], ['Chantiers lancés sur prog.', 1.8],
  ]);
  table(doc, fonts, cols, w.byProvince.map((p) => [
    p.province, intFr(p.programmedSites), intFr(p.programmedJobs), intFr(p.launchedSites), intFr(p.launchedJobs), intFr(p.completedSites), share(p.launchedSites, p.programmedSites),
  ]));
};

const decisions = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  const d = r.decisions;
  if (d.recorded.length === 0 && d.onFiles.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  if (d.recorded.length > 0) {
    subheading(doc, fonts, 'Décisions consignées aux procès-verbaux');
    const cols = columns(doc, [...regionHeader(r), ['Date', 1.2], ['N°', 1.1], ['Comité', 1.4], ['Objet', 4], ['Décision', 1]]);
    table(doc, fonts, cols, d.recorded.map((x) => [
      ...regionCell(r, x.region), dateShortFr(x.date), x.decisionNumber, labelFr('committee_kind', x.kind), x.subject, labelFr('outcome', x.outcome),
    ]));
  }
  if (d.onFiles.length > 0) {
    subheading(doc, fonts, 'Décisions sur dossiers');
    table(doc, fonts, columns(doc, [['Dossier : décision', 4], ['Nombre', 1, 'right']]), d.onFiles.map((c) => [fileDecisionFr(c.key), intFr(c.count)]));
  }
};

const timeline = (doc: Doc, fonts: Fonts, r: CommitteeReport): void => {
  if (r.timeline.length === 0) return paragraph(doc, fonts, NOTHING, { muted: true });
  const most = Math.max(0, ...r.timeline.map((p) => p.paidCentimes));
  const cols = columns(doc, [['Mois', 1.4], ['Embauches', 1, 'right'], ['Enrôlements', 1, 'right'], ['Payé (MAD)', 1.6, 'right'], ['Paiements du mois', 2]]);
  table(doc, fonts, cols, r.timeline.map((p) => [
    monthFr(p.month), intFr(p.hires), intFr(p.enrolments), amountFr(p.paidCentimes), { value: p.paidCentimes, max: most, text: '' },
  ]));
};

export const SECTION_RENDERERS: Readonly<Record<Section, (doc: Doc, fonts: Fonts, report: CommitteeReport) => void>> = {
  targets, budget, beneficiaries, placements, flows, processingTimes, worksSites, decisions, timeline,
};
