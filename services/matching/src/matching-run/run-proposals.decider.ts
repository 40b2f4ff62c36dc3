import {
  canonicalJson,
  IllegalStateError,
  NotFoundError,
  sha256Hex,
  ValidationError,
  type Command,
  type Decider,
} from '@tashghil/event-store';
import type { RecordedProposal } from './matching-run.decider';

/**
 * A run's proposals in chunks of a few hundred, each its own stream and event: no event grows with
 * the country (a national run proposes hundreds of thousands), and each chunk is stored with its
 * placements in one short transaction.
 */
export const RUN_CHUNK_SIZE = 250;

export const runChunkStreamId = (runId: string, chunk: number): string =>
  `matching.runProposals-${runId}.${String(chunk).padStart(6, '0')}`;

/** The digest of one chunk: SHA-256 of its proposals' canonical JSON. */
export const chunkDigest = (proposals: readonly RecordedProposal[]): string => sha256Hex(canonicalJson(proposals));

/** The digest of a run's proposals: SHA-256 over its chunks' digests, one a line, in chunk order. */
export const proposalsDigest = (chunkDigests: readonly string[]): string => sha256Hex(chunkDigests.join('\n'));

export type RecordRunProposals = Command<
  'RecordRunProposals',
  {
    readonly runId: string;
    readonly chunk: number;
    readonly proposals: readonly RecordedProposal[];
    readonly digest: string;
  }
>;
export type MatchingRunProposalsRecorded = {
  readonly type: 'MatchingRunProposalsRecorded';
  readonly schemaVersion: 1;
  readonly data: RecordRunProposals['data'] & { readonly recordedAt: string };
};
export type RunProposals =
  | { readonly status: 'none' }
  | (MatchingRunProposalsRecorded['data'] & { readonly status: 'recorded' });

const evolve = (s: RunProposals, e: MatchingRunProposalsRecorded): RunProposals => {
  switch (e.type) {
    case 'MatchingRunProposalsRecorded':
      return { ...e.data, status: 'recorded' };
    default: {
      const _exhaustive: never = e.type;
      return s;
    }
  }
};

/** A chunk is recorded once, matches its digest, and proposes each seeker once. */
const decide = (c: RecordRunProposals, s: RunProposals): MatchingRunProposalsRecorded[] => {
  switch (c.type) {
    case 'RecordRunProposals': {
      if (s.status !== 'none')
        throw new IllegalStateError(
          'RUN_CHUNK_ALREADY_RECORDED',
          `chunk ${c.data.chunk} of run ${c.data.runId} is recorded`,
        );
      if (c.data.proposals.length > RUN_CHUNK_SIZE)
        throw new ValidationError('RUN_CHUNK_TOO_LARGE', `a chunk holds at most ${RUN_CHUNK_SIZE} proposals`, [
          { path: 'proposals', message: `${c.data.proposals.length} given` },
        ]);
      if (chunkDigest(c.data.proposals) !== c.data.digest)
        throw new ValidationError('DIGEST_MISMATCH', 'the chunk does not match its digest', [
          { path: 'digest', message: 'is not the SHA-256 of the proposals' },
        ]);
      const seekers = new Set(c.data.proposals.map((p) => p.seekerId));
      if (seekers.size !== c.data.proposals.length)
        throw new IllegalStateError('SEEKER_PROPOSED_TWICE', 'a seeker has two proposals in one run');
      return [
        { type: 'MatchingRunProposalsRecorded', schemaVersion: 1, data: { ...c.data, recordedAt: c.metadata.now } },
      ];
    }
    default: {
      const _exhaustive: never = c.type;
      throw new NotFoundError('UNKNOWN_COMMAND', String(c));
    }
  }
};

export const runProposalsDecider: Decider<RecordRunProposals, RunProposals, MatchingRunProposalsRecorded> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
