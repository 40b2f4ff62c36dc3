import { readStreams, type EventStore } from '@tashghil/event-store';
import type { RecordedProposal } from './matching-run.decider';
import { chunkDigest, proposalsDigest, runChunkStreamId } from './run-proposals.decider';

export interface StoredChunk {
  readonly chunk: number;
  readonly proposals: readonly RecordedProposal[];
  readonly digest: string;
}

/** How many chunk streams one read asks for. */
const READ_CHUNKS = 200;

/** Chunks `from` .. `to - 1` of a run, in order; a chunk not stored is left out. */
export const readChunks = async (
  store: EventStore,
  runId: string,
  from: number,
  to: number,
): Promise<StoredChunk[]> => {
  const found: StoredChunk[] = [];
  for (let k = from; k < to; k += READ_CHUNKS) {
    const ids = Array.from({ length: Math.min(READ_CHUNKS, to - k) }, (_, c) => runChunkStreamId(runId, k + c));
    const { streams } = await readStreams(store, ids, []);
    for (const id of ids) {
      const event = streams.get(id)?.events[0];
      if (!event) continue;
      const data = event.data as unknown as StoredChunk;
      found.push({ chunk: data.chunk, proposals: data.proposals, digest: data.digest });
    }
  }
  return found;
};

export interface ChunksChecked {
  /** Every chunk is stored, each matches its digest, and the digests give the run's. */
  readonly intact: boolean;
  readonly proposals: readonly RecordedProposal[];
  readonly missingChunks: number;
  readonly alteredChunks: number;
}

/**
 * A run's proposals read back from its chunks, and whether they are what the run recorded: the
 * digest of each chunk recomputed from its proposals, and the run's digest from those.
 */
export const checkChunks = async (
  store: EventStore,
  runId: string,
  recorded: { readonly chunks: number; readonly proposalsDigest: string },
): Promise<ChunksChecked> => {
  const chunks = await readChunks(store, runId, 0, recorded.chunks);
  const digests = chunks.map((c) => chunkDigest(c.proposals));
  const altered = chunks.filter((c, k) => c.digest !== digests[k]).length;
  const missing = recorded.chunks - chunks.length;
  return {
    intact: missing === 0 && altered === 0 && proposalsDigest(digests) === recorded.proposalsDigest,
    proposals: chunks.flatMap((c) => c.proposals),
    missingChunks: missing,
    alteredChunks: altered,
  };
};
