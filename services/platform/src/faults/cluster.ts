import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { deadLetterTopic, TOPICS } from '@tashghil/contracts';
import { kafkaClient } from '@tashghil/messaging';
import { CONFIG_DEFAULTS } from '@tashghil/service-kit';
import type { Endpoint } from './checks';
import { freePort, repoRoot, serviceDatabaseEnv, stopProcess, waitReady } from '@tashghil/testing';

const run = promisify(execFile);

export const SERVICES = ['conventions', 'matching', 'subsidies', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface InfraSettings {
  /** Under /var/tmp by default: the postgres OS user must be able to reach it. */
  readonly stateDir: string;
  readonly pgPort: number;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  /** Partitions of every topic: the services' own default unless FAULTS_PARTITIONS says otherwise. */
  readonly partitions: number;
}

export const infraSettings = (env: NodeJS.ProcessEnv = process.env): InfraSettings => ({
  stateDir: env.FAULTS_STATE ?? '/var/tmp/tashghil-faults',
  pgPort: Number(env.FAULTS_PGPORT ?? 55432),
  kafkaPort: Number(env.FAULTS_KAFKA_PORT ?? 19092),
  kafkaControllerPort: Number(env.FAULTS_KAFKA_CONTROLLER_PORT ?? 19093),
  partitions: Number(env.FAULTS_PARTITIONS ?? CONFIG_DEFAULTS.kafkaPartitions),
});

/**
 * A PostgreSQL server and a Kafka broker of the suite's own, started through the same infra/ scripts
 * as every other run but on other ports and another state directory, so that stopping them harms no
 * one else's tests.
 */
export class PrivateInfra {
  readonly databaseUrl: string;
  readonly kafkaBrokers: string;

  constructor(readonly settings: InfraSettings) {
    this.databaseUrl = `postgres://tashghil:tashghil@127.0.0.1:${settings.pgPort}/tashghil`;
    this.kafkaBrokers = `127.0.0.1:${settings.kafkaPort}`;
  }

  private async script(path: string): Promise<void> {
    const { stateDir, pgPort, kafkaPort, kafkaControllerPort } = this.settings;
    try {
      await run('bash', [join(repoRoot, path)], {
        env: {
          ...process.env,
          TASHGHIL_STATE: stateDir,
          PGPORT: String(pgPort),
          KAFKA_PORT: String(kafkaPort),
          KAFKA_CONTROLLER_PORT: String(kafkaControllerPort),
        },
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`${path} failed: ${stderr?.trim().split('\n').slice(-8).join('\n') ?? String(error)}`);
    }
  }

  startPostgres = (): Promise<void> => this.script('infra/postgres/start.sh');
  stopPostgres = (): Promise<void> => this.script('infra/postgres/stop.sh');
  startKafka = (): Promise<void> => this.script('infra/kafka/start.sh');
  stopKafka = (): Promise<void> => this.script('infra/kafka/stop.sh');

  /** Stops whatever an earlier run left and starts both servers on empty state. */
  async fresh(): Promise<void> {
    await Promise.all([this.stopPostgres(), this.stopKafka()]);
    rmSync(this.settings.stateDir, { recursive: true, force: true });
    await this.startPostgres();
    await this.startKafka();
    await this.createTopics();
  }

  /**
   * Every context topic and its dead-letter topic, made before any service starts. On a fresh KRaft
   * broker, services racing in ensureTopics (createTopics with waitForLeaders) can meet
   * UNKNOWN_TOPIC_OR_PARTITION, which kafkajs throws from a timer: an uncaught exception that kills
   * the process. Here the leaders are awaited by polling metadata.
   */
  private async createTopics(): Promise<void> {
    const topics = Object.values(TOPICS).flatMap((t) => [t, deadLetterTopic(t)]);
    const { partitions } = this.settings;
    const admin = kafkaClient(this.kafkaBrokers, 'faults-setup').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
        if (
          metadata?.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))
        )
          return;
        if (Date.now() > deadline) throw new Error('the topics have no leaders after 30 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.stopPostgres(), this.stopKafka()]);
  }
}

/** Replicas of every service: two by default, as the smallest set where one can die and one serve. */
export const replicaCount = (env: NodeJS.ProcessEnv = process.env): number =>
  Math.max(1, Number(env.FAULTS_REPLICAS ?? 2));

/** One process of a service, on a port of its own that it keeps across restarts. */
export interface Replica {
  readonly service: ServiceName;
  readonly index: number;
  readonly base: string;
  /** The current process; replaced by a restart. */
  process?: ChildProcess;
}

/** A line a relay logged when its replica took or lost its context's lease (libs/service-kit bootstrap.ts). */
export interface LeaseLogLine {
  readonly replica: string;
  readonly pid: number;
  readonly context: string;
  readonly holding: boolean;
  readonly at: number;
}

const PINO_LEVELS: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

const WARN_LEVEL = 40;
/** Lines of a replica's output kept for a failure's message. */
const TAIL_LINES = 40;

export const replicaName = (r: Pick<Replica, 'service' | 'index'>): string => `${r.service}#${r.index + 1}`;

/**
 * The four services, each as `replicaCount()` processes on the private servers, all on one database
 * and one broker as replicas behind a load balancer would be. The processes log at info so that the
 * relays' lease changes can be read off their output; lines at `echoLevel` and above are echoed.
 */
export class Services {
  readonly leaseLog: LeaseLogLine[] = [];
  /** The last lines each replica's current process wrote to stderr or logged at warn and above. */
  private readonly tails = new Map<string, string[]>();
  private readonly replicas: Readonly<Record<ServiceName, readonly Replica[]>>;

  private constructor(
    private readonly infra: PrivateInfra,
    ports: Readonly<Record<ServiceName, readonly number[]>>,
    private readonly env: Readonly<Record<string, string>>,
    private readonly echoLevel: number,
  ) {
    const replicas: Partial<Record<ServiceName, Replica[]>> = {};
    for (const service of SERVICES)
      replicas[service] = ports[service].map((port, index) => ({ service, index, base: `http://127.0.0.1:${port}` }));
    this.replicas = replicas as Record<ServiceName, Replica[]>;
  }

  static async allocate(
    infra: PrivateInfra,
    env: Record<string, string>,
    options: { replicas?: number; echoLevel?: string } = {},
  ): Promise<Services> {
    const ports: Partial<Record<ServiceName, number[]>> = {};
    for (const name of SERVICES) {
      ports[name] = [];
      for (let i = 0; i < (options.replicas ?? replicaCount()); i += 1) ports[name].push(await freePort());
    }
    return new Services(
      infra,
      ports as Record<ServiceName, number[]>,
      env,
      PINO_LEVELS[options.echoLevel ?? 'error'] ?? 50,
    );
  }

  replicasOf(name: ServiceName): readonly Replica[] {
    return this.replicas[name];
  }

  /** Every replica's address, the pool a load balancer spreads a service's requests over. */
  bases(name: ServiceName): string[] {
    return this.replicas[name].map((r) => r.base);
  }

  /** A replica that is running, for the test's own calls (checks, probes). */
  base(name: ServiceName): string {
    const live = this.replicas[name].find((r) => running(r.process));
    return (live ?? this.replicas[name][0])?.base ?? '';
  }

  /** The replicas whose process runs, as the checks ask them. */
  live(): Endpoint[] {
    return SERVICES.flatMap((s) => this.replicas[s])
      .filter((r) => running(r.process))
      .map((r) => ({ name: replicaName(r), base: r.base }));
  }

  /** The replica whose current process has this pid: a lease's holder names its pid. */
  byPid(pid: number): Replica | undefined {
    return SERVICES.flatMap((s) => this.replicas[s]).find((r) => r.process?.pid === pid);
  }

  start(replica: Replica): ChildProcess {
    const p = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(repoRoot, `services/${replica.service}/src/main.ts`)],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          TASHGHIL_MODE: 'distributed',
          ...serviceDatabaseEnv(replica.service, this.infra.databaseUrl),
          KAFKA_BROKERS: this.infra.kafkaBrokers,
          PORT: new URL(replica.base).port,
          ...this.env,
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const name = replicaName(replica);
    this.tails.set(name, []);
    if (p.stdout) createInterface({ input: p.stdout }).on('line', (line) => this.read(name, line));
    // Echoed as it comes, and the last lines kept: a replica that dies is explained by the failure itself.
    if (p.stderr)
      createInterface({ input: p.stderr }).on('line', (line) => {
        this.keep(name, line);
        process.stderr.write(`[${name}] ${line}\n`);
      });
    replica.process = p;
    return p;
  }

  private read(replica: string, line: string): void {
    let entry: {
      level?: number;
      time?: number | string;
      pid?: number;
      msg?: string;
      context?: string;
      holding?: boolean;
    };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if ((entry.msg === 'relay leads' || entry.msg === 'relay follows') && entry.context !== undefined)
      this.leaseLog.push({
        replica,
        pid: entry.pid ?? 0,
        context: entry.context,
        holding: entry.msg === 'relay leads',
        // The services' logger writes ISO times (libs/service-kit logger.ts); pino's default is epoch ms.
        at: typeof entry.time === 'string' ? Date.parse(entry.time) : (entry.time ?? Date.now()),
      });
    if ((entry.level ?? 0) >= WARN_LEVEL) this.keep(replica, line);
    if ((entry.level ?? 0) >= this.echoLevel) process.stderr.write(`[${replica}] ${line}\n`);
  }

  private keep(replica: string, line: string): void {
    const tail = this.tails.get(replica);
    if (!tail) return;
    tail.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
    if (tail.length > TAIL_LINES) tail.shift();
  }

  /** What the replicas that died unbidden last wrote: for a failure's message. */
  postmortem(): string {
    return this.dead()
      .map((r) => {
        const name = replicaName(r);
        const tail = this.tails.get(name) ?? [];
        return `${name} exited (${r.process?.exitCode ?? r.process?.signalCode}); its last lines:\n${tail.join('\n') || '(none)'}`;
      })
      .join('\n');
  }

  /** The lease changes the relays logged, for a failure's message. */
  leaseHistory(context: string): string {
    return this.leaseLog
      .filter((l) => l.context === context)
      .map((l) => `${new Date(l.at).toISOString()} ${l.replica} (pid ${l.pid}) ${l.holding ? 'leads' : 'follows'}`)
      .join('; ');
  }

  /**
   * Every replica, the first of each service together; the other reporting replicas only once the
   * first has built the read model, since two first builds on one database would undo each other
   * (services/reporting generations.ts, ensureReadModel). The others' migrations share a lock.
   */
  async startAll(readyWithinMs = 120_000): Promise<void> {
    const [firstReporting, ...otherReporting] = this.replicas.reporting;
    for (const name of SERVICES) for (const r of this.replicas[name]) if (name !== 'reporting') this.start(r);
    if (firstReporting) {
      this.start(firstReporting);
      await this.ready(firstReporting, readyWithinMs);
    }
    for (const r of otherReporting) this.start(r);
    await Promise.all(SERVICES.flatMap((name) => this.replicas[name]).map((r) => this.ready(r, readyWithinMs)));
    // A replica that died at its start is not hidden by another answering ready on the same port.
    if (this.exited().length > 0) throw new Error(`replicas died at their start:\n${this.postmortem()}`);
  }

  /** Resolves once the replica answers ready; fails as soon as its process exits. */
  private async ready(replica: Replica, ms: number): Promise<void> {
    const p = replica.process;
    if (!p) throw new Error(`${replicaName(replica)} was never started`);
    let onExit: (() => void) | undefined;
    const died = new Promise<never>((_, reject) => {
      onExit = () => reject(new Error(`${replicaName(replica)} died at its start:\n${this.postmortem()}`));
      if (!running(p)) onExit();
      else p.once('close', onExit);
    });
    try {
      await Promise.race([waitReady(replica.base, ms), died]);
    } finally {
      if (onExit) p.off('close', onExit);
    }
  }

  /** SIGKILL: no shutdown hook runs, whatever the process was in the middle of is cut. */
  async kill(replica: Replica): Promise<void> {
    const p = replica.process;
    if (!running(p)) throw new Error(`${replicaName(replica)} is not running`);
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
  }

  /** The replicas whose current process has died: the suite restarts only the one it killed. */
  exited(): string[] {
    return this.dead().map((r) => `${replicaName(r)} (${r.process?.exitCode ?? r.process?.signalCode})`);
  }

  private dead(): Replica[] {
    return SERVICES.flatMap((s) => this.replicas[s]).filter((r) => r.process && !running(r.process));
  }

  async stopAll(): Promise<void> {
    const all = SERVICES.flatMap((s) => this.replicas[s]).flatMap((r) => (r.process ? [r.process] : []));
    await Promise.all(all.map((p) => stopProcess(p)));
  }
}

const running = (p: ChildProcess | undefined): p is ChildProcess =>
  p !== undefined && p.exitCode === null && p.signalCode === null;
