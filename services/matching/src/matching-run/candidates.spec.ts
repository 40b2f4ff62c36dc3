import { canonicalJson, sha256Hex } from '@tashghil/event-store';
import { majorOf } from '../occupation/isco-08';
import { indexOffers, Scorer } from './candidates';
import { randomInputs } from './random-inputs.spec-helper';
import { toRunArrays } from './run-arrays';
import { hashInputs, hashInputsAsync, type ActiveSeeker, type OpenOffer, type RunInputs } from './run-inputs';
import { scoreMatch } from './scoring';

/** The definition the index must meet: every offer of the seeker's major groups scored, the best `limit` kept. */
const scanned = (seeker: ActiveSeeker, offers: readonly OpenOffer[], on: string, limit: number) => {
  const found: Array<{ offer: number; score: number }> = [];
  const majors = new Set(seeker.occupations.map((c) => majorOf(c)));
  offers.forEach((offer, j) => {
    if (!majors.has(majorOf(offer.occupation))) return;
    if (offer.region !== seeker.region && !offer.openToOtherRegions && !offer.abroadCountry) return;
    const score = scoreMatch(seeker, offer, on);
    if (score && score.total > 0) found.push({ offer: j, score: score.total });
  });
  return found.sort((a, b) => b.score - a.score || a.offer - b.offer).slice(0, limit);
};

const indexed = (inputs: RunInputs, on: string, limit: number) => {
  const arrays = toRunArrays(inputs, on);
  const scorer = new Scorer(arrays, indexOffers(arrays), limit);
  const offers = new Int32Array(limit);
  const scores = new Int32Array(limit);
  return inputs.seekers.map((_, i) => {
    const n = scorer.candidates(i, offers, scores, 0);
    return Array.from({ length: n }, (_, c) => ({ offer: offers[c] ?? -1, score: scores[c] ?? -1 }));
  });
};

describe('candidate offers from the index', () => {
  const inputs = randomInputs(7, 400, 900);
  const on = '2024-03-01';

  it.each([1, 5, 50])('are exactly the best %i of the major-group scan, in the same order', (limit) => {
    const got = indexed(inputs, on, limit);
    const want = inputs.seekers.map((s) => scanned(s, inputs.offers, on, limit));
    expect(want.some((c) => c.length === limit)).toBe(true);
    expect(got).toEqual(want);
  });

  it('hash the inputs as the whole canonical text would, in one go or in slices', async () => {
    const parameters = { on, beta: 0.5, candidatesPerSeeker: 50, abroadCap: undefined };
    const whole = sha256Hex(
      canonicalJson({
        parameters,
        seekers: inputs.seekers.map((s) => [
          s.seekerId,
          s.region,
          s.province,
          s.occupations,
          s.skills,
          s.education,
          s.mobility,
          s.registeredOn,
          s.disability,
        ]),
        offers: inputs.offers.map((o) => [
          o.offerId,
          o.region,
          o.province,
          o.abroadCountry ?? null,
          o.occupation,
          o.skills,
          o.requiredEducation,
          o.positions - o.filled,
          o.openToOtherRegions,
        ]),
      }),
    );
    expect(hashInputs(inputs, parameters)).toBe(whole);
    expect(await hashInputsAsync(inputs, parameters)).toBe(whole);
    expect(hashInputs({ ...inputs, seekers: inputs.seekers.slice(1) }, parameters)).not.toBe(whole);
  });
});
