import {
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Checkpoint,
  type Command,
  type Decider,
} from '@tashghil/event-store';
import type { RunOutcome, RunParameters } from './run-matching';

export interface RecordedProposal {
  readonly seekerId: string;
  readonly offerId: string;
  readonly placementId: string;
  readonly score: number;
  readonly weight: number;
}

/** Everything an auditor needs to run it again: parameters, engine, where the inputs were read, and what came out. */
export type RunRecord = Omit<RunOutcome, 'proposals'> & {
  readonly runId: string;
  readonly parameters: RunParameters;
  readonly engine: string;
  readonly asOf: Checkpoint;
  readonly proposals: readonly RecordedProposal[];
};

export type RecordMatchingRun = Command<'RecordMatchingRun', RunRecord>;
export type MatchingRunCommand = RecordMatchingRun;
export type MatchingRunCompleted = {
  readonly type: 'MatchingRunCompleted';
  readonly schemaVersion: 1;
  readonly data: RunRecord & { readonly recordedAt: string; readonly recordedBy: string };
};
export type MatchingRunEvent = MatchingRunCompleted;
export type MatchingRun =
  | { readonly status: 'none' }
  | (MatchingRunCompleted['data'] & { readonly status: 'completed' });

export const matchingRunStreamId = (runId: string): string => `matching.run-${runId}`;

const initialState = (): MatchingRun => ({ status: 'none' });

const evolve = (s: MatchingRun, e: MatchingRunEvent): MatchingRun => {
  switch (e.type) {
    case 'MatchingRunCompleted':
      return { ...e.data, status: 'completed' };
    default: {
      const _exhaustive: never = e.type;
      return s;
    }
  }
};

/** A run is recorded once, proposes each seeker once, and adds up to the objective it reports. */
const record = (c: RecordMatchingRun, s: MatchingRun): MatchingRunEvent[] => {
  if (s.status !== 'none')
    throw new IllegalStateError('RUN_ALREADY_RECORDED', `run ${c.data.runId} is already recorded`);
  const seekers = new Set<string>();
  for (const p of c.data.proposals) {
    if (seekers.has(p.seekerId))
      throw new IllegalStateError('SEEKER_PROPOSED_TWICE', `seeker ${p.seekerId} has two proposals in one run`);
    seekers.add(p.seekerId);
  }
  const total = c.data.proposals.reduce((n, p) => n + p.weight, 0);
  if (total !== c.data.objective) {
    throw new ValidationError('OBJECTIVE_MISMATCH', 'the proposals do not add up to the recorded objective', [
      { path: 'objective', message: `${c.data.objective} recorded, ${total} in the proposals` },
    ]);
  }
  return [
    {
      type: 'MatchingRunCompleted',
      schemaVersion: 1,
      data: { ...c.data, recordedAt: c.metadata.now, recordedBy: c.metadata.actor },
    },
  ];
};

const decide = (c: MatchingRunCommand, s: MatchingRun): MatchingRunEvent[] => {
  switch (c.type) {
    case 'RecordMatchingRun':
      return record(c, s);
    default: {
      const _exhaustive: never = c.type;
      throw new NotFoundError('UNKNOWN_COMMAND', String(c));
    }
  }
};

export const matchingRunDecider: Decider<MatchingRunCommand, MatchingRun, MatchingRunEvent> = {
  initialState,
  evolve,
  decide,
};
