import { REGIONS, isRegionCode } from '@tashghil/contracts';
import { MEASURES_AR, PROVINCES_AR } from '../../dashboard/assets/labels.js';
import type { CommitteeReport } from '../report.types';
import { labelFr, ownEntry, UNKNOWN_KEY, type Dimension } from './labels';

/**
 * The Arabic words of the committee pack, key for key with labels.ts. Where the dashboard shows the
 * same code it uses the same words (labels-ar.spec.ts checks it), so a committee reads one
 * vocabulary on screen and on paper; provinces and convention measures come from the dashboard's
 * own tables.
 */
const DIMENSIONS_AR = {
  gender: { female: 'نساء', male: 'رجال' },
  age_band: {
    under_25: 'أقل من 25 سنة',
    '25_34': 'من 25 إلى 34 سنة',
    '35_54': 'من 35 إلى 54 سنة',
    '55_plus': '55 سنة فما فوق',
  },
  disability: { yes: 'في وضعية إعاقة', no: 'بدون إعاقة' },
  diploma: { diploma: 'شهادة مصرح بها أو مستوى البكالوريا فما فوق', none: 'لا شهادة مصرح بها ولا مستوى البكالوريا' },
  area: { rural: 'قروي', urban: 'حضري' },
  long_term_unemployment: { yes: 'مسجلون منذ 24 شهرا فأكثر', no: 'مسجلون منذ أقل من 24 شهرا' },
  beneficiary_source: {
    works: 'الأوراش المؤقتة',
    grant: 'التوظيفات في ملف منحة مصادق عليه',
    hire: 'التوظيفات في إطار تدبير من اتفاقية',
  },
  flow: { own_region: 'داخل الجهة', other_region: 'نحو جهة أخرى', abroad: 'خارج المغرب' },
  step: {
    published_to_first_proposal: 'من النشر إلى أول اقتراح',
    published_to_opened_other_regions: 'من النشر إلى الانفتاح على الجهات الأخرى',
    published_to_first_hire: 'من النشر إلى أول توظيف',
    proposal_to_hire: 'من الاقتراح إلى التوظيف',
  },
  sector: {
    'agri-food': 'الصناعات الغذائية',
    automotive: 'صناعة السيارات',
    construction: 'البناء والأشغال العمومية',
    offshoring: 'ترحيل الخدمات',
    retail: 'التجارة',
    tourism: 'السياحة',
  },
  component: {
    temporary_works: 'مناصب الشغل المؤقتة (الأوراش)',
    lasting_integration: 'الإدماج المستدام',
    awrach_1: 'أوراش 1',
    awrach_2: 'أوراش 2',
    idmaj_training_contracts: 'عقود التكوين من أجل الإدماج (إدماج)',
  },
  source: { programme: 'البرنامج', convention: 'الاتفاقية' },
  committee_kind: { regional: 'اللجنة الجهوية', technical: 'اللجنة التقنية' },
  outcome: {
    approved: 'مصادق عليه',
    rejected: 'مرفوض',
    deferred: 'مؤجل',
    noted: 'أُحيط علماً',
    waitlisted: 'في لائحة الانتظار',
    eligible: 'مؤهل',
    ineligible: 'غير مؤهل',
  },
  file_kind: { grant: 'منحة الإدماج', 'works-project': 'مشروع ورش', convention: 'اتفاقية' },
  works_stage: { programmed: 'مبرمجة', launched: 'منطلقة', completed: 'منتهية' },
  basis: { live: 'نموذج القراءة الآني', as_of: 'نموذج القراءة في التاريخ', replay: 'إعادة قراءة السجل' },
} as const satisfies Record<Dimension, Readonly<Record<string, string>>>;

export const ARABIC_DIMENSIONS: Readonly<Record<Dimension, Readonly<Record<string, string>>>> = DIMENSIONS_AR;

/** A code in Arabic; one missing here is shown as itself, as in French. */
export const labelAr = (dimension: Dimension, key: string): string =>
  ownEntry(ARABIC_DIMENSIONS[dimension], key) ?? key;

export const fileDecisionAr = (key: string): string => {
  const slash = key.indexOf('/');
  if (slash < 0) return labelAr('file_kind', key);
  return `${labelAr('file_kind', key.slice(0, slash))}: ${labelAr('outcome', key.slice(slash + 1))}`;
};

export const regionAr = (code: string): string =>
  code === 'abroad' ? 'الخارج' : isRegionCode(code) ? REGIONS[code].ar : code;

/** Province names as the report gives them (French), in Arabic when the dashboard knows them. */
export const provinceAr = (name: string): string => ownEntry(PROVINCES_AR, name) ?? name;

/** A beneficiary breakdown's key in Arabic, as breakdownKeyFr gives it in French. */
export const breakdownKeyAr = (dimension: Dimension | undefined, key: string): string =>
  key === UNKNOWN_KEY ? 'غير مصرح به' : dimension ? labelAr(dimension, key) : provinceAr(key);

export const scopeAr = (report: CommitteeReport): string =>
  report.scope.name.ar || (report.scope.region === null ? 'وطني (جميع الجهات)' : regionAr(report.scope.region));

/** A line's own label is typed in French: a convention measure the dashboard knows is given in Arabic, any other as typed. */
export const lineLabelAr = (line: { readonly label: string; readonly line: string }): string =>
  !line.label || line.label === line.line || line.label === labelFr('component', line.line)
    ? labelAr('component', line.line)
    : (ownEntry(MEASURES_AR, line.label) ?? line.label);
