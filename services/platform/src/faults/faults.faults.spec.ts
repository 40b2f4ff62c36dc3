/**
 * Fault tolerance, proven against real processes. The suite starts a PostgreSQL server and a Kafka
 * broker of its own (infra/ scripts, other ports, state under /var/tmp/tashghil-faults) so it may
 * stop them, and two replicas of each of the four services as separate processes on them, each on
 * its own port (FAULTS_REPLICAS). A bounded load (one worker per command kind, 12 commands/s in all,
 * spread over the replicas as a load balancer would, each command retried on the next replica under
 * its Idempotency-Key) runs through every phase, and each phase injects one fault while it runs:
 *
 * 1. SIGKILL the conventions replica holding the relay lease; the other takes over publishing;
 * 2. SIGKILL the subsidies replica holding the relay lease, while its consumer has target sets to apply;
 * 3. SIGKILL a reporting replica while the live projection is behind;
 * 4. SIGKILL the matching replica computing a batch run, mid-way through recording its proposals;
 * 5. stop the Kafka broker for 20 s, then start it;
 * 6. restart the PostgreSQL server (down 10 s): commands get 503 with Retry-After, never 500;
 * 7. poison and oversized messages on every partition of every consumed topic.
 * A killed replica is started again only once the system has recovered without it.
 *
 * After each phase: every accepted command's events are in the store once, in every consumer and in
 * the read model, the read model equals a fresh rebuild (checksums per table), and the services
 * recovered by themselves (only a killed process is restarted, by the test). The measures, with the
 * relay handover times, go to artifacts/faults/report.md and report.json.
 */
import { PgSqlClient, verifyChains } from '@tashghil/event-store';
import {
  ADMIN,
  compareWithRebuild,
  deadLettersSince,
  exactlyOnce,
  findCommands,
  lastDeadLetterId,
  waitCaughtUp,
} from './checks';
import { infraSettings, PrivateInfra, replicaCount, Services, type ServiceName } from './cluster';
import { countsOf, LoadGenerator } from './load-generator';
import { RunInterruption } from './matching-run';
import { deadLetterTopicCounts, notDeadLettered, sendPoison, stalledPartitions, type SentPoison } from './poison';
import { ReplicaFaults } from './replica-faults';
import { writeReport, type InterruptedRun, type PhaseResult } from './report';

