import { z } from 'zod';

/** The twelve regions of decree 2-15-40, coded as in ISO 3166-2:MA. The former 01–16 codes are not accepted. */
export const REGIONS = {
  'MA-01': { fr: 'Tanger-Tétouan-Al Hoceïma', ar: 'طنجة تطوان الحسيمة' },
  'MA-02': { fr: "L'Oriental", ar: 'الشرق' },
  'MA-03': { fr: 'Fès-Meknès', ar: 'فاس مكناس' },
  'MA-04': { fr: 'Rabat-Salé-Kénitra', ar: 'الرباط سلا القنيطرة' },
  'MA-05': { fr: 'Béni Mellal-Khénifra', ar: 'بني ملال خنيفرة' },
  'MA-06': { fr: 'Casablanca-Settat', ar: 'الدار البيضاء سطات' },
  'MA-07': { fr: 'Marrakech-Safi', ar: 'مراكش آسفي' },
  'MA-08': { fr: 'Drâa-Tafilalet', ar: 'درعة تافيلالت' },
  'MA-09': { fr: 'Souss-Massa', ar: 'سوس ماسة' },
  'MA-10': { fr: 'Guelmim-Oued Noun', ar: 'كلميم واد نون' },
  'MA-11': { fr: 'Laâyoune-Sakia El Hamra', ar: 'العيون الساقية الحمراء' },
  'MA-12': { fr: 'Dakhla-Oued Ed-Dahab', ar: 'الداخلة وادي الذهب' },
} as const;

export type RegionCode = keyof typeof REGIONS;

export const REGION_CODES = Object.keys(REGIONS) as RegionCode[];

export const isRegionCode = (code: string): code is RegionCode => Object.hasOwn(REGIONS, code);

/** A region as every API, command and contract takes it: one of the twelve codes. */
export const regionCode = z.enum(REGION_CODES as [RegionCode, ...RegionCode[]]);
