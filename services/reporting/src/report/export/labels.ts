import { REGIONS, isRegionCode } from '@tashghil/contracts';
import type { CommitteeReport } from '../report.types';

/**
 * French labels for the codes a committee report carries, shared by the CSV and the PDF pack so a
 * committee reads the same words in both. A code missing here is shown as itself: a new key in the
 * read model then still appears, untranslated, rather than disappearing from the pack.
 */
const DIMENSIONS = {
  gender: { female: 'Femmes', male: 'Hommes' },
  age_band: {
    under_25: 'Moins de 25 ans',
    '25_34': '25 à 34 ans',
    '35_54': '35 à 54 ans',
    '55_plus': '55 ans et plus',
  },
  disability: { yes: 'En situation de handicap', no: 'Sans handicap' },
  // What Tashghil records (a diploma named by the seeker, a level from the baccalaureate up, or the
  // association's yes or no at enrolment), not HCP's « sans diplôme »: HCP counts the primary
  // certificate and the brevet as diplomas (HCP, « Activité, emploi et chômage, résultats
  // annuels 2022 », Feb. 2023, définitions : niveaux de diplôme « moyen » and « supérieur »).
  diploma: { diploma: 'Diplôme déclaré ou niveau bac et plus', none: 'Ni diplôme déclaré ni niveau bac' },
  area: { rural: 'Milieu rural', urban: 'Milieu urbain' },
  // Awrach's target group, registered with ANAPEC for 24 months or more (regional committee of
  // Guelmim-Oued Noun, 22 April 2022), not HCP's long-term unemployment: 12 months or more without
  // work (HCP, « Activité, emploi et chômage, résultats annuels 2022 », Feb. 2023).
  long_term_unemployment: { yes: 'Inscrits depuis 24 mois et plus', no: 'Inscrits depuis moins de 24 mois' },
  beneficiary_source: {
    works: 'Chantiers temporaires',
    grant: "Embauches d'un dossier d'aide approuvé",
    hire: 'Embauches sous une mesure de convention',
  },
  flow: { own_region: 'Dans la région', other_region: 'Vers une autre région', abroad: "À l'étranger" },
  step: {
    published_to_first_proposal: 'De la publication à la première proposition',
    published_to_opened_other_regions: "De la publication à l'ouverture aux autres régions",
    published_to_first_hire: 'De la publication à la première embauche',
    proposal_to_hire: "De la proposition à l'embauche",
  },
  sector: {
    'agri-food': 'Agroalimentaire',
    automotive: 'Automobile',
    construction: 'Bâtiment et travaux publics',
    offshoring: 'Offshoring',
    retail: 'Commerce',
    tourism: 'Tourisme',
  },
  component: {
    temporary_works: 'Emplois temporaires (chantiers)',
    lasting_integration: 'Insertion durable',
    awrach_1: 'Awrach 1',
    awrach_2: 'Awrach 2',
    idmaj_training_contracts: 'Contrats de formation-insertion (Idmaj)',
  },
  source: { programme: 'Programme', convention: 'Convention' },
  committee_kind: { regional: 'Comité régional', technical: 'Comité technique' },
  outcome: {
    approved: 'Approuvé',
    rejected: 'Rejeté',
    deferred: 'Reporté',
    noted: 'Pris acte',
    waitlisted: "En liste d'attente",
    eligible: 'Éligible',
    ineligible: 'Inéligible',
  },
  file_kind: { grant: "Subvention d'insertion", 'works-project': 'Projet de chantier', convention: 'Convention' },
  works_stage: { programmed: 'Programmés', launched: 'Lancés', completed: 'Achevés' },
  basis: { live: 'Modèle de lecture en direct', as_of: 'Modèle de lecture à la date', replay: 'Relecture du journal' },
} as const satisfies Record<string, Readonly<Record<string, string>>>;

export type Dimension = keyof typeof DIMENSIONS;

/** Every dimension and its keys, so that another language's table can be checked against this one. */
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];
export const dimensionKeys = (dimension: Dimension): string[] => Object.keys(DIMENSIONS[dimension]);

/**
 * A table's own entry for a key, or undefined. Keys come from stored data (a target line, a
 * province), so one named like an Object method ("constructor") must not read the prototype.
 */
export const ownEntry = (table: Readonly<Record<string, string>>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

export const labelFr = (dimension: Dimension, key: string): string => ownEntry(DIMENSIONS[dimension], key) ?? key;

/** `grant/approved` → « Subvention d'insertion : approuvé ». */
export const fileDecisionFr = (key: string): string => {
  const slash = key.indexOf('/');
  if (slash < 0) return labelFr('file_kind', key);
  return `${labelFr('file_kind', key.slice(0, slash))} : ${labelFr('outcome', key.slice(slash + 1)).toLowerCase()}`;
};

/** A region code, or `abroad`, by its French name; Arabic names are left to the dashboard. */
export const regionFr = (code: string): string =>
  code === 'abroad' ? 'Étranger' : isRegionCode(code) ? REGIONS[code].fr : code;

export type Section = Exclude<keyof CommitteeReport, 'scope' | 'asOf' | 'basis' | 'generatedAt'>;

/** Every part of the report, in the order the pack and the CSV give them. */
export const SECTIONS: readonly Section[] = [
  'targets',
  'budget',
  'beneficiaries',
  'placements',
  'flows',
  'processingTimes',
  'worksSites',
  'decisions',
  'timeline',
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
  { field: 'byDiploma', code: 'diploma', dimension: 'diploma', title: 'Diplôme déclaré ou niveau bac' },
  { field: 'byArea', code: 'area', dimension: 'area', title: 'Milieu' },
  {
    field: 'byLongTermUnemployment',
    code: 'long_term_unemployment',
    dimension: 'long_term_unemployment',
    title: "Durée d'inscription (seuil : 24 mois)",
  },
  { field: 'byProvince', code: 'province', dimension: undefined, title: 'Province' },
  { field: 'bySource', code: 'source', dimension: 'beneficiary_source', title: 'Origine' },
  { field: 'byComponent', code: 'component', dimension: 'component', title: 'Composante du programme' },
] as const satisfies readonly {
  field: Exclude<keyof CommitteeReport['beneficiaries'], 'total' | 'basis'>;
  code: string;
  dimension: Dimension | undefined;
  title: string;
}[];

/** The key a category takes when an older grant file did not carry it and no placement gives it. */
export const UNKNOWN_KEY = 'unknown';

/** The label of one beneficiary breakdown's key: provinces are names already. */
export const breakdownKeyFr = (dimension: Dimension | undefined, key: string): string =>
  key === UNKNOWN_KEY ? 'Non renseigné' : dimension ? labelFr(dimension, key) : key;

export const scopeFr = (report: CommitteeReport): string =>
  report.scope.name.fr ||
  (report.scope.region === null ? 'National (toutes les régions)' : regionFr(report.scope.region));

/** A target or budget line's own label, or the French name of its component when it has none but its code. */
export const lineLabelFr = (line: { readonly label: string; readonly line: string }): string =>
  line.label && line.label !== line.line ? line.label : labelFr('component', line.line);
