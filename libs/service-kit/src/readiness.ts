import { Global, Module } from '@nestjs/common';

/** The token of this process's readiness checks, for a module to add its own to. */
export const READINESS = Symbol('READINESS');

/**
 * A check of this process: 'up', or 'down: why' when this process cannot serve yet (its read model
 * is being built, say); any other answer is information that does not make it unready.
 */
export type ReadinessCheck = () => Promise<string>;

/** The checks modules of this process added to /health/ready, beside the database and the broker. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Every check's answer; one that throws is down with its message. */
  async run(): Promise<Record<string, string>> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch (error) {
          return [name, `down: ${error instanceof Error ? error.message : String(error)}`] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}

/** Makes READINESS injectable everywhere in the app, /health/ready included; a module that adds a check imports it. */
@Global()
@Module({ providers: [{ provide: READINESS, useClass: Readiness }], exports: [READINESS] })
export class ReadinessModule {}

/** Ready when no check says down. */
export const isReady = (checks: Readonly<Record<string, string>>): boolean =>
  Object.values(checks).every((v) => !v.startsWith('down'));

/**
 * The backlog of the consumer groups this process belongs to is shared by every replica: reported
 * beside the checks (and as the `projection_lag_events` metric, which the alert watches), never a
 * reason for this process to leave the load balancer, since every replica would leave at once.
 */
export const backlogNote = (projection: string): string =>
  projection.startsWith('down: ') ? `behind: ${projection.slice('down: '.length)}` : projection;
