import { REGION_CODES, type RegionCode } from '@tashghil/contracts';
import { mulberry32 } from '@tashghil/matching-engine';
import type { OfferDetails } from '../offer/offer.decider';
import type { EducationLevel, Mobility, PersonalDetails, SeekerProfile } from '../seeker/seeker.decider';

/** Provinces and prefectures per region (decree 2-15-40), enough to spread the demo population. */
export const PROVINCES: Readonly<Record<RegionCode, readonly string[]>> = {
  'MA-01': ['Tanger-Assilah', 'Tétouan', 'Al Hoceïma', 'Larache', 'Chefchaouen'],
  'MA-02': ['Oujda-Angad', 'Nador', 'Berkane', 'Taourirt', 'Guercif'],
  'MA-03': ['Fès', 'Meknès', 'Taza', 'Sefrou', 'Ifrane'],
  'MA-04': ['Rabat', 'Salé', 'Kénitra', 'Skhirate-Témara', 'Khémisset'],
  'MA-05': ['Béni Mellal', 'Khénifra', 'Khouribga', 'Fquih Ben Salah', 'Azilal'],
  'MA-06': ['Casablanca', 'Mohammédia', 'El Jadida', 'Settat', 'Berrechid'],
  'MA-07': ['Marrakech', 'Safi', 'Essaouira', 'Al Haouz', 'Chichaoua'],
  'MA-08': ['Errachidia', 'Ouarzazate', 'Midelt', 'Tinghir', 'Zagora'],
  'MA-09': ['Agadir-Ida Ou Tanane', 'Inezgane-Aït Melloul', 'Chtouka-Aït Baha', 'Taroudannt', 'Tiznit', 'Tata'],
  'MA-10': ['Guelmim', 'Tan-Tan', 'Sidi Ifni', 'Assa-Zag'],
  'MA-11': ['Laâyoune', 'Boujdour', 'Tarfaya', 'Es-Semara'],
  'MA-12': ['Oued Ed-Dahab', 'Aousserd'],
};

/** Trades of the demo, each with the sector that hires for it and the skills it asks. */
const TRADES: ReadonlyArray<{
  readonly occupation: string;
  readonly sector: string;
  readonly skills: readonly string[];
}> = [
  { occupation: '8211', sector: 'automotive', skills: ['assemblage', 'lecture de plans', 'contrôle qualité'] },
  { occupation: '7231', sector: 'automotive', skills: ['diagnostic', 'mécanique', 'électricité auto'] },
  { occupation: '7212', sector: 'automotive', skills: ['soudure', 'lecture de plans'] },
  { occupation: '8219', sector: 'automotive', skills: ['assemblage', 'câblage'] },
  { occupation: '9313', sector: 'construction', skills: ['chantier', 'sécurité'] },
  { occupation: '7411', sector: 'construction', skills: ['électricité bâtiment', 'sécurité'] },
  { occupation: '7115', sector: 'construction', skills: ['menuiserie', 'lecture de plans'] },
  { occupation: '9211', sector: 'agri-food', skills: ['récolte', 'conditionnement'] },
  { occupation: '8160', sector: 'agri-food', skills: ['conditionnement', 'hygiène'] },
  { occupation: '7512', sector: 'agri-food', skills: ['boulangerie', 'hygiène'] },
  { occupation: '5120', sector: 'tourism', skills: ['cuisine', 'hygiène'] },
  { occupation: '5131', sector: 'tourism', skills: ['service', 'langues'] },
  { occupation: '4222', sector: 'offshoring', skills: ['relation client', 'langues', 'bureautique'] },
  { occupation: '2512', sector: 'offshoring', skills: ['javascript', 'sql', 'langues'] },
  { occupation: '5223', sector: 'retail', skills: ['vente', 'relation client'] },
];

const EDUCATION: readonly EducationLevel[] = [
  'none',
  'primary',
  'lower_secondary',
  'baccalaureate',
  'vocational',
  'bac_plus_2',
  'licence',
];
const MOBILITY: readonly Mobility[] = [
  'own_province',
  'own_region',
  'own_region',
  'any_region',
  'any_region',
  'abroad',
];

/** The seeded generator the engine's tests use: the demo is the same on every machine. */
export const prng = mulberry32;

