import { givenFor } from '@tashghil/testing';
import {
  matchingRunDecider,
  type MatchingRunCompleted,
  type RecordMatchingRun,
  type RunRecord,
} from './matching-run.decider';

const given = givenFor(matchingRunDecider);
const metadata = {
  now: '2024-03-01T09:00:00.000Z',
  actor: 'admin',
  roles: ['admin'],
  correlationId: 'c',
  commandId: 'k',
};
const record: RunRecord = {
  runId: 'run-1',
  parameters: { on: '2024-03-01', beta: 0.5, candidatesPerSeeker: 50 },
  engine: 'e@1',
  asOf: { txId: 10, position: 99 },
  inputsHash: 'abc',
  multipliers: { 'MA-09': 100 },
  objective: 1500,
  greedyObjective: 1400,
  placed: 2,
  seekers: 3,
  offers: 2,
  arcs: 5,
  milliseconds: 3,
  proposals: [
    { seekerId: 's1', offerId: 'o1', placementId: 'pl-1', score: 800, weight: 800 },
    { seekerId: 's2', offerId: 'o1', placementId: 'pl-2', score: 700, weight: 700 },
  ],
};
const run = (data: RunRecord): RecordMatchingRun => ({ type: 'RecordMatchingRun', data, metadata });
const completed: MatchingRunCompleted = {
  type: 'MatchingRunCompleted',
  schemaVersion: 1,
  data: { ...record, recordedAt: metadata.now, recordedBy: 'admin' },
};

describe('a matching run, as an event', () => {
  it('records parameters, the inputs hash and the proposals', () => {
    given([]).when(run(record)).then([completed]);
  });
  it('is recorded once', () => {
    given([completed]).when(run(record)).thenThrows('RUN_ALREADY_RECORDED');
  });
  it('never proposes one seeker twice', () => {
    given([])
      .when(
        run({
          ...record,
          objective: 1600,
          proposals: [
            ...record.proposals,
            { seekerId: 's1', offerId: 'o2', placementId: 'pl-3', score: 100, weight: 100 },
          ],
        }),
      )
      .thenThrows('SEEKER_PROPOSED_TWICE');
  });
  it('adds up to its objective', () => {
    given([])
      .when(run({ ...record, objective: 1 }))
      .thenThrows('OBJECTIVE_MISMATCH');
  });
});
