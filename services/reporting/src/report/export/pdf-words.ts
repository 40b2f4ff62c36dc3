import type { CommitteeReport } from '../report.types';
import { dateFr, dateShortFr, intFr, monthFr, timestampFr } from './format';
import {
  BENEFICIARY_BREAKDOWNS,
  breakdownKeyFr,
  fileDecisionFr,
  labelFr,
  lineLabelFr,
  regionFr,
  scopeFr,
  SECTION_TITLES,
  type Dimension,
  type Section,
} from './labels';
import { breakdownKeyAr, fileDecisionAr, labelAr, lineLabelAr, provinceAr, regionAr, scopeAr } from './labels-ar';

export const PACK_LANGS = ['fr', 'ar'] as const;
export type PackLang = (typeof PACK_LANGS)[number];

type Breakdown = (typeof BENEFICIARY_BREAKDOWNS)[number]['field'];

/**
 * Every word the committee pack prints, in one language. Figures are written the same way in both
 * (format.ts: digits, a no-break space between thousands, a decimal comma), so the two packs can be
 * checked against each other figure by figure; only the words around them change.
 */
export interface Words {
  readonly lang: PackLang;
  /** The document's language tag (PDF /Lang). */
  readonly tag: string;
  readonly label: (dimension: Dimension, key: string) => string;
  readonly fileDecision: (key: string) => string;
  readonly region: (code: string) => string;
  readonly province: (name: string) => string;
  readonly scope: (report: CommitteeReport) => string;
  readonly line: (line: { readonly label: string; readonly line: string }) => string;
  readonly breakdown: (field: Breakdown) => string;
  readonly breakdownKey: (dimension: Dimension | undefined, key: string) => string;
  readonly section: (s: Section) => string;
  readonly date: (d: string) => string;
  readonly dateShort: (d: string) => string;
  readonly month: (m: string) => string;
  readonly timestamp: (iso: string) => string;
  readonly t: Readonly<Record<Phrase, string>>;
  readonly asOf: (asOf: string | null) => string;
  readonly title: (scope: string, asOf: string) => string;
  readonly basis: (kind: CommitteeReport['basis']['kind'], events: number, lastAt: string | null) => string;
  readonly generated: (at: string) => string;
  readonly footer: (scope: string, asOf: string | null, page: number, of: number) => string;
  readonly total: (what: 'beneficiaries' | 'placements' | 'enrolled', n: number) => string;
  readonly shares: (state: string | null, region: string | null) => string;
  readonly budgetLine: (label: string, source: string, ref: string) => string;
  readonly legend: (code: string, name: string) => string;
  readonly leftOut: (n: number) => string;
}

type Phrase =
  | 'header'
  | 'heading'
  | 'amounts'
  | 'contents'
  | 'subject'
  | 'nothing'
  | 'region'
  | 'source'
  | 'line'
  | 'year'
  | 'target'
  | 'achieved'
  | 'rate'
  | 'targetsNote'
  | 'budgetLine'
  | 'budget'
  | 'committed'
  | 'paid'
  | 'clawedBack'
  | 'paidOnBudget'
  | 'budgetNote'
  | 'count'
  | 'share'
  | 'sector'
  | 'flow'
  | 'matrix'
  | 'origin'
  | 'abroadShort'
  | 'abroadLegend'
  | 'total'
  | 'step'
  | 'offers'
  | 'median'
  | 'p90'
  | 'timesNote'
  | 'sites'
  | 'jobs'
  | 'jobsOnProgrammed'
  | 'byProvince'
  | 'province'
  | 'sitesProg'
  | 'jobsProg'
  | 'sitesLaunched'
  | 'jobsLaunched'
  | 'sitesCompleted'
  | 'launchedOnProg'
  | 'recorded'
  | 'date'
  | 'number'
  | 'committee'
  | 'subject2'
  | 'decision'
  | 'onFiles'
  | 'fileDecision'
  | 'month'
  | 'hires'
  | 'enrolments'
  | 'paidMad'
  | 'monthPayments'
  | 'listSeparator'
  | 'separator'
  | 'ended'
  | 'released'
  | 'countingBasis'
  | 'counted';

const MONTHS_AR = [
  'يناير',
  'فبراير',
  'مارس',
  'أبريل',
  'ماي',
  'يونيو',
  'يوليوز',
  'غشت',
  'شتنبر',
  'أكتوبر',
  'نونبر',
  'دجنبر',
];

