import { REGIONS, isRegionCode } from '@tashghil/contracts';
import type { CommitteeReport } from '../report.types';

/**
 * French labels for the codes a committee report carries, shared by the CSV and the PDF pack so a
 * committee reads the same words in both. A code missing here is shown as itself: a new key in the
 * read model then still appears, untranslated, rather than disappearing from the pack.
 */
const DIMENSIONS = {
  gender: { female: 'Femmes', male: 'Hommes' },
  age_band: { under_25: 'Moins de 25 ans', '25_34': '25 à 34 ans', '35_54': '35 à 54 ans', '55_plus': '55 ans et plus' },
  disability: { yes: 'En situation de handicap', no: 'Sans handicap' },
  diploma: { diploma: 'Diplômés', none: 'Sans diplôme' },
  area: { rural: 'Milieu rural', urban: 'Milieu urbain' },
  long_term_unemployment: { yes: 'Chômage de longue durée', no: 'Hors chômage de longue durée' },
  beneficiary_source: { works: 'Chantiers temporaires', hire: 'Embauches' },
  flow: { own_region: 'Dans la région', other_region: 'Vers une autre région', abroad: "À l'étranger" },
  step: {
    published_to_first_proposal: 'De la publication à la première proposition',
    published_to_opened_other_regions: "De la publication à l'ouverture aux autres régions",
    published_to_first_hire: 'De la publication à la première embauche',
    proposal_to_hire: "De la proposition à l'embauche",
  },
  sector: {
    'agri-food': 'Agroalimentaire', automotive: 'Automobile', construction: 'Bâtiment et travaux publics',
    offshoring: 'Offshoring', retail: 'Commerce', tourism: 'Tourisme',
  },
  component: {
    temporary_works: 'Emplois temporaires (chantiers)', lasting_integration: 'Insertion durable',
    awrach_1: 'Awrach 1', awrach_2: 'Awrach 2',
  },
  source: { programme: 'Programme', convention: 'Convention' },
  committee_kind: { regional: 'Comité régional', technical: 'Comité technique' },
  outcome: {
    approved: 'Approuvé', rejected: 'Rejeté', deferred: 'Reporté', noted: 'Pris acte', waitlisted: "En liste d'attente",
    eligible: 'Éligible', ineligible: 'Inéligible',
  },
  file_kind: { grant: "Subvention d'insertion", 'works-project': 'Projet de chantier', convention: 'Convention' },
  works_stage: { programmed: 'Programmés', launched: 'Lancés', completed: 'Achevés' },
  basis: { live: 'Modèle de lecture en direct', replay: 'Relecture du journal' },
} as const satisfies Record<string, Readonly<Record<string, string>>>;

export type Dimension = keyof typeof DIMENSIONS;

export const labelFr = (dimension: Dimension, key: string): string =>
  (DIMENSIONS[dimension] as Readonly<Record<string, string>>)[key] ?? key;

/** `grant/approved` → « Subvention d'insertion : approuvé ». */
export const fileDecisionFr = (key: string): string => {
  const slash = key.indexOf('/');
  if (slash < 0) return labelFr('file_kind', key);
  return `${labelFr('file_kind', key.slice(0, slash))} : ${labelFr('outcome', key.slice(slash + 1)).toLowerCase()}`;
};

/** A region code, or `abroad`, by its French name; Arabic names are left to the dashboard. */
export const regionFr = (code: string): string => (code === 'abroad' ? 'Étranger' : isRegionCode(code) ? REGIONS[code].fr : code);

export type Section = Exclude<keyof CommitteeReport, 'scope' | 'asOf' | 'basis' | 'generatedAt'>;

/** Every part of the report, in the order the pack and the CSV give them. */
export const SECTIONS: readonly Section[] = [
  'targets', 'budget', 'beneficiaries', 'placements', 'flows', 'processingTimes', 'worksSites', 'decisions', 'timeline',
];

export const SECTION_TITLES: Readonly<Record<Section, string>> = {
  targets: 'Objectifs et réalisations',
  budget: 'Budget engagé et payé',
  beneficiaries: 'Bénéficiaires',
  placements: 'Placements par secteur',
  flows: 'Flux origine × destination',
  processingTimes: 'Délais de traitement des offres',
  worksSites: 'Chantiers temporaires',
  decisions: 'Décisions',
  timeline: 'Chronologie mensuelle',
};

/** The report's beneficiary breakdowns, with the dimension that labels each one's keys. */
export const BENEFICIARY_BREAKDOWNS = [
  { field: 'byGender', code: 'gender', dimension: 'gender', title: 'Genre' },
  { field: 'byAgeBand', code: 'age_band', dimension: 'age_band', title: "Tranche d'âge" },
  { field: 'byDisability', code: 'disability', dimension: 'disability', title: 'Handicap' },
  { field: 'byDiploma', code: 'diploma', dimension: 'diploma', title: 'Diplôme' },
  { field: 'byArea', code: 'area', dimension: 'area', title: 'Milieu' },
  { field: 'byLongTermUnemployment', code: 'long_term_unemployment', dimension: 'long_term_unemployment', title: 'Chômage de longue durée' },
  { field: 'byProvince', code: 'province', dimension: undefined, title: 'Province' },
  { field: 'bySource', code: 'source', dimension: 'beneficiary_source', title: 'Origine' },
] as const satisfies readonly {
  field: Exclude<keyof CommitteeReport['beneficiaries'], 'total'>;
  code: string;
  dimension: Dimension | undefined;
  title: string;
}[];

/** The label of one beneficiary breakdown's key: provinces are names already. */
export const breakdownKeyFr = (dimension: Dimension | undefined, key: string): string => (dimension ? labelFr(dimension, key) : key);

export const scopeFr = (report: CommitteeReport): string =>
  report.scope.name.fr || (report.scope.region === null ? 'National (toutes les régions)' : regionFr(report.scope.region));

/** A target or budget line's own label, or the French name of its component when it has none but its code. */
export const lineLabelFr = (line: { readonly label: string; readonly line: string }): string =>
  line.label && line.label !== line.line ? line.label : labelFr('component', line.line);
