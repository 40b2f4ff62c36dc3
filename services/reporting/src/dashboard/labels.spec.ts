import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { label, line, occupation, province, region, type OccupationNames } from './assets/labels.js';

/** The matching service's ISCO-08 table, read as data: the dashboard receives the same names from it. */
const ISCO = JSON.parse(
  readFileSync(join(__dirname, '../../../matching/src/occupation/isco-08.data.json'), 'utf8'),
) as { code: string; fr: string; ar: string }[];
const OCCUPATIONS: OccupationNames = Object.fromEntries(ISCO.map((o) => [o.code, { fr: o.fr, ar: o.ar }]));

/** The demo's trades (matching/src/demo/demo-generator.ts) and the usual works-site and automotive ones. */
const TRADES = [
  '8211',
  '7231',
  '7212',
  '8219',
  '9313',
  '7411',
  '7115',
  '9211',
  '8160',
  '7512',
  '5120',
  '5131',
  '4222',
  '2512',
  '5223',
  '8212',
  '7112',
  '7131',
  '6113',
  '9214',
  '9613',
  '9611',
  '9622',
  '7126',
  '5414',
  '2342',
  '3422',
];

describe('occupations on the dashboard', () => {
  it('are named in Arabic and in French, never by a bare code, for the demo’s trades and the usual ones', () => {
    for (const code of TRADES) {
      const ar = occupation(code, 'ar', OCCUPATIONS);
      expect([code, ar.translated, /[\u0600-\u06ff]/.test(ar.text), /\d/.test(ar.text)]).toEqual([
        code,
        true,
        true,
        false,
      ]);
      expect(occupation(code, 'fr', OCCUPATIONS).text).toBe(ISCO.find((o) => o.code === code)?.fr);
    }
    expect(occupation('9622', 'ar', OCCUPATIONS).text).toBe('عمال الأشغال المتنوعة');
  });

  it('name a code the table lacks after its broader group, with the code beside it', () => {
    expect(occupation('7239', 'fr', { 723: { fr: 'Mécaniciens et réparateurs de machines' } })).toEqual({
      text: 'Mécaniciens et réparateurs de machines (7239)',
      translated: false,
    });
    expect(occupation('7239', 'ar', {}).text).toBe('مهنة 7239');
  });
});

describe('the dashboard’s words a Moroccan officer reads', () => {
  it('say "taken note of" grammatically', () => {
    expect(label('outcome', 'noted', 'ar').text).toBe('أُحيط علماً');
  });

  it('name the long-registered and the diploma categories for what they count, not as HCP’s', () => {
    expect(label('byLongTermUnemployment', 'yes', 'fr').text).toBe('Inscrits depuis 24 mois et plus');
    expect(label('byLongTermUnemployment', 'yes', 'ar').text).toBe('مسجلون منذ 24 شهرا فأكثر');
    expect(label('byDiploma', 'none', 'fr').text).not.toMatch(/sans diplôme/i);
  });
});

describe('codes from the data named like Object methods', () => {
  it('are shown as given, never as a prototype function', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(label('outcome', key, 'fr')).toEqual({ text: key, translated: false });
      expect(province(key, 'ar')).toEqual({ text: key, translated: false });
      expect(region(key, 'fr', { 'MA-09': { fr: 'Souss-Massa', ar: 'سوس ماسة' } })).toEqual({
        text: key,
        translated: false,
      });
      expect(line({ source: 'convention', line: key, label: key }, 'ar')).toEqual({ text: key, translated: false });
    }
  });
});