/** Month names as Moroccan administration writes them. */
const dateAr = (date: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const name = m ? MONTHS_AR[Number(m[2]) - 1] : undefined;
  return m && name ? `${Number(m[3])} ${name} ${m[1]}` : date;
};
const monthAr = (month: string): string => {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTHS_AR[Number(m[2]) - 1] : undefined;
  return m && name ? `${name} ${m[1]}` : month;
};
const timestampAr = (iso: string): string => {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const s = t.toISOString();
  return `${dateAr(s.slice(0, 10))}، الساعة ${s.slice(11, 16)} UTC`;
};

const FR_BREAKDOWNS = Object.fromEntries(BENEFICIARY_BREAKDOWNS.map((d) => [d.field, d.title])) as Record<
  Breakdown,
  string
>;

export const FRENCH: Words = {
  lang: 'fr',
  tag: 'fr-MA',
  label: labelFr,
  fileDecision: fileDecisionFr,
  region: regionFr,
  province: (name) => name,
  scope: scopeFr,
  line: lineLabelFr,
  breakdown: (field) => FR_BREAKDOWNS[field],
  breakdownKey: breakdownKeyFr,
  section: (s) => SECTION_TITLES[s],
  date: dateFr,
  dateShort: dateShortFr,
  month: monthFr,
  timestamp: timestampFr,
  t: {
    header: 'Tashghil · programmes régionaux d’emploi',
    heading: 'Rapport au comité de suivi',
    amounts: 'Montants en dirhams (MAD), exacts au centime. Noms de régions en français.',
    contents: 'Sommaire',
    subject: 'Objectifs, budget, bénéficiaires, placements, flux, délais, chantiers et décisions',
    nothing: 'Aucune donnée à cette date.',
    region: 'Région',
    source: 'Source',
    line: 'Ligne',
    year: 'Année',
    target: 'Objectif (emplois)',
    achieved: 'Réalisé',
    rate: 'Taux de réalisation',
    ended: 'Terminés avant terme',
    targetsNote:
      '« — » : rien de ce qui est enregistré dans Tashghil ne mesure cette réalisation. Terminés avant terme : emplois ' +
      'd’aides dont le contrat a pris fin avant son terme ; ils ne comptent plus comme réalisés.',
    budgetLine: 'Ligne budgétaire',
    budget: 'Budget (MAD)',
    committed: 'Engagé (MAD)',
    released: 'Libéré (MAD)',
    paid: 'Payé (MAD)',
    clawedBack: 'Repris (MAD)',
    paidOnBudget: 'Payé / engagé sur budget',
    budgetNote:
      'Barre foncée : payé ; barre claire : engagé ; pourcentage : engagé sur budget (sur engagé quand la source ne donne pas de budget). ' +
      'Libéré : le reste non payé des aides terminées avant terme, rendu à la ligne ; l’engagé en est déjà net.',
    countingBasis: 'Base du décompte',
    counted: 'Personnes comptées, par dispositif',
    count: 'Nombre',
    share: 'Part',
    sector: 'Secteur',
    flow: 'Flux',
    matrix: 'Origine (lignes) × destination (colonnes)',
    origin: 'Origine',
    abroadShort: 'Étr.',
    abroadLegend: 'Étr. : étranger',
    total: 'Total',
    step: 'Étape',
    offers: 'Offres',
    median: 'Médiane (jours)',
    p90: '90e centile (jours)',
    timesNote: 'Médiane et 90e centile au rang le plus proche ; « — » : aucune offre n’a franchi cette étape.',
    sites: 'Chantiers',
    jobs: 'Emplois',
    jobsOnProgrammed: 'Emplois sur programmés',
    byProvince: 'Par province',
    province: 'Province',
    sitesProg: 'Chantiers prog.',
    jobsProg: 'Emplois prog.',
    sitesLaunched: 'Chantiers lancés',
    jobsLaunched: 'Emplois lancés',
    sitesCompleted: 'Chantiers achevés',
    launchedOnProg: 'Chantiers lancés sur prog.',
    recorded: 'Décisions enregistrées des comités',
    date: 'Date',
    number: 'N°',
    committee: 'Comité',
    subject2: 'Objet',
    decision: 'Décision',
    onFiles: 'Décisions sur dossiers',
    fileDecision: 'Dossier : décision',
    month: 'Mois',
    hires: 'Embauches',
    enrolments: 'Enrôlements',
    paidMad: 'Payé (MAD)',
    monthPayments: 'Paiements du mois',
    listSeparator: ' ; ',
    separator: ' · ',
  },
  asOf: (asOf) => (asOf ? `Situation à la fin du ${dateFr(asOf)}` : 'Situation en direct'),
  title: (scope, asOf) => `Rapport au comité – ${scope} – ${asOf.toLowerCase()}`,
  basis: (kind, events, lastAt) => {
    const last = lastAt ? `, le dernier enregistré le ${timestampFr(lastAt)}` : '';
    if (kind === 'replay') {
      return events === 0
        ? 'Chiffres recalculés en relisant le journal des événements jusqu’à cette date : il n’en contient aucun.'
        : `Chiffres recalculés en relisant le journal des événements jusqu’à cette date : ${intFr(events)} événements${last}.`;
    }
    if (kind === 'as_of') {
      return events === 0
        ? 'Chiffres du modèle de lecture tel qu’il était à la fin de cette date : il n’avait projeté aucun événement.'
        : `Chiffres du modèle de lecture tel qu’il était à la fin de cette date : ${intFr(events)} événements projetés${last}.`;
    }
    return events === 0
      ? 'Chiffres du modèle de lecture en direct, qui n’a encore projeté aucun événement.'
      : `Chiffres du modèle de lecture en direct : ${intFr(events)} événements projetés${last}.`;
  },
  generated: (at) => `Généré le ${timestampFr(at)}.`,
  footer: (scope, asOf, page, of) =>
    `Tashghil · ${scope} · ${asOf ? `au ${asOf}` : 'en direct'} · page ${page} / ${of}`,
  total: (what, n) =>
    `${{ beneficiaries: 'Total des bénéficiaires', placements: 'Total des placements', enrolled: 'Bénéficiaires enrôlés' }[what]} : ${intFr(n)}`,
  shares: (state, region) =>
    [state === null ? '' : `État ${state}`, region === null ? '' : `Région ${region}`].filter(Boolean).join(' · '),
  budgetLine: (label, source, ref) => `${label} (${source.toLowerCase()} ${ref})`,
  legend: (code, name) => `${code} : ${name}`,
  leftOut: (n) => `Placements hors programme, non comptés : ${intFr(n)}`,
};

