import { EVENTS_CHANNEL, type EventStore } from '@tashghil/event-store';
import type { Logger } from 'pino';
import type { Access } from './access';
import type { GatewayMetrics } from './metrics';
import { PersonalFields } from './personal-fields';
import type { ExternalCategories } from './stream-names';

/**
 * One wake-up for every subscription of the process: a single LISTEN on the store's channel (a
 * server connection each would not scale), counted, so a subscriber that read before a wake-up and
 * waits after it returns at once rather than missing it.
 */
export class WakeHub {
  private count = 0;
  private waiters: Array<() => void> = [];
  private unlisten: (() => Promise<void>) | undefined;

  static async open(store: EventStore): Promise<WakeHub> {
    const hub = new WakeHub();
    hub.unlisten = await store.db.listen(EVENTS_CHANNEL, () => hub.wake());
    return hub;
  }

  get seen(): number {
    return this.count;
  }

  wake(): void {
    this.count += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves at the first wake-up after `seen`, or after `ms` (the poll that covers a lost one). */
  waitAfter(seen: number, ms: number, cancelled?: AbortSignal): Promise<void> {
    if (this.count !== seen || cancelled?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        cancelled?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      cancelled?.addEventListener('abort', done, { once: true });
      this.waiters.push(done);
    });
  }

  /**
   * The wait of a live subscription after a read that found `found` events. A wake-up whose read
   * finds nothing usually means the event's transaction is still under the snapshot horizon behind
   * another one still running: that is looked at again shortly, a few times, rather than at the poll.
   */
  follower(pollMs: number, signal: AbortSignal): (seen: number, found: number) => Promise<void> {
    const SOON_MS = 10;
    let soon = 0;
    let woken = false;
    return async (seen, found) => {
      if (found > 0) soon = 0;
      else if (soon > 0) soon -= 1;
      else if (woken) soon = 8;
      const waited = soon > 0 ? SOON_MS : pollMs;
      await this.waitAfter(seen, waited, signal);
      woken = this.count !== seen;
    };
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    this.wake();
  }
}

export interface GatewayLimits {
  /** KurrentDB's default MaxAppendSize: 1 MiB (ClusterVNodeOptions, read 2026-07-14). */
  readonly maxAppendSize: number;
  /** Events per store read. */
  readonly readBatch: number;
  /** How long a live subscription sleeps when no wake-up comes. */
  readonly pollMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = { maxAppendSize: 1024 * 1024, readBatch: 1000, pollMs: 500 };

/** What every handler works with. */
export interface GatewayContext {
  readonly store: EventStore;
  readonly external: ExternalCategories;
  readonly personal: PersonalFields;
  readonly access: Access;
  readonly hub: WakeHub;
  readonly limits: GatewayLimits;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
}

export const personalFieldsOf = (store: EventStore): PersonalFields => new PersonalFields(store.db);
