/**
 * The batch run end to end, as a pipeline runs it: `POST /matching-runs` on the matching service over
 * the PostgreSQL server, from the 202 to the run's last chunk of proposals stored. BENCH_E2E_SCALE=1
 * is 1,000,000 seekers × 200,000 offers × 50 candidates (issue 16). The store is filled first by a
 * bulk loader that decides each file with the service's own deciders and writes the query-model rows
 * in the same transaction, 1,000 files a transaction (as bench/national.bench.ts does). See
 * bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import {
  loadAggregate,
  openServerDatabase,
  writeQueryRows,
  type Command,
  type DecidedEvent,
  type EventStore,
  type ModelledDecider,
  type StreamAppend,
} from '@tashghil/event-store';
import { mulberry32 } from '@tashghil/matching-engine';
import {
  EDUCATION_LEVELS,
  MOBILITY,
  matchingService,
  offerDecider,
  offerStreamId,
  PROVINCES,
  seekerDecider,
  seekerStreamId,
  type OfferCommand,
  type SeekerCommand,
} from '@tashghil/matching';
import { startService } from '@tashghil/service-kit';
import { call, tokenFor } from '@tashghil/testing';
import { bestSeekersFor } from '../services/matching/src/matching-run/seeker-pool';
import { proposeForOffer } from '../services/matching/src/matching-run/streaming';
import { streamLimit } from '../services/matching/src/matching-run/streaming.workflow';
import { UNIT_GROUP_CODES } from '../services/matching/src/occupation/isco-08';

const FILES_PER_TRANSACTION = 1_000;
const REGIONS = Object.keys(PROVINCES) as Array<keyof typeof PROVINCES>;
/** Roughly each region's share of the population (2024 census), MA-01..MA-12, as in the optimiser bench. */
const SEEKER_SHARE = [10.5, 6.8, 12.4, 13.5, 7.2, 20.0, 13.3, 4.8, 8.0, 1.3, 1.1, 0.4];
const OFFER_SHARE = [12.0, 5.0, 10.0, 15.0, 5.0, 26.0, 11.0, 3.0, 8.0, 1.5, 2.0, 1.5];
const SKILLS = Array.from({ length: 60 }, (_, k) => `compétence ${k}`);
const DAY = '2025-06-30';

const share = (shares: readonly number[], u: number): number => {
  const total = shares.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let g = 0; g < shares.length; g += 1) {
    acc += shares[g] ?? 0;
    if (u * total < acc) return g;
  }
  return shares.length - 1;
};

/** A generator of files: trades skewed (a few hundred unit groups, the first ones most common), regions by population. */
export const files = (seed: number) => {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const trade = (): string => UNIT_GROUP_CODES[Math.floor(UNIT_GROUP_CODES.length * r() ** 2)] as string;
  const skills = (): string[] => [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(SKILLS)))];
  const meta = (now: string) => ({
    now,
    actor: 'bench-loader',
    roles: ['admin'],
    correlationId: 'bench',
    commandId: randomUUID(),
  });
  const seeker = (i: number): SeekerCommand[] => {
    const region = REGIONS[share(SEEKER_SHARE, r())] ?? 'MA-01';
    return [
      {
        type: 'RegisterSeeker',
        metadata: meta(`${DAY}T08:00:00.000Z`),
        data: {
          seekerId: `e2e-s-${i}`,
          registeredOn: new Date(Date.UTC(2021, 0, 1) + Math.floor(r() * 1_600) * 86_400_000)
            .toISOString()
            .slice(0, 10),
          region,
          province: pick(PROVINCES[region]),
          gender: r() < 0.5 ? 'female' : 'male',
          birthDate: '1994-05-05',
          education: pick(EDUCATION_LEVELS.slice(0, 7)),
          occupations: [...new Set([trade(), ...(r() < 0.4 ? [trade()] : [])])],
          skills: skills(),
          languages: ['ar'],
          disability: r() < 0.05,
          pandemicJobLoss: false,
          area: 'urban',
          mobility: pick(MOBILITY),
          fullName: `Personne fictive ${i}`,
          cin: `ZZ${100_000 + (i % 900_000)}`,
        },
      },
    ];
  };
  const offer = (j: number): OfferCommand[] => {
    const abroad = r() < 0.05;
    const region = REGIONS[share(OFFER_SHARE, r())] ?? 'MA-01';
    const commands: OfferCommand[] = [
      {
        type: 'ReceiveOffer',
        metadata: meta('2025-05-01T09:00:00.000Z'),
        data: {
          offerId: `e2e-o-${j}`,
          employer: { kind: 'company', id: `employer-${j % 5_000}`, name: 'Société (fictive)', sector: 'industry' },
          region,
          province: pick(PROVINCES[region]),
          ...(abroad ? { abroadCountry: 'ES' } : {}),
          occupation: trade(),
          positions: 1 + Math.floor(r() * 10),
          requiredEducation: pick(EDUCATION_LEVELS.slice(0, 6)),
          skills: skills(),
          contractType: 'permanent',
          mass: false,
          validUntil: '2030-12-31',
        },
      },
      { type: 'ValidateOffer', metadata: meta('2025-05-02T09:00:00.000Z'), data: {} },
      { type: 'PublishOffer', metadata: meta('2025-05-03T09:00:00.000Z'), data: { openAfterDays: 15 } },
    ];
    if (r() < 0.35)
      commands.push({ type: 'OpenOfferToOtherRegions', metadata: meta('2025-06-01T09:00:00.000Z'), data: {} });
    return commands;
  };
  return { seeker, offer };
};

