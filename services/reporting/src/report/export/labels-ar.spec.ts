import { DIMENSIONS as DASHBOARD } from '../../dashboard/assets/labels.js';
import { ARABIC_DIMENSIONS, fileDecisionAr, lineLabelAr, provinceAr } from './labels-ar';
import { DIMENSION_NAMES, dimensionKeys, labelFr, type Dimension } from './labels';

/** Where the pack and the dashboard label the same code: the dashboard's dimension for each of the pack's. */
const ON_SCREEN: Partial<Record<Dimension, string>> = {
  gender: 'byGender',
  age_band: 'byAgeBand',
  disability: 'byDisability',
  diploma: 'byDiploma',
  area: 'byArea',
  long_term_unemployment: 'byLongTermUnemployment',
  beneficiary_source: 'bySource',
  flow: 'byFlow',
  step: 'step',
  sector: 'bySector',
  component: 'component',
  source: 'source',
  committee_kind: 'committeeKind',
  outcome: 'outcome',
};

describe('the Arabic words of the committee pack', () => {
  it('translate every code the French pack translates', () => {
    for (const d of DIMENSION_NAMES) {
      expect([d, Object.keys(ARABIC_DIMENSIONS[d]).sort()]).toEqual([d, dimensionKeys(d).sort()]);
    }
  });

  it('are the dashboard’s words wherever both show the same code', () => {
    for (const [pack, screen] of Object.entries(ON_SCREEN) as [Dimension, string][]) {
      for (const [key, words] of Object.entries(DASHBOARD[screen] ?? {})) {
        if (key in ARABIC_DIMENSIONS[pack])
          expect([pack, key, ARABIC_DIMENSIONS[pack][key]]).toEqual([pack, key, words.ar]);
      }
    }
  });

  it('say "taken note of" grammatically, and name the two categories HCP defines otherwise for what they count', () => {
    expect(ARABIC_DIMENSIONS.outcome.noted).toBe('أُحيط علماً');
    expect(labelFr('long_term_unemployment', 'yes')).toBe('Inscrits depuis 24 mois et plus');
    expect(ARABIC_DIMENSIONS.long_term_unemployment.yes).toBe('مسجلون منذ 24 شهرا فأكثر');
    expect(labelFr('diploma', 'none')).not.toMatch(/sans diplôme/i);
    expect(fileDecisionAr('grant/approved')).toBe('منحة الإدماج: مصادق عليه');
  });

  it('give provinces and component lines in Arabic, and free text as typed', () => {
    expect(provinceAr('Tan-Tan')).toBe('طانطان');
    expect(provinceAr('Province inconnue')).toBe('Province inconnue');
    expect(lineLabelAr({ line: 'lasting_integration', label: 'Insertion durable' })).toBe('الإدماج المستدام');
    expect(lineLabelAr({ line: 'm-1', label: 'Chantiers, "pistes" et écoles' })).toBe('Chantiers, "pistes" et écoles');
  });
});
