import { startService } from '@tashghil/service-kit';
import { IllegalStateError, type SqlClient } from '@tashghil/event-store';
import {
  KafkaPublisher,
  listDeadLetters,
  replayDeadLetters,
  replayOutcome,
  type DeadLetter,
  type Publisher,
  type Replay,
} from '@tashghil/messaging';
import { UsageError, valueOf, type Parsed } from './args';
import { ago, EXIT, type OpsCommand, type OpsContext } from './ops-command';

const describe = (d: DeadLetter): string[] => [
  `#${d.id} ${d.consumer} ${d.topic}/${d.partition}@${d.offset}, ${ago(d.ageSeconds)} ago: ${d.reason}` +
    `${d.eventType ? `, ${d.eventType}` : ''}${d.eventId ? ` ${d.eventId}` : ''}` +
    `${d.replayOf ? ` (a replay of #${d.replayOf})` : ''}${d.replayedAt ? `, replayed ${d.replayedAt}` : ''}`,
  `    ${(d.error.split('\n')[0] ?? '').slice(0, 300)}`,
];

/** The row as an operator's script wants it: the stored value and headers are left to `--json --full`. */
const summary = (d: DeadLetter, full: boolean) => {
  const { value: _value, headers: _headers, key, ...rest } = d;
  return full ? d : { ...rest, key };
};

const list = async ({ p, out, db }: OpsContext): Promise<number> => {
  const consumer = valueOf(p, 'consumer');
  const topic = valueOf(p, 'topic');
  const rows = await listDeadLetters(await db(), {
    ...(consumer ? { consumer } : {}),
    ...(topic ? { topic } : {}),
    all: p.flags.all === true,
  });
  if (p.flags.json) {
    out(JSON.stringify({ deadLetters: rows.map((d) => summary(d, p.flags.full === true)) }));
  } else if (rows.length === 0) {
    out(p.flags.all ? 'no dead letters' : 'no dead letters waiting');
  } else {
    for (const d of rows) for (const line of describe(d)) out(line);
  }
  return EXIT.ok;
};

const ids = (p: Parsed): string[] => {
  if (p.args.length === 0)
    throw new UsageError(
      'name the dead letters to replay by id, e.g. tashghil ops replay 12 13 (see tashghil ops dead-letters)',
    );
  const bad = p.args.find((a) => !/^[1-9]\d{0,17}$/.test(a));
  if (bad !== undefined)
    throw new UsageError(`${bad} is not a dead letter id (a whole number, as ops dead-letters lists them)`);
  return [...p.args];
};

const report = (out: (s: string) => void, r: Replay, also: string): void => {
  const d = r.deadLetter;
  const others = r.marked.filter((id) => id !== d.id);
  out(
    `#${d.id}: republished to ${d.topic} (key ${d.key ?? 'none'})${also}${others.length > 0 ? `; also marked replayed: ${others.map((i) => `#${i}`).join(', ')} (other consumers of the same message)` : ''}`,
  );
};

/**
 * The distributed mode: the stored message goes back to its topic through the broker, and the
 * running consumers take it as any other (their inbox drops what they have already applied).
 */
const replayOnKafka = async (ctx: OpsContext, wanted: string[], publisher: Publisher): Promise<number> => {
  const { p, out } = ctx;
  const db = await ctx.db();
  const done = await replayDeadLetters(db, publisher, wanted, {
    force: p.flags.force === true,
    dryRun: p.flags['dry-run'] === true,
  });
  if (p.flags.json) {
    out(
      JSON.stringify({
        mode: 'kafka',
        dryRun: p.flags['dry-run'] === true,
        replayed: done.map((r) => ({
          id: r.deadLetter.id,
          topic: r.deadLetter.topic,
          key: r.message.key,
          marked: r.marked,
        })),
      }),
    );
    return EXIT.ok;
  }
  for (const r of done) {
    if (p.flags['dry-run'])
      out(
        `#${r.deadLetter.id}: would republish to ${r.deadLetter.topic} (key ${r.deadLetter.key ?? 'none'}): ${r.deadLetter.eventType ?? 'no event type'} ${r.deadLetter.eventId ?? ''} (dry run: nothing published)`,
      );
    else
      report(
        out,
        r,
        '; the broker acknowledged it; the consumer applies it as it comes (a new dead letter if it fails again)',
      );
  }
  return EXIT.ok;
};

/**
 * The embedded mode has no broker to hand the message to: the platform's consumers run in its own
 * process, on the in-process bus. So the replay starts the composition here, on the stopped
 * platform's store (PGlite opens a directory in one process only), publishes on its bus (which
 * resolves once every consumer has processed), and marks the row only once its consumer has applied
 * it or dead-lettered it again.
 */
const replayEmbedded = async (ctx: OpsContext, wanted: string[]): Promise<number> => {
  const { p, out, env } = ctx;
  if (p.flags['dry-run']) {
    // A dry run needs no consumer: the store alone tells what would be published.
    return replayOnKafka(ctx, wanted, { publish: async () => undefined, close: async () => undefined });
  }
  const service = await startService(
    ctx.service,
    {
      ...env,
      TASHGHIL_MODE: 'embedded',
      PORT: '0',
      TASHGHIL_DEMO: 'false',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    },
    { logDestination: process.stderr },
  );
  let failedAgain = false;
  try {
    const db: SqlClient = service.runtime.db;
    const outcomes = new Map<string, string>();
    const done = await replayDeadLetters(db, service.runtime.publisher, wanted, {
      force: p.flags.force === true,
      confirm: async (d) => {
        const o = await replayOutcome(db, d);
        if (o.kind === 'not-seen') {
          throw new IllegalStateError(
            'REPLAY_NOT_SEEN',
            `dead letter ${d.id}: consumer ${d.consumer} neither applied its replay nor dead-lettered it again (does it still handle ${d.eventType ?? 'this message'}?); left unreplayed`,
          );
        }
        if (o.kind === 'dead-lettered-again') failedAgain = true;
        outcomes.set(d.id, o.kind === 'applied' ? `applied by ${d.consumer}` : `FAILED AGAIN: dead letter #${o.id}`);
      },
    });
    if (p.flags.json)
      out(
        JSON.stringify({
          mode: 'embedded',
          replayed: done.map((r) => ({
            id: r.deadLetter.id,
            topic: r.deadLetter.topic,
            marked: r.marked,
            outcome: outcomes.get(r.deadLetter.id),
          })),
        }),
      );
    else for (const r of done) report(out, r, `: ${outcomes.get(r.deadLetter.id) ?? ''}`);
  } finally {
    await service.stop();
  }
  return failedAgain ? EXIT.broken : EXIT.ok;
};

const replay = async (ctx: OpsContext): Promise<number> => {
  const wanted = ids(ctx.p);
  if (!ctx.kafka) return replayEmbedded(ctx, wanted);
  const publisher = new KafkaPublisher(ctx.kafka, ctx.prefix);
  try {
    return await replayOnKafka(ctx, wanted, publisher);
  } finally {
    await publisher.close();
  }
};

export const DEAD_LETTERS: OpsCommand = {
  help: `tashghil ops dead-letters [--consumer <name>] [--topic <topic>] [--all] [--json [--full]]

  Lists the messages consumers could not apply and have not been replayed: id, consumer, original
  topic/partition@offset, how long ago, the reason and the error, and the event's type and id when
  its headers or value name them. --all lists replayed ones too; a replay that failed again is a
  new row that names the one it replays. --json --full adds the stored key, value and headers.

  Exit 0 listed, 2 bad usage, 3 store unavailable.`,
  check: (p) => {
    valueOf(p, 'consumer');
    valueOf(p, 'topic');
  },
  run: list,
};

export const REPLAY: OpsCommand = {
  help: `tashghil ops replay <id>… [--dry-run] [--force] [--json]

  Publishes each dead letter again, once its cause is fixed: the stored key, value and headers go
  back to the original topic with the header tashghil-replay-of-dead-letter: <id>, and the row is
  marked replayed only after that (other consumers' dead letters of the same message with it, as
  the message reaches every consumer of the topic). A consumer applies an event id once, so a
  message replayed twice, or to a consumer that had applied it, changes nothing; one that fails
  again becomes a new dead letter.

  Distributed mode (KAFKA_BROKERS set, with KAFKA_TOPIC_PREFIX as the services have it): published
  through the broker, applied by the running consumers. Embedded mode (no KAFKA_BROKERS): stop the
  platform first; the command starts its consumers here, replays on their in-process bus, reports
  what each did, and stops them.

  All ids are checked before anything is published. --force replays ones already replayed;
  --dry-run checks and shows, publishing nothing.

  Exit 0 replayed, 1 already replayed (without --force) or failed again (embedded), 2 bad usage,
  3 store or broker unavailable, 4 no such dead letter.`,
  check: (p) => void ids(p),
  run: replay,
};
