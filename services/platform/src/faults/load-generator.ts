import { eventIdFor } from '@tashghil/event-store';
import { officer } from '@tashghil/testing';
import type { ServiceName } from './cluster';

/**
 * The command kinds of the load, each feeding another service over Kafka:
 * - `targets`: PUT programme targets (conventions) → the subsidies consumer's envelope, and reporting;
 * - `convention`: a drafted convention (conventions) → reporting;
 * - `works`: a proposed works site (subsidies) → reporting;
 * - `offer`: an offer received, validated and published (matching, three requests) → reporting.
 */
export const KINDS = ['targets', 'convention', 'works', 'offer'] as const;
export type Kind = (typeof KINDS)[number];

export interface Step {
  readonly service: ServiceName;
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: unknown;
  /** The Idempotency-Key: a retry after a 503 or a lost connection appends nothing twice. */
  readonly key: string;
}

export interface CommandRecord {
  readonly id: string;
  readonly kind: Kind;
  readonly region: string;
  readonly phase: string;
  readonly steps: readonly Step[];
  readonly sentAt: number;
  /** The status of every answer, 0 for a connection that failed or was cut. */
  readonly answers: number[];
  /** Which replica of its service each attempt went to, beside `answers`. */
  readonly replicas: number[];
  outcome: 'pending' | 'accepted' | 'refused' | 'unknown';
  acceptedAt?: number;
}

const REGIONS = [
  'MA-01',
  'MA-02',
  'MA-03',
  'MA-04',
  'MA-05',
  'MA-06',
  'MA-07',
  'MA-08',
  'MA-09',
  'MA-10',
  'MA-11',
  'MA-12',
];

/** The first event id a step's command appends: the same for every retry of its key. */
export const firstEventId = (c: CommandRecord, step: Step): string => eventIdFor(`officer-${c.region}:${step.key}`, 0);

const stepsFor = (kind: Kind, id: string, region: string): Step[] => {
  switch (kind) {
    case 'targets':
      return [
        {
          service: 'conventions',
          method: 'PUT',
          path: `/programme-targets/${region}/${id}/2025`,
          key: `${id}-set`,
          body: {
            components: [
              { component: 'temporary_works', targetJobs: 40, budgetCentimes: 12_000_000 },
              { component: 'lasting_jobs', targetJobs: 10 },
            ],
            reference: `Charge ${id}`,
            effectiveDate: '2025-03-01',
          },
        },
      ];
    case 'convention':
      return [
        {
          service: 'conventions',
          method: 'POST',
          path: '/conventions',
          key: `${id}-draft`,
          body: {
            conventionId: id,
            region,
            title: `Convention ${id}`,
            period: { start: '2025-01-01', end: '2027-12-31' },
          },
        },
      ];
    case 'works':
      return [
        {
          service: 'subsidies',
          method: 'POST',
          path: '/works-projects',
          key: `${id}-propose`,
          body: {
            projectId: id,
            region,
            province: 'Province',
            promoter: { kind: 'cooperative', id: 'coop-1', name: 'Coopérative Al Amal' },
            kind: 'large',
            title: `Chantier ${id}`,
            jobs: 3,
            months: 6,
            start: '2025-05-02',
            end: '2025-11-01',
            monthlyWageCentimes: 300_000,
            proposedOn: '2025-04-25',
          },
        },
      ];
    case 'offer':
      return [
        {
          service: 'matching',
          method: 'POST',
          path: '/offers',
          key: `${id}-receive`,
          body: {
            offerId: id,
            employer: { kind: 'company', id: 'emp-1', name: 'Employeur', sector: 'agriculture' },
            region,
            province: 'Province',
            occupation: '6111',
            positions: 2,
            requiredEducation: 'none',
            skills: ['irrigation'],
            contractType: 'permanent',
            mass: false,
            validUntil: '2030-12-31',
          },
        },
        { service: 'matching', method: 'POST', path: `/offers/${id}/validate`, key: `${id}-validate`, body: {} },
        { service: 'matching', method: 'POST', path: `/offers/${id}/publish`, key: `${id}-publish`, body: {} },
      ];
    default: {
      const _exhaustive: never = kind;
      throw new Error(`unknown kind ${String(_exhaustive)}`);
    }
  }
};

