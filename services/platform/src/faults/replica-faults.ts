import type { SqlClient } from '@tashghil/event-store';
import { waitReady } from '@tashghil/testing';
import { lags } from './checks';
import { replicaName, type Replica, type ServiceName, type Services } from './cluster';
import type { LoadGenerator } from './load-generator';
import { beforeKill, watchHandover, type BeforeKill } from './replicas';
import type { HandoverResult } from './report';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The context each service relays (its ServiceSpec in services/<name>/src/service.ts); reporting relays none. */
export const RELAYED: Readonly<Partial<Record<ServiceName, string>>> = {
  conventions: 'conventions',
  matching: 'matching',
  subsidies: 'subsidies',
};

/**
 * The replica faults of a phase: SIGKILL one replica (the holder of its service's relay lease by
 * default), watch the survivor take over, and start the killed one again once the system recovered
 * without it. One killed replica at a time.
 */
export class ReplicaFaults {
  private killed: { replica: Replica; at: number } | undefined;
  private readyAgain: Promise<number> = Promise.resolve(0);
  /** Set by a kill of a relay's lease holder, taken by the phase's result. */
  handover: HandoverResult | undefined;

  constructor(
    private readonly services: Services,
    private readonly db: SqlClient,
    private readonly load: LoadGenerator,
    private readonly recoveryBoundMs: number,
  ) {}

  get killedReplica(): { readonly replica: Replica; readonly at: number } | undefined {
    return this.killed;
  }

  /** Waits (at most `ms`) until `service` reports some lag, so a kill lands mid-stream; returns the lag seen. */
  async behind(service: ServiceName, ms = 5_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const lag = Object.entries(await lags(this.services.live()))
        .filter(([name]) => name.startsWith(`${service}#`))
        .reduce((n, [, l]) => n + (Number.isFinite(l) ? l : 0), 0);
      if (lag > 0 || Date.now() > deadline) return lag;
      await sleep(50);
    }
  }

  /**
   * SIGKILLs `chosen`, or the holder of the service's relay lease, or its first replica when it
   * relays nothing; when the victim held the lease, returns once the survivor has published.
   */
  async kill(service: ServiceName, chosen?: Replica, afterKill?: (at: number) => void): Promise<string[]> {
    // A chosen victim is killed at once: the caller picked the instant.
    const lag = chosen ? Number.NaN : await this.behind(service);
    const context = RELAYED[service];
    let relay: BeforeKill | undefined = context ? await beforeKill(this.db, context) : undefined;
    const replica = chosen ?? (relay ? this.services.byPid(relay.lease.pid) : this.services.replicasOf(service)[0]);
    if (!replica) throw new Error(`no replica of ${service} to kill (lease ${JSON.stringify(relay?.lease)})`);
    if (relay && relay.lease.pid !== replica.process?.pid) relay = undefined;
    const at = Date.now();
    await this.services.kill(replica);
    this.killed = { replica, at };
    afterKill?.(at);
    const notes = [
      `${replicaName(replica)} SIGKILLed${Number.isNaN(lag) ? '' : ` with a lag of ${lag} (relay, broker and projection lags of its service)`}${relay ? ', holding the relay lease' : ''}`,
    ];
    if (!relay) return notes;
    const h = await watchHandover(this.db, relay, at).catch((error: unknown) => {
      // What the suite knows of the survivors goes with the failure: CI may show only its message.
      throw new Error(
        [
          error instanceof Error ? error.message : String(error),
          `lease changes logged: ${this.services.leaseHistory(relay.context) || 'none'}`,
          `replicas running: ${this.services
            .live()
            .map((e) => e.name)
            .join(', ')}`,
        ].join('\n'),
      );
    });
    const survivor = this.services.byPid(Number(h.newHolder.split(':')[1]));
    this.handover = { ...h, killed: replicaName(replica), survivor: survivor ? replicaName(survivor) : h.newHolder };
    const logged = this.services.leaseLog.find((l) => l.context === h.context && l.holding && l.at >= at);
    notes.push(
      `relay handover: lease taken by ${this.handover.survivor} (token ${h.token}) ${h.leaseSeconds.toFixed(1)} s after the kill, its first batch (${h.eventsInFirstBatch} events) acknowledged ${h.publishSeconds.toFixed(1)} s after`,
      logged
        ? `'relay leads' logged by ${logged.replica} ${((logged.at - at) / 1_000).toFixed(1)} s after the kill`
        : `no 'relay leads' line read from the survivor's log`,
    );
    return notes;
  }

  /** Notes what the survivors answered alone, then starts the killed replica again. */
  async restart(): Promise<string[]> {
    if (!this.killed) return [];
    const { replica, at } = this.killed;
    const since = this.load.commands.filter((c) => (c.acceptedAt ?? 0) >= at);
    const failedOver = since.filter(
      (c) => c.steps.some((step) => step.service === replica.service) && c.answers.includes(0),
    );
    this.services.start(replica);
    const restarted = Date.now();
    this.readyAgain = waitReady(replica.base, this.recoveryBoundMs).then(() => (Date.now() - restarted) / 1_000);
    return [
      `commands accepted by the survivors while ${replicaName(replica)} was down (${((restarted - at) / 1_000).toFixed(1)} s): ${since.length}`,
      `commands that met the dead replica and were answered by another under the same key: ${failedOver.length}`,
    ];
  }

  /** Once the phase is quiet: how long the restarted replica took to answer ready. */
  async restartTime(): Promise<string[]> {
    const seconds = await this.readyAgain;
    const name = this.killed ? replicaName(this.killed.replica) : '?';
    this.killed = undefined;
    return [`${name}'s new process answered ready ${seconds.toFixed(1)} s after it was started`];
  }

  /** After a failed phase: the killed replica runs again, so that the next phases start whole. */
  async restore(): Promise<void> {
    const killed = this.killed;
    this.killed = undefined;
    this.handover = undefined;
    if (!killed || this.services.live().some((e) => e.base === killed.replica.base)) return;
    this.services.start(killed.replica);
    await waitReady(killed.replica.base, this.recoveryBoundMs).catch(() => undefined);
  }
}
