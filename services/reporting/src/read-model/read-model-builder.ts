import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@tashghil/event-store';
import { LOGGER, READINESS, type Readiness } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { acquireBuildLease, leaseHolder, releaseBuildLease } from './build-lease';
import { activeSchema, rebuild } from './generations';
import { LAYOUT } from './layout';

/** Told how often a replica that waits for another's build looks again, in ms. */
export const READ_MODEL_POLL_MS = Symbol('READ_MODEL_POLL_MS');

type Status =
  | { readonly state: 'starting' }
  | { readonly state: 'building'; readonly done: number; readonly total: number }
  | { readonly state: 'waiting'; readonly holder: string; readonly schema: string | null }
  | { readonly state: 'ready'; readonly schema: string }
  | { readonly state: 'failed'; readonly error: string };

class Stopped extends Error {}

/**
 * Makes sure this process has a read model of its layout to serve, without holding up its start:
 * the HTTP server listens at once and /health/ready says why it is not ready yet. One replica
 * builds, under the build lease; the others wait for its generation and look again every few
 * seconds (taking over if its lease runs out). A build stops between two pages when the process
 * shuts down.
 */
@Injectable()
export class ReadModelBuilder implements OnApplicationBootstrap, OnApplicationShutdown {
  /** This process among the replicas: the holder of a lease it takes. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private status: Status = { state: 'starting' };
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    @Optional() @Inject(READINESS) readiness?: Readiness,
    @Optional() @Inject(READ_MODEL_POLL_MS) private readonly pollMs: number = 2_000,
  ) {
    readiness?.add('read_model', () => this.readiness());
  }

  onApplicationBootstrap(): void {
    this.running = this.ensure();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** Resolves once this process has a read model of its layout, or when it stops. */
  async ready(): Promise<void> {
    await this.running;
  }

  /** 'up' once an active generation of this layout exists; else what this process is waiting for. */
  async readiness(): Promise<string> {
    const active = await activeSchema(this.store.db);
    if (active?.layout === LAYOUT) return 'up';
    const s = this.status;
    switch (s.state) {
      case 'starting':
      case 'ready':
        return `down: no read model of layout ${LAYOUT} yet`;
      case 'building':
        return `down: building the read model of layout ${LAYOUT}: ${s.done} of ${s.total} events`;
      case 'waiting':
        return `down: waiting for ${s.holder} to build ${s.schema ?? 'the read model'} (layout ${LAYOUT})`;
      case 'failed':
        return `down: the last attempt to build the read model failed (${s.error}); trying again`;
      default: {
        const _exhaustive: never = s;
        return _exhaustive;
      }
    }
  }

  private async ensure(): Promise<void> {
    while (!this.stopping) {
      try {
        const active = await activeSchema(this.store.db);
        if (active?.layout === LAYOUT) {
          this.status = { state: 'ready', schema: active.schema };
          return;
        }
        const lease = await acquireBuildLease(this.store.db, this.holder);
        if (lease) {
          this.status = { state: 'building', done: 0, total: 0 };
          const started = Date.now();
          try {
            const built = await rebuild(this.store, {
              lease,
              onProgress: (done, total) => {
                if (this.stopping) throw new Stopped('the process is stopping');
                this.status = { state: 'building', done, total };
              },
            });
            this.log.info(
              {
                schema: built.schema,
                events: built.applied + built.caughtUp,
                ms: Date.now() - started,
                steps: built.steps,
              },
              'read model built from the store',
            );
          } finally {
            await releaseBuildLease(this.store.db, lease);
          }
          continue;
        }
        const other = await leaseHolder(this.store.db);
        this.status = { state: 'waiting', holder: other?.holder ?? 'another process', schema: other?.schema ?? null };
      } catch (error) {
        if (error instanceof Stopped) return;
        const message = error instanceof Error ? error.message : String(error);
        this.status = { state: 'failed', error: message };
        this.log.error({ err: error }, 'building the read model failed');
      }
      await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
