import { POINTS, scoreMatch, type OfferForScoring, type SeekerForScoring } from './scoring';

const seeker: SeekerForScoring = {
  region: 'MA-09',
  province: 'Agadir-Ida Ou Tanane',
  occupations: ['7231'],
  skills: ['diagnostic', 'Welding'],
  education: 'vocational',
  mobility: 'any_region',
  registeredOn: '2020-01-15',
  disability: false,
};
const offer: OfferForScoring = {
  region: 'MA-09',
  province: 'Agadir-Ida Ou Tanane',
  occupation: '7231',
  skills: ['welding', 'diagnostic', 'paint'],
  requiredEducation: 'vocational',
};
const on = '2022-05-10';

describe('the explainable score', () => {
  it('adds up its parts, and says why each has its value', () => {
    const s = scoreMatch(seeker, offer, on);
    expect(s?.parts).toEqual({ occupation: 400, skills: 133, education: 100, distance: 150, priority: 60 });
    expect(s?.total).toBe(843);
    expect(s?.tier).toBe('same_province');
    expect(s?.reasons).toContain('skills: 2 of 3 asked (133)');
  });

  it('ranks the same unit group above the same minor, sub-major and major group', () => {
    const at = (occupation: string) => scoreMatch(seeker, { ...offer, occupation }, on)?.parts.occupation;
    expect([at('7231'), at('7233'), at('7212'), at('7411'), at('2512')]).toEqual([
      POINTS.occupation.unit,
      POINTS.occupation.minor,
      POINTS.occupation['sub-major'],
      POINTS.occupation.major,
      POINTS.occupation.none,
    ]);
  });

  it('respects how far the seeker will go', () => {
    const elsewhere = { ...offer, region: 'MA-06', province: 'Casablanca' };
    expect(scoreMatch({ ...seeker, mobility: 'own_region' }, elsewhere, on)).toBeUndefined();
    expect(scoreMatch(seeker, elsewhere, on)?.tier).toBe('other_region');
    expect(scoreMatch(seeker, { ...offer, abroadCountry: 'ES' }, on)).toBeUndefined();
    expect(scoreMatch({ ...seeker, mobility: 'abroad' }, { ...offer, abroadCountry: 'ES' }, on)?.parts.distance).toBe(
      POINTS.distance.abroad,
    );
    expect(scoreMatch({ ...seeker, mobility: 'own_province' }, { ...offer, province: 'Tiznit' }, on)).toBeUndefined();
  });

  it('gives priority to long-term registered seekers and to people with disabilities', () => {
    expect(scoreMatch({ ...seeker, registeredOn: '2021-06-01' }, offer, on)?.parts.priority).toBe(0);
    expect(scoreMatch({ ...seeker, registeredOn: '2021-06-01', disability: true }, offer, on)?.parts.priority).toBe(
      POINTS.priority.disability,
    );
  });

  it('weighs education against what the offer requires', () => {
    expect(scoreMatch({ ...seeker, education: 'baccalaureate' }, offer, on)?.parts.education).toBe(
      POINTS.education.oneBelow,
    );
    expect(scoreMatch({ ...seeker, education: 'none' }, offer, on)?.parts.education).toBe(0);
    expect(scoreMatch({ ...seeker, education: 'master' }, offer, on)?.parts.education).toBe(POINTS.education.meets);
  });
});
