import { randomInputs } from './random-inputs.spec-helper';
import { solveRequest } from './run-matching';
import { solveRun, type SolvePhase } from './solve';
import { solveOffThread } from './solve-thread';

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
});