const pick = <T>(r: () => number, xs: readonly T[]): T => {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
};
/** A day from `from` to `to`, both included. */
const between = (r: () => number, from: string, to: string): string => {
  const start = Date.parse(`${from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - start) / 86_400_000);
  return new Date(start + Math.floor(r() * (days + 1)) * 86_400_000).toISOString().slice(0, 10);
};

/**
 * Everyone was registered with the agency by mid-April 2022, before the demo's batch run of May
 * 2022; many long enough before (24 months) to count as long-term registered.
 */
const DEMO_REGISTERED_BY = '2022-04-15';

export type DemoSeeker = SeekerProfile & PersonalDetails & { readonly seekerId: string; readonly registeredOn: string };
export type DemoOffer = OfferDetails & { readonly offerId: string };

const automotive = (
  id: string,
  employer: { id: string; name: string },
  province: string,
  occupation: string,
  positions: number,
  skills: readonly string[],
): DemoOffer => ({
  offerId: `demo-offer-${id}`,
  employer: { kind: 'company', id: `demo-${employer.id}`, name: employer.name, sector: 'automotive' },
  region: 'MA-09',
  province,
  occupation,
  positions,
  requiredEducation: 'lower_secondary',
  skills,
  contractType: 'permanent',
  mass: true,
  validUntil: '2027-12-31',
});

/**
 * The Souss-Massa regional and inter-regional regulation mechanism with automotive employers
 * (DOMAIN.md): mass offers, open to every region from their publication.
 */
const SOUSS_MASSA_AUTOMOTIVE: readonly DemoOffer[] = [
  automotive(
    'automobile-souss-massa',
    { id: 'equipementier-automobile', name: 'Équipementier automobile (fictif)' },
    'Inezgane-Aït Melloul',
    '8211',
    120,
    ['assemblage', 'contrôle qualité'],
  ),
  automotive(
    'cablage-souss-massa',
    { id: 'cableur-automobile', name: 'Câblerie automobile (fictive)' },
    'Inezgane-Aït Melloul',
    '8212',
    60,
    ['câblage', 'assemblage', 'contrôle qualité'],
  ),
  automotive(
    'soudure-souss-massa',
    { id: 'emboutisseur-automobile', name: 'Emboutissage et soudure automobile (fictif)' },
    'Agadir-Ida Ou Tanane',
    '7212',
    30,
    ['soudure', 'lecture de plans'],
  ),
];

/** Seasonal work abroad, recruited through a region's agency: the job is abroad, the file is here. */
const ABROAD_OFFERS: readonly DemoOffer[] = [
  {
    offerId: 'demo-offer-saisonniers-huelva',
    employer: {
      kind: 'cooperative',
      id: 'demo-cooperative-huelva',
      name: 'Coopérative agricole de Huelva (fictive)',
      sector: 'agri-food',
    },
    region: 'MA-04',
    province: 'Kénitra',
    abroadCountry: 'ES',
    occupation: '9211',
    positions: 25,
    requiredEducation: 'none',
    skills: ['récolte', 'conditionnement'],
    contractType: 'seasonal_abroad',
    mass: false,
    validUntil: '2027-12-31',
  },
  {
    offerId: 'demo-offer-restauration-france',
    employer: {
      kind: 'company',
      id: 'demo-hotellerie-france',
      name: 'Groupe hôtelier saisonnier (fictif)',
      sector: 'tourism',
    },
    region: 'MA-06',
    province: 'Casablanca',
    abroadCountry: 'FR',
    occupation: '5120',
    positions: 10,
    requiredEducation: 'primary',
    skills: ['cuisine', 'hygiène'],
    contractType: 'seasonal_abroad',
    mass: false,
    validUntil: '2027-12-31',
  },
];

/**
 * A fictitious population: nobody here exists. Names are numbered placeholders and CINs use the
 * prefix ZZ, which no real card carries. `offers` random offers, then the fixed ones above.
 */
export const generateDemo = (
  seed = 2022,
  seekers = 300,
  offers = 60,
): { seekers: DemoSeeker[]; offers: DemoOffer[] } => {
  const r = prng(seed);
  const people: DemoSeeker[] = Array.from({ length: seekers }, (_, i) => {
    const region = pick(r, REGION_CODES);
    const trade = pick(r, TRADES);
    return {
      seekerId: `demo-seeker-${String(i + 1).padStart(4, '0')}`,
      registeredOn: between(r, '2019-01-01', DEMO_REGISTERED_BY),
      region,
      province: pick(r, PROVINCES[region]),
      gender: r() < 0.45 ? 'female' : 'male',
      birthDate: between(r, '1966-01-01', '2003-12-31'),
      education: pick(r, EDUCATION),
      occupations: [trade.occupation],
      skills: trade.skills.filter(() => r() < 0.7),
      languages: r() < 0.6 ? ['ar', 'fr'] : ['ar'],
      disability: r() < 0.05,
      pandemicJobLoss: r() < 0.2,
      area: r() < 0.45 ? 'rural' : 'urban',
      mobility: pick(r, MOBILITY),
      fullName: `Personne fictive n° ${i + 1}`,
      cin: `ZZ${String(100_000 + i)}`,
    };
  });
  const jobs: DemoOffer[] = Array.from({ length: offers }, (_, i) => {
    const region = pick(r, REGION_CODES);
    const trade = pick(r, TRADES);
    return {
      offerId: `demo-offer-${String(i + 1).padStart(3, '0')}`,
      employer: {
        kind: r() < 0.8 ? 'company' : 'cooperative',
        id: `demo-employer-${1 + Math.floor(r() * 40)}`,
        name: `Employeur fictif ${i + 1}`,
        sector: trade.sector,
      },
      region,
      province: pick(r, PROVINCES[region]),
      occupation: trade.occupation,
      positions: 1 + Math.floor(r() * 5),
      requiredEducation: pick(r, EDUCATION.slice(0, 5)),
      skills: trade.skills,
      contractType: r() < 0.5 ? 'permanent' : 'fixed_term',
      mass: false,
      validUntil: '2027-12-31',
    };
  });
  return { seekers: people, offers: [...jobs, ...SOUSS_MASSA_AUTOMOTIVE, ...ABROAD_OFFERS] };
};