export interface LoadOptions {
  /** The replicas' addresses of a service: a command's steps are spread over them in turn. */
  readonly bases: (service: ServiceName) => readonly string[];
  /** Commands per second over all kinds. */
  readonly rate: number;
  /** A run-unique prefix for every id, so that reruns on one database never collide. */
  readonly prefix: string;
  /** How long a command is retried (503, lost connection) before it counts as unknown. */
  readonly giveUpAfterMs?: number;
  /** The longest Retry-After honoured, so a run stays short. */
  readonly maxRetryAfterMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A bounded load: one worker per kind (so four commands in flight at most), each issuing its kind at
 * rate/4 per second. A worker waits for its command to be answered, retrying the same Idempotency-Key
 * after a 503 (honouring Retry-After) or a lost connection, so a process that is down slows its own
 * kinds and no other. A command counts as accepted only on a 2xx for every step.
 *
 * As a client behind a load balancer: each request goes to the service's next replica in turn, and
 * a retry goes to the replica after the one that failed, under the same Idempotency-Key, so a dead
 * replica costs one lost connection per request that met it and nothing is done twice.
 */
export class LoadGenerator {
  readonly commands: CommandRecord[] = [];
  private phase = 'warm-up';
  private running = false;
  private workers: Promise<void>[] = [];
  private sequence = 0;
  private readonly turns = new Map<ServiceName, number>();

  constructor(private readonly options: LoadOptions) {}

  setPhase(phase: string): void {
    this.phase = phase;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const interval = (1_000 * KINDS.length) / this.options.rate;
    this.workers = KINDS.map((kind, i) => this.work(kind, interval, (i * interval) / KINDS.length));
  }

  /** Stops issuing new commands and waits for the ones in flight to be answered or given up. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async work(kind: Kind, interval: number, offset: number): Promise<void> {
    await sleep(offset);
    let next = Date.now();
    while (this.running) {
      next += interval;
      this.sequence += 1;
      const id = `${this.options.prefix}-${kind}-${this.sequence}`;
      const region = REGIONS[this.sequence % REGIONS.length] ?? 'MA-01';
      const record: CommandRecord = {
        id,
        kind,
        region,
        phase: this.phase,
        steps: stepsFor(kind, id, region),
        sentAt: Date.now(),
        answers: [],
        replicas: [],
        outcome: 'pending',
      };
      this.commands.push(record);
      await this.issue(record);
      await sleep(Math.max(0, next - Date.now()));
      // A worker that fell behind (its service was down) does not burst to catch up.
      next = Math.max(next, Date.now() - interval);
    }
  }

  private async issue(record: CommandRecord): Promise<void> {
    const token = officer(record.region);
    const deadline = record.sentAt + (this.options.giveUpAfterMs ?? 180_000);
    for (const step of record.steps) {
      const bases = this.options.bases(step.service);
      let turn = this.turns.get(step.service) ?? 0;
      this.turns.set(step.service, turn + 1);
      for (; ; turn += 1) {
        const { status, retryAfterMs } = await send(bases[turn % bases.length] ?? '', step, token);
        record.answers.push(status);
        record.replicas.push(turn % bases.length);
        if (status >= 200 && status < 300) break;
        if (status >= 400 && status < 500) {
          record.outcome = 'refused';
          return;
        }
        if (Date.now() > deadline) {
          record.outcome = 'unknown';
          return;
        }
        // A lost connection is tried at once on another replica, as a balancer would; alone, a pause.
        const lost = status === 0 && bases.length > 1 ? 50 : 300;
        await sleep(status === 503 ? Math.min(retryAfterMs, this.options.maxRetryAfterMs ?? 2_000) : lost);
      }
    }
    record.outcome = 'accepted';
    record.acceptedAt = Date.now();
  }
}

const send = async (base: string, step: Step, token: string): Promise<{ status: number; retryAfterMs: number }> => {
  try {
    const res = await fetch(`${base}${step.path}`, {
      method: step.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': step.key },
      body: JSON.stringify(step.body),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
    return { status: res.status, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1_000 : 1_000 };
  } catch {
    return { status: 0, retryAfterMs: 0 };
  }
};

export interface PhaseCounts {
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  readonly unknown: number;
  /** Answers, over every attempt: 503s (with Retry-After), 500s, other 5xx, lost connections. */
  readonly answers503: number;
  readonly answers500: number;
  readonly answersOther5xx: number;
  readonly connectionErrors: number;
  readonly retried: number;
}

export const countsOf = (commands: readonly CommandRecord[]): PhaseCounts => {
  const answers = commands.flatMap((c) => c.answers);
  return {
    sent: commands.length,
    accepted: commands.filter((c) => c.outcome === 'accepted').length,
    refused: commands.filter((c) => c.outcome === 'refused').length,
    unknown: commands.filter((c) => c.outcome === 'unknown' || c.outcome === 'pending').length,
    answers503: answers.filter((s) => s === 503).length,
    answers500: answers.filter((s) => s === 500).length,
    answersOther5xx: answers.filter((s) => s > 500 && s !== 503).length,
    connectionErrors: answers.filter((s) => s === 0).length,
    retried: commands.filter((c) => c.answers.length > c.steps.length).length,
  };
};