const AR_BREAKDOWNS: Readonly<Record<Breakdown, string>> = {
  byGender: 'الجنس',
  byAgeBand: 'الفئة العمرية',
  byDisability: 'الإعاقة',
  byDiploma: 'الشهادة المصرح بها أو مستوى البكالوريا',
  byArea: 'وسط الإقامة',
  byLongTermUnemployment: 'مدة التسجيل (العتبة: 24 شهرا)',
  byProvince: 'الإقليم',
  bySource: 'الآلية',
  byComponent: 'مكوّن البرنامج',
};

const AR_SECTIONS: Readonly<Record<Section, string>> = {
  targets: 'الأهداف والإنجازات',
  budget: 'الميزانية الملتزم بها والمؤداة',
  beneficiaries: 'المستفيدون',
  placements: 'التشغيل حسب القطاع',
  flows: 'التدفقات: الأصل × الوجهة',
  processingTimes: 'آجال معالجة العروض',
  worksSites: 'الأوراش المؤقتة',
  decisions: 'القرارات',
  timeline: 'التطور الشهري',
};

export const ARABIC: Words = {
  lang: 'ar',
  tag: 'ar-MA',
  label: labelAr,
  fileDecision: fileDecisionAr,
  region: regionAr,
  province: provinceAr,
  scope: scopeAr,
  line: lineLabelAr,
  breakdown: (field) => AR_BREAKDOWNS[field],
  breakdownKey: breakdownKeyAr,
  section: (s) => AR_SECTIONS[s],
  date: dateAr,
  dateShort: dateShortFr,
  month: monthAr,
  timestamp: timestampAr,
  t: {
    header: 'تشغيل · البرامج الجهوية للتشغيل',
    heading: 'تقرير إلى لجنة التتبع',
    amounts: 'المبالغ بالدرهم، مضبوطة إلى السنتيم. النصوص التي أدخلتها اللجان واردة كما كُتبت.',
    contents: 'الفهرس',
    subject: 'الأهداف، الميزانية، المستفيدون، التشغيل، التدفقات، الآجال، الأوراش والقرارات',
    nothing: 'لا توجد معطيات في هذا التاريخ.',
    region: 'الجهة',
    source: 'المصدر',
    line: 'البند',
    year: 'السنة',
    target: 'الهدف (مناصب شغل)',
    achieved: 'المنجز',
    rate: 'نسبة الإنجاز',
    ended: 'منتهية قبل الأجل',
    targetsNote:
      '«—»: لا شيء مما سُجّل في تشغيل يقيس هذا الإنجاز. منتهية قبل الأجل: مناصب منح انتهى عقدها قبل أجله، ' +
      'ولم تعد تُحتسب ضمن المنجز.',
    budgetLine: 'بند الميزانية',
    budget: 'الميزانية (درهم)',
    committed: 'الملتزم به (درهم)',
    released: 'المحرر (درهم)',
    paid: 'المؤدى (درهم)',
    clawedBack: 'المسترجع (درهم)',
    paidOnBudget: 'المؤدى والملتزم به من الميزانية',
    budgetNote:
      'الشريط الداكن: المؤدى؛ الشريط الفاتح: الملتزم به؛ النسبة: الملتزم به من الميزانية (من الملتزم به حين لا يحدد المصدر ميزانية). ' +
      'المحرر: الباقي غير المؤدى من المنح المنتهية قبل الأجل، المعاد إلى البند؛ والملتزم به محسوب بعد خصمه.',
    countingBasis: 'أساس الاحتساب',
    counted: 'الأشخاص المحتسبون حسب الآلية',
    count: 'العدد',
    share: 'الحصة',
    sector: 'القطاع',
    flow: 'التدفق',
    matrix: 'الأصل (الصفوف) × الوجهة (الأعمدة)',
    origin: 'الأصل',
    abroadShort: 'خ.',
    abroadLegend: 'خ.: الخارج',
    total: 'المجموع',
    step: 'المرحلة',
    offers: 'العروض',
    median: 'الوسيط (أيام)',
    p90: 'المئين 90 (أيام)',
    timesNote: 'الوسيط والمئين 90 بأقرب رتبة؛ «—»: لم يبلغ أي عرض هذه المرحلة.',
    sites: 'الأوراش',
    jobs: 'مناصب الشغل',
    jobsOnProgrammed: 'مناصب الشغل من المبرمجة',
    byProvince: 'حسب الإقليم',
    province: 'الإقليم',
    sitesProg: 'أوراش مبرمجة',
    jobsProg: 'مناصب مبرمجة',
    sitesLaunched: 'أوراش منطلقة',
    jobsLaunched: 'مناصب منطلقة',
    sitesCompleted: 'أوراش منتهية',
    launchedOnProg: 'الأوراش المنطلقة من المبرمجة',
    recorded: 'قرارات اللجان المسجلة',
    date: 'التاريخ',
    number: 'الرقم',
    committee: 'اللجنة',
    subject2: 'الموضوع',
    decision: 'القرار',
    onFiles: 'القرارات بشأن الملفات',
    fileDecision: 'الملف: القرار',
    month: 'الشهر',
    hires: 'التوظيفات',
    enrolments: 'التسجيلات في الأوراش',
    paidMad: 'المؤدى (درهم)',
    monthPayments: 'أداءات الشهر',
    listSeparator: '؛ ',
    separator: ' · ',
  },
  asOf: (asOf) => (asOf ? `الوضعية في نهاية يوم ${dateAr(asOf)}` : 'الوضعية الآنية'),
  title: (scope, asOf) => `تقرير إلى اللجنة – ${scope} – ${asOf}`,
  basis: (kind, events, lastAt) => {
    const last = lastAt ? `، آخرها سُجّل في ${timestampAr(lastAt)}` : '';
    if (kind === 'replay') {
      return events === 0
        ? 'أرقام أعيد حسابها بإعادة قراءة سجل الأحداث إلى غاية هذا التاريخ: لا يتضمن أي حدث.'
        : `أرقام أعيد حسابها بإعادة قراءة سجل الأحداث إلى غاية هذا التاريخ: ${intFr(events)} حدثا${last}.`;
    }
    if (kind === 'as_of') {
      return events === 0
        ? 'أرقام نموذج القراءة كما كان في نهاية هذا التاريخ: لم يكن قد عالج أي حدث.'
        : `أرقام نموذج القراءة كما كان في نهاية هذا التاريخ: ${intFr(events)} حدثا معالجا${last}.`;
    }
    return events === 0
      ? 'أرقام نموذج القراءة الآني، الذي لم يعالج أي حدث بعد.'
      : `أرقام نموذج القراءة الآني: ${intFr(events)} حدثا معالجا${last}.`;
  },
  generated: (at) => `أُنجز في ${timestampAr(at)}.`,
  footer: (scope, asOf, page, of) => `تشغيل · ${scope} · ${asOf ? `في ${asOf}` : 'آني'} · صفحة ${page} / ${of}`,
  total: (what, n) =>
    `${{ beneficiaries: 'مجموع المستفيدين', placements: 'مجموع عمليات التشغيل', enrolled: 'المستفيدون المسجلون' }[what]}: ${intFr(n)}`,
  shares: (state, region) =>
    [state === null ? '' : `الدولة ${state}`, region === null ? '' : `الجهة ${region}`].filter(Boolean).join(' · '),
  budgetLine: (label, source, ref) => `${label} (${source} ${ref})`,
  legend: (code, name) => `${code}: ${name}`,
  leftOut: (n) => `عمليات تشغيل خارج البرامج، غير محتسبة: ${intFr(n)}`,
};

export const WORDS: Readonly<Record<PackLang, Words>> = { fr: FRENCH, ar: ARABIC };