const RATE = Number(process.env.FAULTS_RATE ?? 12);
const WARM_MS = 3_000;
const AFTER_MS = 3_000;
const RECOVERY_BOUND_S = 120;
/** The relays' lease lasts 5 s and is retried every second (libs/messaging lease.ts): a handover well within this. */
const HANDOVER_BOUND_S = 30;
/** Seekers for the interrupted run: with the load's offers, enough proposals for dozens of chunks. */
const RUN_SEEKERS = 160;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('fault tolerance under a steady load, on real processes', () => {
  const infra = new PrivateInfra(infraSettings());
  let services: Services;
  let db: PgSqlClient;
  let load: LoadGenerator;
  let faults: ReplicaFaults;
  let run: InterruptedRun | undefined;
  const results: PhaseResult[] = [];
  const started = Date.now();
  const prefix = `f${Date.now().toString(36)}`;
  const base = (s: ServiceName): string => services.base(s);
  const endpoints = () => services.live();
  const meta = () => ({
    run: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1_000),
    rate: `${RATE} commands/s, 4 in flight at most`,
    replicas: `${replicaCount()} of each service`,
    partitions: infra.settings.partitions,
    postgres: infra.databaseUrl.replace(/:[^:@/]+@/, ':***@'),
    kafka: infra.kafkaBrokers,
  });

  beforeAll(async () => {
    await infra.fresh();
    services = await Services.allocate(
      infra,
      // A run's chunks small, its claim short and looked for often, so that it is interrupted
      // mid-way and taken over within seconds (services/matching run-jobs.ts reads these).
      { MATCHING_RUN_CHUNK_SIZE: '1', MATCHING_RUN_LEASE_MS: '5000', MATCHING_RUN_SWEEP_MS: '1000' },
      { echoLevel: process.env.FAULTS_LOG_LEVEL ?? 'error' },
    );
    await services.startAll(240_000);
    db = PgSqlClient.fromUrl(infra.databaseUrl, 4);
    load = new LoadGenerator({ bases: (s) => services.bases(s), rate: RATE, prefix });
    faults = new ReplicaFaults(services, db, load, RECOVERY_BOUND_S * 1_000);
  }, 300_000);

  afterAll(async () => {
    writeReport(results, meta());
    await load?.stop();
    await services?.stopAll();
    await db?.close();
    if (process.env.FAULTS_KEEP_INFRA !== 'true') await infra.stop();
  }, 120_000);

  /**
   * One phase: load, fault, recovery, more load, drain, checks. `inject` returns once the fault has
   * ended (the survivors took over, the server started again), plus notes for the report;
   * `afterRecovery` runs once everything sent before then is found (a killed replica restarts there),
   * `afterQuiet` once every lag reads zero. A failed phase leaves the next ones whole.
   */
  const phase = async (
    name: string,
    fault: string,
    inject: () => Promise<string[]>,
    afterRecovery?: () => Promise<string[]>,
    afterQuiet?: () => Promise<string[]>,
  ): Promise<PhaseResult> => {
    try {
      load.setPhase(name);
      const deadLettersBefore = await lastDeadLetterId(db);
      load.start();
      await sleep(WARM_MS);
      const notes = await inject();
      const faultEnded = Date.now();
      const sentBefore = () => load.commands.filter((c) => c.sentAt <= faultEnded);
      const recoverySeconds = await waitCaughtUp(db, endpoints, sentBefore, {
        ms: RECOVERY_BOUND_S * 1_000,
        zeroLag: false,
      });
      notes.push(...((await afterRecovery?.()) ?? []));
      await sleep(AFTER_MS);
      await load.stop();
      const quiescenceSeconds = await waitCaughtUp(db, endpoints, () => load.commands, { ms: 120_000, zeroLag: true });
      notes.push(...((await afterQuiet?.()) ?? []));
      const mine = load.commands.filter((c) => c.phase === name);
      const { found } = await findCommands(
        db,
        mine.filter((c) => c.outcome === 'accepted'),
      );
      const deadLetters = await deadLettersSince(db, deadLettersBefore);
      if (!name.startsWith('poison')) notes.push(`dead letters during the phase: ${deadLetters.length}`);
      const result: PhaseResult = {
        name,
        fault,
        counts: countsOf(mine),
        found,
        exactlyOnce: await exactlyOnce(db, mine),
        checksum: await compareWithRebuild(base('reporting')),
        recoverySeconds,
        quiescenceSeconds,
        notes,
        ...(faults.handover ? { handover: faults.handover } : {}),
        ...(run ? { run } : {}),
      };
      results.push(result);
      writeReport(results, { ...meta(), partial: true });
      return result;
    } catch (error) {
      // Read before the killed replica is started again: CI may show no more than this message.
      const dead = services.postmortem();
      await load.stop();
      await faults.restore();
      if (dead && error instanceof Error) error.message += `\n${dead}`;
      throw error;
    } finally {
      faults.handover = undefined;
      run = undefined;
    }
  };

  const expectSound = (r: PhaseResult, deadLettersExpected = false): void => {
    if (services.exited().length > 0) throw new Error(`replicas died during the phase:\n${services.postmortem()}`);
    expect(r.counts.answers500).toBe(0);
    expect(r.counts.answersOther5xx).toBe(0);
    expect(r.counts.unknown).toBe(0);
    expect(r.counts.refused).toBe(0);
    expect(r.counts.accepted).toBeGreaterThan(0);
    expect(r.found).toBe(r.counts.accepted);
    expect(r.exactlyOnce.problems).toEqual([]);
    expect(r.checksum.differing).toEqual([]);
    expect(r.recoverySeconds).toBeLessThanOrEqual(RECOVERY_BOUND_S);
    if (!deadLettersExpected) expect(r.notes).toContain('dead letters during the phase: 0');
  };

  const expectHandedOver = (r: PhaseResult, context: string): void => {
    expect(r.handover?.context).toBe(context);
    expect(r.handover?.survivor).not.toBe(r.handover?.killed);
    expect(r.handover?.publishSeconds).toBeLessThanOrEqual(HANDOVER_BOUND_S);
  };

  const restart = () => faults.restart();
  const restartTime = () => faults.restartTime();

  it('keeps publishing when the replica holding the relay lease is SIGKILLed (conventions)', async () => {
    const r = await phase(
      'kill relay',
      'SIGKILL of the conventions replica holding the conventions relay lease; the other takes over; restarted once recovered.',
      () => faults.kill('conventions'),
      restart,
      restartTime,
    );
    expectSound(r);
    expectHandedOver(r, 'conventions');
  });

  it('recovers from a SIGKILL of a consuming replica mid-stream (subsidies, consuming target sets)', async () => {
    const r = await phase(
      'kill consumer',
      'SIGKILL of the subsidies replica holding the subsidies relay lease, while its consumer applies ProgrammeTargetsSet; restarted once recovered.',
      () => faults.kill('subsidies'),
      restart,
      restartTime,
    );
    expectSound(r);
    expectHandedOver(r, 'subsidies');
  });

  it('recovers from a SIGKILL of a projecting replica mid-projection (reporting)', async () => {
    const r = await phase(
      'kill projector',
      'SIGKILL of a reporting replica while the live projection is behind; its partitions pass to the other; restarted once recovered.',
      () => faults.kill('reporting'),
      restart,
      restartTime,
    );
    expectSound(r);
  });

  it('finishes a batch matching run on another replica when the one computing it is SIGKILLed mid-way', async () => {
    const interruption = new RunInterruption(services, db, faults, `${prefix}-run`, RECOVERY_BOUND_S * 1_000);
    const r = await phase(
      'kill matching mid-run',
      `SIGKILL of the matching replica computing a batch run (over ${RUN_SEEKERS} seekers registered for it), while it records its proposals; restarted once recovered.`,
      () => interruption.inject(prefix, RUN_SEEKERS),
      async () => {
        const finished = await interruption.finish();
        run = finished.run;
        return [...finished.notes, ...(await restart())];
      },
      restartTime,
    );
    expectSound(r);
    // The run is asked of the relay's holder, which computes it, unless the other replica's sweep
    // claimed it first (services/matching run-jobs.ts): then this kill hands no relay over.
    if (r.notes.some((n) => n.includes('holding the relay lease'))) expectHandedOver(r, 'matching');
    expect(r.run?.problems).toEqual([]);
    expect(r.run?.proposals).toBeGreaterThan(0);
    expect(r.run?.interruptedMidway).toBe(true);
    expect(r.run?.attempts).toBeGreaterThanOrEqual(2);
    expect(r.run?.survivor).not.toBe(r.run?.killed);
  });

  it('carries on through 20 s without the Kafka broker', async () => {
    const r = await phase(
      'kafka down 20 s',
      'The broker stopped (SIGTERM), left down 20 s, started again; no service restarted.',
      async () => {
        await infra.stopKafka();
        const down = Date.now();
        await sleep(20_000);
        const accepted = load.commands.filter((c) => c.acceptedAt !== undefined && c.acceptedAt >= down).length;
        await infra.startKafka();
        return [`commands accepted while the broker was down: ${accepted}`];
      },
    );
    expectSound(r);
    expect(r.notes.some((n) => /while the broker was down: [1-9]/.test(n))).toBe(true);
  });

  it('answers 503 with Retry-After while PostgreSQL restarts, and leaves no partial write', async () => {
    const seen: Array<{ status: number; retryAfter: string | null; code: unknown }> = [];
    const r = await phase(
      'postgres restart',
      'The PostgreSQL server stopped (fast shutdown), left down 10 s, started again; no service restarted.',
      async () => {
        await infra.stopPostgres();
        const until = Date.now() + 10_000;
        while (Date.now() < until) {
          const res = await fetch(`${base('conventions')}/conventions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              conventionId: `probe-${Date.now()}`,
              region: 'MA-01',
              title: 'Sonde',
              period: { start: '2025-01-01', end: '2025-12-31' },
            }),
          });
          const body = (await res.json()) as { code?: unknown };
          seen.push({ status: res.status, retryAfter: res.headers.get('retry-after'), code: body.code });
          await sleep(1_000);
        }
        await infra.startPostgres();
        return [
          `a probe while down answered ${[...new Set(seen.map((s) => `${s.status} ${String(s.code)} Retry-After ${s.retryAfter}`))].join('; ')}`,
        ];
      },
      async () => {
        const verified = await verifyChains(db);
        return [
          `hash chains after the restart: ${verified.ok ? 'sound' : `broken at ${JSON.stringify(verified.firstBroken)}`} (${verified.events} events)`,
        ];
      },
    );
    expectSound(r);
    expect(r.counts.answers503).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.status === 503 && s.retryAfter !== null)).toBe(true);
    expect(r.notes.some((n) => n.startsWith('hash chains after the restart: sound'))).toBe(true);
    const probes = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM es.events WHERE stream_id LIKE 'conventions.convention-probe-%'`,
    );
    expect(probes.rows[0]?.n).toBe(0);
  });

  it('dead-letters poison and oversized messages on every consumed partition, and never stalls one', async () => {
    let sent: SentPoison[] = [];
    const r = await phase(
      'poison and oversized',
      'On every partition of every consumed topic: not JSON, no value, not an envelope, a contract violation, an unknown schema version, a 1 MB envelope (and 1 MB of garbage on partition 0).',
      async () => {
        sent = await sendPoison(infra.kafkaBrokers);
        return [
          `poison messages sent: ${sent.length}, to ${new Set(sent.map((s) => `${s.topic}/${s.partition}`)).size} partitions`,
        ];
      },
      async () => {
        const deadline = Date.now() + 60_000;
        let missing = await notDeadLettered(db, sent);
        let stalled = await stalledPartitions(db, sent);
        while ((missing.length > 0 || stalled.length > 0) && Date.now() < deadline) {
          await sleep(500);
          missing = await notDeadLettered(db, sent);
          stalled = await stalledPartitions(db, sent);
        }
        return [
          `poison not dead-lettered: ${missing.length}${missing.length ? ` (${missing.slice(0, 5).join('; ')})` : ''}`,
          `partitions without a good message applied after the poison: ${stalled.length}${stalled.length ? ` (${stalled.join('; ')})` : ''}`,
        ];
      },
    );
    expectSound(r, true);
    expect(r.notes).toContain('poison not dead-lettered: 0');
    expect(r.notes).toContain('partitions without a good message applied after the poison: 0');
    const expected = sent.flatMap((s) => s.expectedBy.map((c) => `${c}|${s.topic}|${s.partition}|${s.offset}`)).sort();
    const recorded = (await deadLettersSince(db, 0))
      .map((d) => `${d.consumer}|${d.topic}|${d.partition}|${d.offset}`)
      .sort();
    // Only the poison: no real event of the load was dead-lettered.
    expect(recorded).toEqual(expected);
    const onBroker = await deadLetterTopicCounts(infra.kafkaBrokers);
    for (const [topic, n] of Object.entries(onBroker)) {
      expect(n).toBe(expected.filter((k) => `${k.split('|')[1] ?? ''}.dlq` === topic).length);
    }
  });
});
