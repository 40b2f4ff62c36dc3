import type { SqlClient } from '@tashghil/event-store';
import type { ServiceSpec } from '@tashghil/service-kit';
import type { Kafka } from 'kafkajs';
import type { Parsed } from './args';
import type { Progress } from './progress';

export { EXIT } from './audit-command';

/** What one `tashghil ops` command runs with. The store is opened only by the commands that read it. */
export interface OpsContext {
  readonly p: Parsed;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly progress: Progress;
  /** The store's database, opened on first use and closed when the command ends. */
  readonly db: () => Promise<SqlClient>;
  /** The broker, when KAFKA_BROKERS names one (the distributed mode); undefined in the embedded mode. */
  readonly kafka: Kafka | undefined;
  /** KAFKA_TOPIC_PREFIX: the deployment's topics and consumer groups carry it on the broker. */
  readonly prefix: string;
  /** The composition whose consumers these are: their handled types, and what an embedded replay starts. */
  readonly service: ServiceSpec;
  readonly fetch: typeof fetch;
}

export interface OpsCommand {
  readonly help: string;
  /** Usage checks that need no store. */
  readonly check?: (p: Parsed) => void;
  readonly run: (ctx: OpsContext) => Promise<number>;
}

/** `3 min`, `2 h`, `4 d`: how long ago, to the unit a person reads. */
export const ago = (seconds: number): string => {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
};
