import type { Queryable } from '@tashghil/event-store';
import { pause } from './lease';

/**
 * Twice the broker's retention (log.retention.hours=168 in infra/kafka/server.properties.in, and
 * Kafka's default; read 2026-12-05): a message can be redelivered only while the broker keeps it,
 * so its inbox row is kept longer than that and a redelivery always finds it.
 */
export const DEFAULT_INBOX_RETENTION_DAYS = 14;

export interface InboxPruneOptions {
  readonly db: Queryable;
  readonly consumer: string;
  readonly retentionDays?: number;
  /** Rows per DELETE: each is a short statement, so pruning never holds locks or the horizon for long. */
  readonly batchSize?: number;
  /** Pause between two batches, so a large backlog is pruned without hogging the database. */
  readonly pauseMs?: number;
}

/** Deletes the consumer's inbox rows older than the retention, oldest first, in small batches; answers how many. */
export const pruneInbox = async (options: InboxPruneOptions, signal?: AbortSignal): Promise<number> => {
  const retentionDays = options.retentionDays ?? DEFAULT_INBOX_RETENTION_DAYS;
  const batchSize = options.batchSize ?? 1_000;
  let total = 0;
  for (;;) {
    const { rowCount } = await options.db.query(
      `DELETE FROM msg.inbox WHERE consumer = $1 AND event_id IN (
         SELECT event_id FROM msg.inbox
          WHERE consumer = $1 AND processed_at < now() - $2::int * interval '1 day'
          ORDER BY processed_at LIMIT $3)`,
      [options.consumer, retentionDays, batchSize],
    );
    total += rowCount;
    if (rowCount < batchSize || signal?.aborted) return total;
    await pause(options.pauseMs ?? 50, signal);
  }
};

export interface InboxPruner {
  stop(): Promise<void>;
}

/**
 * Prunes every `intervalMs` (the first time after a random part of it, so replicas that start
 * together spread out). Replicas pruning at once delete disjoint rows or wait briefly on the same
 * ones: no lease is needed.
 */
export const startInboxPruner = (
  options: InboxPruneOptions & { readonly intervalMs?: number; readonly onError?: (error: unknown) => void },
): InboxPruner => {
  const intervalMs = options.intervalMs ?? 15 * 60_000;
  const stopping = new AbortController();
  const running = (async () => {
    await pause(Math.random() * intervalMs, stopping.signal);
    while (!stopping.signal.aborted) {
      try {
        await pruneInbox(options, stopping.signal);
      } catch (error) {
        options.onError?.(error);
      }
      await pause(intervalMs, stopping.signal);
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await running;
    },
  };
};
