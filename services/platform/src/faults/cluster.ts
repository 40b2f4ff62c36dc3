import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deadLetterTopic, TOPICS } from '@tashghil/contracts';
import { kafkaClient } from '@tashghil/messaging';
import { freePort, repoRoot, spawnService, stopProcess, waitReady } from '@tashghil/testing';

const run = promisify(execFile);

export const SERVICES = ['conventions', 'matching', 'subsidies', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface InfraSettings {
  /** Under /var/tmp by default: the postgres OS user must be able to reach it. */
  readonly stateDir: string;
  readonly pgPort: number;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
}

export const infraSettings = (env: NodeJS.ProcessEnv = process.env): InfraSettings => ({
  stateDir: env.FAULTS_STATE ?? '/var/tmp/tashghil-faults',
  pgPort: Number(env.FAULTS_PGPORT ?? 55432),
  kafkaPort: Number(env.FAULTS_KAFKA_PORT ?? 19092),
  kafkaControllerPort: Number(env.FAULTS_KAFKA_CONTROLLER_PORT ?? 19093),
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
    const admin = kafkaClient(this.kafkaBrokers, 'faults-setup').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
      });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
        if (metadata?.topics.every((t) => t.partitions.length === 3 && t.partitions.every((p) => p.leader >= 0)))
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

/**
 * The four services as separate processes on the private servers. Each keeps its port across a
 * restart, so the load generator's clients find it again where they left it.
 */
export class Services {
  private readonly processes = new Map<ServiceName, ChildProcess>();

  private constructor(
    private readonly infra: PrivateInfra,
    private readonly ports: Readonly<Record<ServiceName, number>>,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  static async allocate(infra: PrivateInfra, env: Record<string, string>): Promise<Services> {
    const ports: Partial<Record<ServiceName, number>> = {};
    for (const name of SERVICES) ports[name] = await freePort();
    return new Services(infra, ports as Record<ServiceName, number>, env);
  }

  base(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports[name]}`;
  }

  start(name: ServiceName): ChildProcess {
    const p = spawnService(name, this.ports[name], this.infra.databaseUrl, {
      KAFKA_BROKERS: this.infra.kafkaBrokers,
      ...this.env,
    });
    this.processes.set(name, p);
    return p;
  }

  async startAll(readyWithinMs = 120_000): Promise<void> {
    // Reporting builds its first generation on start; the others' migrations share a lock anyway.
    for (const name of SERVICES) this.start(name);
    await this.waitAllReady(readyWithinMs);
  }

  async waitAllReady(ms: number): Promise<void> {
    await Promise.all(SERVICES.map((name) => waitReady(this.base(name), ms)));
  }

  /** SIGKILL: no shutdown hook runs, whatever the process was in the middle of is cut. */
  async kill(name: ServiceName): Promise<void> {
    const p = this.processes.get(name);
    if (!p || p.exitCode !== null || p.signalCode !== null) throw new Error(`${name} is not running`);
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
  }

  /** The services whose current process has died: the suite restarts only the one it killed, at once. */
  exited(): string[] {
    return [...this.processes]
      .filter(([, p]) => p.exitCode !== null || p.signalCode !== null)
      .map(([name, p]) => `${name} (${p.exitCode ?? p.signalCode})`);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => stopProcess(p)));
  }
}
