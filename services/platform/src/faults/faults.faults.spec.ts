/**
 * Fault tolerance, proven against real processes. The suite starts a PostgreSQL server and a Kafka
 * broker of its own (infra/ scripts, other ports, state under /var/tmp/tashghil-faults) so it may
 * stop them, and the four services as separate processes on them. A bounded load (one worker per
 * command kind, 12 commands/s in all, each command retried under its Idempotency-Key) runs through
 * every phase, and each phase injects one fault while it runs:
 *
 * 1. SIGKILL the conventions process while its relay has events to publish, then start it again;
 * 2. SIGKILL the subsidies process while its consumer has target sets to apply;
 * 3. SIGKILL the reporting process while its live projection is behind;
 * 4. stop the Kafka broker for 20 s, then start it;
 * 5. restart the PostgreSQL server (down 10 s): commands get 503 with Retry-After, never 500;
 * 6. poison and oversized messages on every partition of every consumed topic.
 *
 * After each phase: every accepted command's events are in the store once, in every consumer and in
 * the read model, the read model equals a fresh rebuild (checksums per table), and the services
 * recovered by themselves (only a killed process is restarted, by the test). The measures go to
 * artifacts/faults/report.md and report.json.
 */
import { PgSqlClient, verifyChains } from '@tashghil/event-store';
import { waitReady } from '@tashghil/testing';
import {
  ADMIN,
  compareWithRebuild,
  deadLettersSince,
  exactlyOnce,
  findCommands,
  lags,
  lastDeadLetterId,
  waitCaughtUp,
} from './checks';
import { infraSettings, PrivateInfra, Services, type ServiceName } from './cluster';
import { countsOf, LoadGenerator } from './load-generator';
import { deadLetterTopicCounts, notDeadLettered, sendPoison, stalledPartitions, type SentPoison } from './poison';
import { writeReport, type PhaseResult } from './report';

const RATE = Number(process.env.FAULTS_RATE ?? 12);
const WARM_MS = 3_000;
const AFTER_MS = 3_000;
const RECOVERY_BOUND_S = 120;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('fault tolerance under a steady load, on real processes', () => {
  const infra = new PrivateInfra(infraSettings());
  let services: Services;
  let db: PgSqlClient;
  let load: LoadGenerator;
  const results: PhaseResult[] = [];
  const started = Date.now();
  const base = (s: ServiceName): string => services.base(s);

  beforeAll(async () => {
    await infra.fresh();
    services = await Services.allocate(infra, { LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'error' });
    await services.startAll(180_000);
    db = PgSqlClient.fromUrl(infra.databaseUrl, 4);
    load = new LoadGenerator({ base, rate: RATE, prefix: `f${Date.now().toString(36)}` });
  }, 300_000);

  afterAll(async () => {
    writeReport(results, {
      run: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1_000),
      rate: `${RATE} commands/s, 4 in flight at most`,
      postgres: infra.databaseUrl.replace(/:[^:@/]+@/, ':***@'),
      kafka: infra.kafkaBrokers,
    });
    await load?.stop();
    await services?.stopAll();
    await db?.close();
    if (process.env.FAULTS_KEEP_INFRA !== 'true') await infra.stop();
  }, 120_000);

  /** Waits (at most `ms`) until `service` reports some lag, so a kill lands mid-stream; returns the lag seen. */
  const behind = async (service: ServiceName, ms = 5_000): Promise<number> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const lag = (await lags(base))[service] ?? 0;
      if (lag > 0 || Date.now() > deadline) return lag;
      await sleep(50);
    }
  };

  /**
   * One phase: load, fault, recovery, more load, drain, checks. `inject` returns once the fault has
   * ended (the process restarted, the server started again), plus notes for the report.
   */
  const phase = async (
    name: string,
    fault: string,
    inject: () => Promise<string[]>,
    afterRecovery?: () => Promise<string[]>,
  ): Promise<PhaseResult> => {
    load.setPhase(name);
    const deadLettersBefore = await lastDeadLetterId(db);
    load.start();
    await sleep(WARM_MS);
    const notes = await inject();
    const faultEnded = Date.now();
    const recoverySeconds = await waitCaughtUp(db, base, () => load.commands.filter((c) => c.sentAt <= faultEnded), {
      ms: RECOVERY_BOUND_S * 1_000,
      zeroLag: false,
    });
    notes.push(...((await afterRecovery?.()) ?? []));
    await sleep(AFTER_MS);
    await load.stop();
    const quiescenceSeconds = await waitCaughtUp(db, base, () => load.commands, { ms: 120_000, zeroLag: true });
    const mine = load.commands.filter((c) => c.phase === name);
    const accepted = mine.filter((c) => c.outcome === 'accepted');
    const { found } = await findCommands(db, accepted);
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
    };
    results.push(result);
    writeReport(results, { run: new Date(started).toISOString(), partial: true });
    return result;
  };

  const expectSound = (r: PhaseResult, deadLettersExpected = false): void => {
    expect(services.exited()).toEqual([]);
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

  let readyAgain: Promise<number> = Promise.resolve(0);
  const killAndRestart = (service: ServiceName) => async (): Promise<string[]> => {
    const lag = await behind(service);
    await services.kill(service);
    services.start(service);
    const restarted = Date.now();
    readyAgain = waitReady(base(service), RECOVERY_BOUND_S * 1_000).then(() => (Date.now() - restarted) / 1_000);
    return [`${service} SIGKILLed with a lag of ${lag} (relay, broker and projection lags summed from its /metrics)`];
  };
  const restartTime = (service: ServiceName) => async (): Promise<string[]> => [
    `${service}'s new process answered ready ${(await readyAgain).toFixed(1)} s after it was started`,
  ];

  it('recovers from a SIGKILL of the relaying process mid-publish (conventions)', async () => {
    const r = await phase(
      'kill relay',
      'SIGKILL of the conventions process, whose relay publishes the conventions context; restarted at once.',
      killAndRestart('conventions'),
      restartTime('conventions'),
    );
    expectSound(r);
  });

  it('recovers from a SIGKILL of a consuming process mid-stream (subsidies, consuming target sets)', async () => {
    const r = await phase(
      'kill consumer',
      'SIGKILL of the subsidies process while its consumer applies ProgrammeTargetsSet; restarted at once.',
      killAndRestart('subsidies'),
      restartTime('subsidies'),
    );
    expectSound(r);
  });

  it('recovers from a SIGKILL of the projector mid-projection (reporting)', async () => {
    const r = await phase(
      'kill projector',
      'SIGKILL of the reporting process while its live projection is behind; restarted at once.',
      killAndRestart('reporting'),
      restartTime('reporting'),
    );
    expectSound(r);
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
