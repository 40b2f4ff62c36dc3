import { randomUUID } from 'node:crypto';
import { openStore, settledHorizon, type Backend, type EventStore, type TestDatabase } from '@tashghil/event-store';
import { createLogger } from '@tashghil/service-kit';
import { startGateway, type Gateway, type GatewayOptions } from '../gateway';

/**
 * A gateway over a real store for the judges, and what scenarios need done on the store's side:
 * a service's events (some with personal data), an erasure, a transaction that commits late.
 */
export interface Harness {
  readonly backend: Backend['name'];
  readonly store: EventStore;
  readonly gateway: Gateway;
  /** `kurrentdb://` / `esdb://` host and port. */
  readonly address: string;
  /** A name no other scenario uses, valid inside a stream id. */
  unique(): string;
  /** Appends events to a service's stream (not external), as its command handler would. */
  appendAsService(streamId: string, types: readonly string[]): Promise<void>;
  /** A seeker whose name and phone are personal fields of its subject. */
  appendPersonal(streamId: string, subjectId: string): Promise<void>;
  erase(subjectId: string): Promise<void>;
  /**
   * Opens a transaction that appends `early` and holds it open (taking a transaction id below the
   * next one); `commit` ends it. Needs the PostgreSQL server: PGlite runs one transaction at a time.
   */
  holdTransaction(early: string): Promise<{ commit(): Promise<void> }>;
  /**
   * Waits until every commit is below the snapshot horizon, so a read of `$all` sees it: on a server
   * shared with other suites, their open transactions hold the horizon back (test-backends.ts).
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const openHarness = async (backend: Backend, gatewayOptions: Partial<GatewayOptions> = {}): Promise<Harness> => {
  const database: TestDatabase = await backend.open();
  const store = await openStore(database);
  const gateway = await startGateway({
    store,
    host: '127.0.0.1',
    port: 0,
    log: createLogger('kurrent-gateway', { level: 'silent' }),
    limits: { pollMs: 200 },
    ...gatewayOptions,
  });
  const meta = { actor: 'judge', roles: ['admin'], correlationId: randomUUID() };
  return {
    backend: backend.name,
    store,
    gateway,
    address: `127.0.0.1:${gateway.port}`,
    unique: () => randomUUID().replace(/-/g, '').slice(0, 12),
    appendAsService: async (streamId, types) => {
      await store.append(
        streamId,
        types.map((type, i) => ({ eventId: randomUUID(), type, data: { step: i }, metadata: meta })),
      );
    },
    appendPersonal: async (streamId, subjectId) => {
      await store.append(streamId, [
        {
          eventId: randomUUID(),
          type: 'SeekerRegistered',
          data: { seekerId: subjectId, name: 'Amina El Idrissi', phone: '+212600000000', region: 'souss-massa' },
          metadata: meta,
          personal: { subjectId, fields: ['name', 'phone'] },
        },
      ]);
    },
    erase: async (subjectId) => {
      await store.eraseSubject(subjectId);
    },
    holdTransaction: async (early) => {
      let release: () => void = () => undefined;
      let started: () => void = () => undefined;
      const open = new Promise<void>((resolve) => {
        started = resolve;
      });
      const done = store.db.transaction(async (tx) => {
        await store.appendInTransaction(tx, early, [{ eventId: randomUUID(), type: 'Early', data: {} }], 'any');
        started();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      });
      await open;
      return {
        commit: async () => {
          release();
          await done;
        },
      };
    },
    settle: () => settledHorizon(store.db),
    close: async () => {
      await gateway.close();
      await database.dispose();
    },
  };
};
