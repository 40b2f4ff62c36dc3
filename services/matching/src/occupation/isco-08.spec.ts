import {
  ISCO_08,
  UNIT_GROUP_CODES,
  isIscoUnitGroup,
  labels,
  levelOf,
  majorOf,
  minorOf,
  occupation,
  occupationProximity,
  subMajorOf,
  type IscoLevel,
} from './isco-08';
import { generateDemo } from '../demo/demo-generator';

/** The unit groups the demo and the other services' tests register seekers and offers with. */
const USED_UNIT_GROUPS = [
  '7231',
  '8211',
  '7212',
  '8219',
  '7411',
  '7115',
  '9313',
  '9312',
  '9211',
  '6111',
  '7512',
  '5120',
  '5131',
  '4222',
  '4110',
  '2512',
  '3115',
  '8322',
  '9329',
  '5223',
  '2221',
  '9112',
  '7522',
  '8160',
];

/** Trades of works sites and of the automotive plants that officers register seekers under (issue 13). */
const WORKS_AND_AUTOMOTIVE_TRADES = [
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
  '7114',
  '7122',
  '7123',
  '8342',
  '9312',
];

const codesAt = (level: IscoLevel): string[] => ISCO_08.map((o) => o.code).filter((c) => levelOf(c) === level);

describe('ISCO-08 structure', () => {
  it('has the published number of groups at each level', () => {
    expect(codesAt('major')).toHaveLength(10);
    expect(codesAt('sub-major')).toHaveLength(43);
    expect(codesAt('minor')).toHaveLength(130);
    expect(codesAt('unit')).toHaveLength(436);
    expect(ISCO_08).toHaveLength(619);
  });

  it('counts armed forces as major group 0', () => {
    expect(codesAt('major')).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('has no duplicate codes and only 1 to 4 digits', () => {
    const codes = ISCO_08.map((o) => o.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.filter((c) => !/^\d{1,4}$/.test(c))).toEqual([]);
  });

  it('gives every code below major level a parent that exists', () => {
    const orphans = ISCO_08.map((o) => o.code).filter((c) => c.length > 1 && occupation(c.slice(0, -1)) === undefined);
    expect(orphans).toEqual([]);
  });

  it('gives every group above unit level at least one child', () => {
    const childless = ISCO_08.map((o) => o.code).filter(
      (c) => c.length < 4 && !ISCO_08.some((o) => o.code.length === c.length + 1 && o.code.startsWith(c)),
    );
    expect(childless).toEqual([]);
  });

  it('has non-empty, trimmed titles', () => {
    const bad = ISCO_08.filter((o) =>
      [o.en, o.fr, o.ar].some((t) => t.trim() === '' || t !== t.trim() || t.includes('  ')),
    );
    expect(bad).toEqual([]);
  });

  it('has an Arabic title, in Arabic letters only, for every code at every level', () => {
    const bad = ISCO_08.filter((o) => !/^[\u0600-\u06ff\s(),]+$/.test(o.ar)).map((o) => o.code);
    expect(bad).toEqual([]);
  });

  it('gives the demo’s trades and the usual works-site and automotive trades all three titles', () => {
    const { seekers, offers } = generateDemo();
    const demo = new Set([...seekers.flatMap((s) => s.occupations), ...offers.map((o) => o.occupation)]);
    expect(demo.size).toBeGreaterThan(10);
    for (const code of [...demo, ...WORKS_AND_AUTOMOTIVE_TRADES]) {
      expect([code, isIscoUnitGroup(code)]).toEqual([code, true]);
      expect(labels(code)).toEqual({
        en: expect.any(String),
        fr: expect.any(String),
        ar: expect.stringMatching(/[\u0600-\u06ff]/),
      });
    }
    expect(labels('8212').ar).toBe('مركبو المعدات الكهربائية والإلكترونية');
    expect(labels('9622').ar).toBe('عمال الأشغال المتنوعة');
  });

  it('has French and Arabic for every unit group in use', () => {
    for (const code of USED_UNIT_GROUPS) {
      expect(isIscoUnitGroup(code)).toBe(true);
      expect(labels(code)).toEqual({ en: expect.any(String), fr: expect.any(String), ar: expect.any(String) });
    }
  });

  it('lists the unit groups in code order and nothing else', () => {
    expect(UNIT_GROUP_CODES).toHaveLength(436);
    expect(UNIT_GROUP_CODES.every((c) => c.length === 4)).toBe(true);
    expect([...UNIT_GROUP_CODES].sort()).toEqual(UNIT_GROUP_CODES);
    expect(Object.isFrozen(UNIT_GROUP_CODES)).toBe(true);
  });
});

describe('ISCO-08 titles', () => {
  it.each([
    ['7231', 'Motor vehicle mechanics and repairers'],
    ['2512', 'Software developers'],
    ['0110', 'Commissioned armed forces officers'],
    ['7212', 'Welders and flame cutters'],
    ['8322', 'Car, taxi and van drivers'],
    ['9112', 'Cleaners and helpers in offices, hotels and other establishments'],
    ['72', 'Metal, machinery and related trades workers'],
    ['9', 'Elementary occupations'],
  ])('%s is "%s"', (code, en) => {
    expect(occupation(code)?.en).toBe(en);
  });

  it('gives the French CITP-08 title', () => {
    expect(labels('7231').fr).toBe('Mécaniciens et réparateurs de véhicules à moteur');
    expect(labels('7212').fr).toBe('Soudeurs et oxycoupeurs');
  });

  it('gives Arabic in the labels of every unit group, so no screen falls back to French', () => {
    expect(UNIT_GROUP_CODES.filter((code) => !labels(code).ar)).toEqual([]);
  });

  it('refuses labels for a code that is not ISCO-08', () => {
    expect(() => labels('9999')).toThrow(expect.objectContaining({ code: 'ISCO_CODE_UNKNOWN' }));
  });
});

describe('unit group validation', () => {
  it.each(['7231', '5120', '0110', '8160', '9629'])('accepts %s', (code) => {
    expect(isIscoUnitGroup(code)).toBe(true);
  });

  it.each([
    ['a minor group', '723'],
    ['a padded minor group', '7230'],
    ['a major group', '7'],
    ['a code ISCO-08 does not have', '9999'],
    ['the armed forces major padded to 4 digits', '0000'],
    ['surrounding spaces', ' 7231 '],
    ['an ISCO-88 only code', '7137'],
    ['an empty string', ''],
  ])('refuses %s (%j)', (_why, code) => {
    expect(isIscoUnitGroup(code)).toBe(false);
  });
});

describe('hierarchy', () => {
  it('finds the groups a unit group belongs to', () => {
    expect(majorOf('7231')).toBe('7');
    expect(subMajorOf('7231')).toBe('72');
    expect(minorOf('7231')).toBe('723');
  });

  it('returns a group as its own ancestor at its level', () => {
    expect(subMajorOf('72')).toBe('72');
    expect(majorOf('0')).toBe('0');
  });

  it("has nothing below a code's own level or for unknown codes", () => {
    expect(minorOf('72')).toBeUndefined();
    expect(majorOf('9999')).toBeUndefined();
  });
});

describe('occupationProximity', () => {
  it.each([
    ['7231', '7231', 'unit'],
    ['7231', '7233', 'minor'],
    ['7231', '7212', 'sub-major'],
    ['7231', '7411', 'major'],
    ['7231', '8211', 'none'],
    ['8211', '8219', 'minor'],
    ['9313', '9312', 'minor'],
    ['9313', '9329', 'sub-major'],
    ['0110', '0210', 'major'],
    ['72', '7231', 'sub-major'],
    ['7231', '9999', 'none'],
    ['723', '7230', 'none'],
  ] as const)('%s and %s: %s', (a, b, expected) => {
    expect(occupationProximity(a, b)).toBe(expected);
    expect(occupationProximity(b, a)).toBe(expected);
  });
});
