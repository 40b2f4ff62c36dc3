import { REGION_CODES, type RegionCode } from '@tashghil/contracts';
import { mulberry32 } from '@tashghil/matching-engine';
import { START } from '@tashghil/event-store';
import { PROVINCES } from '../demo/demo-generator';
import { UNIT_GROUP_CODES } from '../occupation/isco-08';
import { offerDecider } from '../offer/offer.decider';
import { publishedOffer, registeredSeeker } from '../placement/files.fixture';
import { EDUCATION_LEVELS, MOBILITY, seekerDecider } from '../seeker/seeker.decider';
import type { ActiveSeeker, OpenOffer, RunInputs } from './run-inputs';

const SKILLS = ['soudure', 'Soudure', 'diagnostic', 'langues', 'sql', 'cuisine', 'vente', 'hygiène', 'câblage'];

/**
 * Seekers and offers drawn at random over a few dozen ISCO unit groups (so that every level of
 * proximity occurs), every region, mobility and education level, offers open to other regions and
 * abroad: made by their deciders, as the store would fold them.
 */
export const randomInputs = (seed: number, seekers: number, offers: number): RunInputs => {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  // Neighbouring codes share minor, sub-major and major groups.
  const codes = UNIT_GROUP_CODES.filter((_, k) => k % 9 < 3);
  const some = <T>(xs: readonly T[], most: number): T[] =>
    Array.from({ length: Math.floor(r() * (most + 1)) }, () => pick(xs));
  const region = (): RegionCode => pick(REGION_CODES);
  const seekerList: ActiveSeeker[] = Array.from({ length: seekers }, (_, i) => {
    const home = region();
    const s = registeredSeeker(`rs-${String(i).padStart(5, '0')}`, {
      region: home,
      province: pick(PROVINCES[home]),
      occupations: [pick(codes), ...some(codes, 1)],
      skills: some(SKILLS, 3),
      education: pick(EDUCATION_LEVELS),
      mobility: pick(MOBILITY),
      registeredOn: pick(['2019-03-01', '2022-11-20', '2023-06-15']),
      disability: r() < 0.1,
    }).reduce(seekerDecider.evolve, seekerDecider.initialState());
    if (s.status === 'none') throw new Error('registered');
    return s;
  });
  const offerList: OpenOffer[] = Array.from({ length: offers }, (_, j) => {
    const where = region();
    const abroad = r() < 0.08;
    const o = publishedOffer(`ro-${String(j).padStart(5, '0')}`, {
      region: where,
      province: pick(PROVINCES[where]),
      occupation: pick(codes),
      positions: 1 + Math.floor(r() * 4),
      requiredEducation: pick(EDUCATION_LEVELS),
      skills: some(SKILLS, 3),
      ...(abroad ? { abroadCountry: 'ES' } : {}),
    }).reduce(offerDecider.evolve, offerDecider.initialState());
    if (o.status === 'none') throw new Error('published');
    return { ...o, openToOtherRegions: abroad || r() < 0.4 };
  });
  return { asOf: START, seekers: seekerList, offers: offerList, placementRates: { 'MA-06': 0.4, 'MA-10': 0.1 } };
};
