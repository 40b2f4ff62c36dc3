import { givenFor } from '@tashghil/testing';
import {
  matchingRunDecider,
  type MatchingRunCommand,
  type MatchingRunEvent,
  type RunSolution,
} from './matching-run.decider';
import { chunkDigest, runProposalsDecider, type RecordRunProposals } from './run-proposals.decider';

const given = givenFor(matchingRunDecider);
const metadata = {
  now: '2024-03-01T09:00:00.000Z',
  actor: 'admin',
  roles: ['admin'],
  correlationId: 'c',
  commandId: 'k',
};
const parameters = { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 50 };
const solution: RunSolution = {
  engine: 'e@1',
  asOf: { txId: 10, position: 99 },
  inputsHash: 'abc',
  multipliers: { 'MA-09': 100 },
  objective: 1500,
  greedyObjective: 1400,
  certificate: { dualBound: 1500, optimal: true },
  placed: 2,
  seekers: 3,
  offers: 2,
  arcs: 5,
  milliseconds: 3,
  proposals: 2,
  chunks: 1,
  chunkSize: 250,
  proposalsDigest: 'd',
};
const command = <C extends MatchingRunCommand>(c: Omit<C, 'metadata'>): C => ({ ...c, metadata }) as unknown as C;
const request = command({ type: 'RequestMatchingRun', data: { runId: 'run-1', parameters } });
const requested: MatchingRunEvent = {
  type: 'MatchingRunRequested',
  schemaVersion: 1,
  data: { runId: 'run-1', parameters, requestedAt: metadata.now, requestedBy: 'admin' },
};
const solved: MatchingRunEvent = {
  type: 'MatchingRunSolved',
  schemaVersion: 1,
  data: { ...solution, runId: 'run-1', solvedAt: metadata.now },
};
const completed: MatchingRunEvent = {
  type: 'MatchingRunCompleted',
  schemaVersion: 2,
  data: { runId: 'run-1', completedAt: metadata.now },
};
const solve = command({ type: 'RecordRunSolution', data: solution });
const complete = command({ type: 'CompleteMatchingRun', data: {} });
const fail = command({ type: 'FailMatchingRun', data: { code: 'X', message: 'no' } });

describe('a matching run, as a job recorded in events', () => {
  it('is requested with its parameters, once', () => {
    given([]).when(request).then([requested]);
    given([requested]).when(request).thenThrows('RUN_ALREADY_RECORDED');
  });
  it('records its solution, without its proposals, once, and only while requested', () => {
    given([requested]).when(solve).then([solved]);
    given([requested, solved]).when(solve).thenThrows('RUN_NOT_RUNNING');
    given([]).when(solve).thenThrows('RUN_NOT_FOUND');
  });
  it('completes once solved, and only then', () => {
    given([requested, solved]).when(complete).then([completed]);
    given([requested]).when(complete).thenThrows('RUN_NOT_SOLVED');
    given([requested, solved, completed]).when(complete).thenThrows('RUN_NOT_SOLVED');
  });
  it('fails only while it runs', () => {
    given([requested, solved])
      .when(fail)
      .then([
        {
          type: 'MatchingRunFailed',
          schemaVersion: 1,
          data: { runId: 'run-1', code: 'X', message: 'no', failedAt: metadata.now },
        },
      ]);
    given([requested, solved, completed]).when(fail).thenThrows('RUN_NOT_RUNNING');
  });
  it('reads a run recorded before runs were jobs, its proposals in its one event', () => {
    const proposals = [{ seekerId: 's1', offerId: 'o1', placementId: 'pl-1', score: 800, weight: 800 }];
    const legacy = {
      type: 'MatchingRunCompleted',
      schemaVersion: 1,
      data: {
        runId: 'old',
        parameters,
        engine: 'e@1',
        asOf: solution.asOf,
        inputsHash: 'h',
        multipliers: {},
        objective: 800,
        greedyObjective: 800,
        placed: 1,
        seekers: 1,
        offers: 1,
        arcs: 1,
        milliseconds: 1,
        proposals,
        recordedAt: metadata.now,
        recordedBy: 'admin',
      },
    } as unknown as MatchingRunEvent;
    const state = matchingRunDecider.evolve(matchingRunDecider.initialState(), legacy);
    expect(state).toMatchObject({
      status: 'completed',
      runId: 'old',
      legacyProposals: proposals,
      solution: { objective: 800, proposals: 1 },
    });
  });
});

describe('a chunk of a run’s proposals', () => {
  const chunkGiven = givenFor(runProposalsDecider);
  const proposals = [
    { seekerId: 's1', offerId: 'o1', placementId: 'pl-1', score: 800, weight: 800 },
    { seekerId: 's2', offerId: 'o1', placementId: 'pl-2', score: 700, weight: 700 },
  ];
  const record = (ps: typeof proposals, digest = chunkDigest(ps)): RecordRunProposals => ({
    type: 'RecordRunProposals',
    data: { runId: 'run-1', chunk: 0, proposals: ps, digest },
    metadata,
  });
  it('is recorded once, with the digest of its proposals', () => {
    const recorded = {
      type: 'MatchingRunProposalsRecorded' as const,
      schemaVersion: 1 as const,
      data: { ...record(proposals).data, recordedAt: metadata.now },
    };
    chunkGiven([]).when(record(proposals)).then([recorded]);
    chunkGiven([recorded]).when(record(proposals)).thenThrows('RUN_CHUNK_ALREADY_RECORDED');
  });
  it('is refused when its proposals are not what its digest says', () => {
    chunkGiven([])
      .when(record(proposals, chunkDigest(proposals.slice(1))))
      .thenThrows('DIGEST_MISMATCH');
  });
  it('never proposes one seeker twice', () => {
    const twice = [...proposals, { ...proposals[0], offerId: 'o2', placementId: 'pl-3' } as (typeof proposals)[number]];
    chunkGiven([]).when(record(twice)).thenThrows('SEEKER_PROPOSED_TWICE');
  });
  it('holds at most a few hundred proposals', () => {
    const many = Array.from(
      { length: 251 },
      (_, i) => ({ ...proposals[0], seekerId: `s${i}` }) as (typeof proposals)[number],
    );
    chunkGiven([]).when(record(many)).thenThrows('RUN_CHUNK_TOO_LARGE');
  });
});
