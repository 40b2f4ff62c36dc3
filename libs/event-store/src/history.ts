import type { EventStore } from './event-store';

/** One event of a file as an auditor reads it: where, when, what, who, and the correlation chain. */
export interface HistoryEntry {
  readonly position: number;
  readonly globalPosition: number;
  readonly recordedAt: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly actor: string | null;
  readonly roles: readonly string[];
  readonly command: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly eventId: string;
  readonly data: Record<string, unknown>;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Every event of a stream in order, personal fields left sealed as stored: an auditor's reading
 * never asks the keyring for a key. An empty list means there is no such stream.
 */
export const readHistory = async (store: EventStore, streamId: string): Promise<HistoryEntry[]> => {
  const events = await store.readStream(streamId, { decrypt: false });
  return events.map((e) => ({
    position: e.streamPosition,
    globalPosition: e.globalPosition,
    recordedAt: e.recordedAt,
    type: e.type,
    schemaVersion: e.schemaVersion,
    actor: text(e.metadata.actor),
    roles: Array.isArray(e.metadata.roles) ? e.metadata.roles.filter((r): r is string => typeof r === 'string') : [],
    command: text(e.metadata.commandType),
    correlationId: text(e.metadata.correlationId),
    causationId: text(e.metadata.causationId),
    eventId: e.eventId,
    data: e.data,
  }));
};
