import { randomInputs } from './random-inputs.spec-helper';
import { solveRequest } from './run-matching';
import { buildProblem, buildProblemSplit, candidateArcs, solveRun, type SolvePhase } from './solve';
import { candidatesOffThread, solveOffThread } from './solve-thread';

describe('solving on a worker thread', () => {
  const inputs = randomInputs(11, 600, 300);
  const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 20, maxPlacedIntoDest: { 'MA-06': 10 } };

  it('gives what solving on this thread gives, and reports its phases', async () => {
    const here = solveRun(solveRequest(inputs, parameters));
    const phases: SolvePhase[] = [];
    const there = await solveOffThread(solveRequest(inputs, parameters), (phase) => phases.push(phase));
    expect(there.objective).toBe(here.objective);
    expect(there.objective).toBeGreaterThan(0);
    expect(there.dualBound).toBe(here.objective);
    expect(Array.from(there.assignment)).toEqual(Array.from(here.assignment));
    expect(Array.from(there.weight)).toEqual(Array.from(here.weight));
    expect(phases[0]).toBe('candidates');
    expect(phases.at(-1)).toBe('solving');
  });

  it('rejects when the engine refuses the problem', async () => {
    const bad = solveRequest(inputs, parameters);
    await expect(solveOffThread({ ...bad, maxPlacedFromOrigin: [1, 2] })).rejects.toMatchObject({
      name: 'MatchingInputError',
      code: expect.any(String),
    });
  });

  it('splits the candidates at any seeker without changing one arc, and a helper thread computes the same part', async () => {
    const request = solveRequest(inputs, parameters);
    const whole = buildProblem(request);
    const n = request.arrays.seekers;
    for (const split of [0, 1, 299, n - 1, n]) {
      const parts = await buildProblemSplit(request, split, Promise.resolve(candidateArcs(request, split, n)));
      expect(Array.from(parts.arcStart)).toEqual(Array.from(whole.arcStart));
      expect(Array.from(parts.arcOffer)).toEqual(Array.from(whole.arcOffer));
      expect(Array.from(parts.arcWeight)).toEqual(Array.from(whole.arcWeight));
    }
    expect(whole.arcOffer.length).toBeGreaterThan(n);
    const there = await candidatesOffThread(request, 250, n);
    const here = candidateArcs(request, 250, n);
    expect(Array.from(there.arcStart)).toEqual(Array.from(here.arcStart));
    expect(Array.from(there.arcOffer)).toEqual(Array.from(here.arcOffer));
    expect(Array.from(there.arcWeight)).toEqual(Array.from(here.arcWeight));
  });
});