export const decideAll = <C extends Command, S, E extends DecidedEvent>(
  decider: ModelledDecider<C, S, E>,
  commands: C[],
) => {
  let state = decider.initialState();
  const events: E[] = [];
  for (const command of commands)
    for (const event of decider.decide(command, state)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  return { events, state };
};

export const load = async <C extends Command, S, E extends DecidedEvent>(
  store: EventStore,
  decider: ModelledDecider<C, S, E>,
  streamIdOf: (i: number) => string,
  commandsOf: (i: number) => C[],
  count: number,
): Promise<void> => {
  const model = decider.queryModel;
  if (!model) throw new Error('the decider keeps no query model');
  for (let from = 0; from < count; from += FILES_PER_TRANSACTION) {
    const appends: StreamAppend[] = [];
    const rows: Array<{ streamId: string; state: S; version: number }> = [];
    for (let i = from; i < Math.min(count, from + FILES_PER_TRANSACTION); i += 1) {
      const { events, state } = decideAll(decider, commandsOf(i));
      const streamId = streamIdOf(i);
      const stored = events.map((e) => ({
        ...(e as unknown as StreamAppend['events'][number]),
        eventId: randomUUID(),
      }));
      appends.push({ streamId, expected: 'no_stream', events: stored });
      rows.push({ streamId, state, version: events.length - 1 });
    }
    await store.db.transaction(async (tx) => {
      await store.appendMany(appends, tx);
      await writeQueryRows(tx, model, rows);
    });
  }
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const STREAMED_OFFERS = 200;

/** Streaming mode on the loaded pool: each published offer proposed as the subscription would, timed one by one. */
const streaming = async (store: EventStore, out: (line: string) => void): Promise<void> => {
  const { events } = await store.readAll({
    categories: ['matching.offer'],
    limit: 4 * STREAMED_OFFERS,
    decrypt: false,
  });
  const published = events.filter((e) => e.type === 'OfferPublished').slice(0, STREAMED_OFFERS);
  const times: number[] = [];
  let proposed = 0;
  for (const event of published) {
    const started = performance.now();
    proposed += await proposeForOffer(store, event);
    times.push(performance.now() - started);
  }
  // The pool's query alone, for the same offers: what q.seekers costs, apart from the reads and the append.
  const queries: number[] = [];
  for (const event of published) {
    const { state } = await loadAggregate(store, offerDecider, offerStreamId(String(event.data.offerId)));
    if (state.status !== 'published') continue;
    const started = performance.now();
    await bestSeekersFor(store.db, state, DAY, streamLimit(state));
    queries.push(performance.now() - started);
  }
  const at = (xs: number[], q: number): string => {
    const sorted = [...xs].sort((a, b) => a - b);
    return (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0).toFixed(1);
  };
  out(
    `streaming: ${published.length} offers proposed one by one (the offer's stream, q.seekers, the chosen seekers' streams, one workflow): ` +
      `p50 ${at(times, 0.5)} ms, p99 ${at(times, 0.99)} ms, max ${at(times, 1)} ms; ${proposed} proposals; ` +
      `the q.seekers query alone p50 ${at(queries, 0.5)} ms, p99 ${at(queries, 0.99)} ms`,
  );
};

export const endToEnd = async (scale: number, out: (line: string) => void): Promise<string[]> => {
  const seekers = Math.max(1_000, Math.round(1_000_000 * scale));
  const offers = Math.round(seekers * 0.2);
  const database = await openServerDatabase();
  const service = await startService(matchingService, {
    TASHGHIL_MODE: 'embedded',
    DATABASE_URL: database.url ?? '',
    PORT: '0',
    LOG_LEVEL: 'warn',
    TASHGHIL_RATE_LIMIT: '0',
    MATCHING_STREAMING: 'false',
  });
  const problems: string[] = [];
  try {
    const store = service.runtime.store;
    const gen = files(20261205);
    let t = performance.now();
    await load(store, seekerDecider, (i) => seekerStreamId(`e2e-s-${i}`), gen.seeker, seekers);
    await load(store, offerDecider, (j) => offerStreamId(`e2e-o-${j}`), gen.offer, offers);
    out(
      `e2e: loaded ${seekers.toLocaleString('en')} seekers and ${offers.toLocaleString('en')} offers in ${seconds(performance.now() - t)}`,
    );

    // What autovacuum does to a table some time after a bulk load (hint bits set, visibility map,
    // statistics): streaming is timed on a pool as it stands in service, not on one whose rows are
    // read for the first time since they were written. Measured right after the load instead, the
    // q.seekers query took p50 43.9 ms against 25 ms (2026-12-05).
    await store.db.query('VACUUM (ANALYZE) q.seekers');
    await streaming(store, out);

    const admin = tokenFor({ sub: 'bench-admin', roles: ['admin'] });
    let peakRss = process.memoryUsage().rss;
    const rssBefore = peakRss;
    let slowestLive = 0;
    let probing = true;
    // Each sample is counted in the phase the last poll saw: where the peak is, not only how high.
    let phaseNow = 'requested';
    const peakByPhase = new Map<string, number>();
    const slowestLiveByPhase = new Map<string, number>();
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        // Bounded, and its body read so that its connection is free for the next request.
        await fetch(`${service.url}/health/live`, { signal: AbortSignal.timeout(30_000) })
          .then((answer) => answer.arrayBuffer())
          .catch(() => undefined);
        const live = performance.now() - started;
        slowestLive = Math.max(slowestLive, live);
        slowestLiveByPhase.set(phaseNow, Math.max(slowestLiveByPhase.get(phaseNow) ?? 0, live));
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        peakByPhase.set(phaseNow, Math.max(peakByPhase.get(phaseNow) ?? 0, rss));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    t = performance.now();
    const posted = await call(service.url, 'POST', '/matching-runs', admin, {
      runId: 'e2e',
      on: DAY,
      beta: 1,
      candidatesPerSeeker: 50,
    });
    const answered = performance.now() - t;
    if (posted.status !== 202) throw new Error(`POST /matching-runs answered ${posted.status}`);
    const phases: string[] = [];
    let run: Record<string, unknown> = posted.body;
    for (;;) {
      // A token lives ten minutes (libs/testing tokenFor) and a national run takes longer: each poll
      // mints its own. With one token for the whole run, every poll after ten minutes was refused
      // (401) and the bench polled for ever: the hang seen after three national runs.
      const answer = await Promise.race([
        call(service.url, 'GET', '/matching-runs/e2e', tokenFor({ sub: 'bench-admin', roles: ['admin'] })),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000)),
      ]);
      if (answer && answer.status !== 200)
        throw new Error(
          `GET /matching-runs/e2e answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
        );
      if (answer) run = answer.body;
      const phase = `${String(run.phase)}`;
      phaseNow = phase;
      if (phases.at(-1)?.startsWith(phase) !== true) phases.push(`${phase} at ${seconds(performance.now() - t)}`);
      if (run.status === 'completed' || run.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const total = performance.now() - t;
    probing = false;
    await probe;
    const solution = run.solution as {
      objective: number;
      greedyObjective: number;
      certificate: { dualBound: number; optimal: boolean };
      placed: number;
      arcs: number;
      proposals: number;
      chunks: number;
      timings: { inputs: number; candidates: number; optimiser: number; greedy: number };
    };
    if (run.status !== 'completed') throw new Error(`the run ended ${String(run.status)}: ${JSON.stringify(run)}`);
    const { rows } = await store.db.query<{ type: string; largest: number }>(
      `SELECT type, max(pg_column_size(data))::int AS largest FROM es.events
        WHERE stream_id LIKE 'matching.run%' GROUP BY type ORDER BY type`,
    );
    out(`e2e: POST answered ${answered.toFixed(0)} ms (202); run completed in ${seconds(total)} end to end`);
    out(`  phases: ${phases.join(', ')}`);
    const tm = solution.timings;
    out(
      `  inputs ${seconds(tm.inputs)}, candidates ${seconds(tm.candidates)}, optimiser ${seconds(tm.optimiser)}, greedy ${seconds(tm.greedy)}; ${solution.arcs.toLocaleString('en')} arcs`,
    );
    out(
      `  objective ${solution.objective.toLocaleString('en')} (greedy ${solution.greedyObjective.toLocaleString('en')}), placed ${solution.placed.toLocaleString('en')}, ${solution.proposals.toLocaleString('en')} proposals in ${solution.chunks} chunks`,
    );
    out(
      `  largest stored event by type: ${rows.map((r) => `${r.type} ${(r.largest / 1024).toFixed(0)} KiB`).join(', ')}`,
    );
    out(
      `  memory: sampled peak RSS ${mb(peakRss)} during the run (${mb(rssBefore)} before the POST); slowest /health/live ${slowestLive.toFixed(0)} ms`,
    );
    out(`  peak RSS by phase: ${[...peakByPhase].map(([phase, rss]) => `${phase} ${mb(rss)}`).join(', ')}`);
    out(
      `  slowest /health/live by phase: ${[...slowestLiveByPhase].map(([phase, ms]) => `${phase} ${ms.toFixed(0)} ms`).join(', ')}`,
    );
    if (!solution.certificate.optimal) problems.push('e2e: the LP dual bound does not prove the optimum');
    if (solution.proposals !== solution.placed) problems.push('e2e: proposals and placed seekers differ');
    if (rows.some((r) => r.largest > 512 * 1024)) problems.push('e2e: an event of the run exceeds 512 KiB');
  } finally {
    await service.stop();
    await database.dispose();
  }
  return problems;
};
