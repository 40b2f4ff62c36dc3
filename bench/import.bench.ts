/**
 * A CSV import of seekers through HTTP (`POST /imports/seekers`, followed by `GET /imports/:id`
 * until it completes), beside COPY of the same file into a plain table of text columns on the same
 * server. BENCH_SCALE=1 is 100,000 seekers in 12 regions, the import size of issue 15 ("Measure
 * it"), whose target is 5,000 rows/s and no transaction open longer than 1 s. While the import
 * runs, pg_stat_activity is sampled for the oldest open transaction of the bench's database. See
 * bench/README.md.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openServerDatabase, sleep, type TestDatabase } from '@tashghil/event-store';
import { matchingService } from '@tashghil/matching';
import { startService } from '@tashghil/service-kit';
import { tokenFor } from '@tashghil/testing';

const ROWS_AT_SCALE_1 = 100_000;
const HEADER =
  'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email';
const REGIONS = Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`);
const EDUCATION = ['primary', 'lower_secondary', 'baccalaureate', 'vocational', 'bac_plus_2', 'licence', 'master'];
const OCCUPATIONS = ['7231', '8211', '5120', '9313', '2512', '3322', '6111', '7411'];
const MOBILITY = ['own_province', 'own_region', 'any_region', 'abroad'];

const scale = (): number => {
  const s = Number(process.env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(s) || s <= 0)
    throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
  return s;
};

/**
 * A file like an agency's export: names quoted, lists separated by |. About 175 bytes a row, so that
 * 100,000 rows (17 MB) fit under the 20 MB a CSV body may have (libs/service-kit bootstrap.ts).
 */
const seekerCsv = (rows: number, tag: string): string => {
  const lines = [HEADER];
  for (let i = 0; i < rows; i += 1) {
    const region = REGIONS[i % REGIONS.length] ?? 'MA-09';
    lines.push(
      [
        `${tag}-${i}`,
        `20${String(15 + (i % 10)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
        region,
        `Province ${i % 7}`,
        i % 2 ? 'female' : 'male',
        `19${70 + (i % 30)}-0${1 + (i % 9)}-2${i % 9}`,
        EDUCATION[i % EDUCATION.length],
        i % 3 ? 'BTS' : '',
        `${OCCUPATIONS[i % OCCUPATIONS.length]}|${OCCUPATIONS[(i + 3) % OCCUPATIONS.length]}`,
        'diagnostic|mécanique',
        'ar|fr',
        i % 11 ? 'non' : 'oui',
        i % 4 ? 'non' : 'oui',
        i % 3 ? 'urban' : 'rural',
        MOBILITY[i % MOBILITY.length],
        `"Personne ${i}, ${tag}"`,
        `ZZ${100_000 + (i % 900_000)}`,
        `06${String(10_000_000 + i).slice(-8)}`,
        `p${i}@example.ma`,
      ].join(','),
    );
  }
  return lines.join('\n');
};

/**
 * The oldest transaction open on the database, in seconds, sampled every 50 ms until stopped: of
 * the clients' that wrote (they hold a transaction id, which the snapshot horizon waits for), and
 * of any, autovacuum's included.
 */
const sampleTransactions = (url: string) => {
  const oldest = { writing: 0, writingQuery: '', any: 0, anyQuery: '' };
  let samples = 0;
  let running = true;
  const done = (async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      while (running) {
        const { rows } = await client.query<{ age: number; writing: boolean; what: string }>(
          `SELECT extract(epoch FROM clock_timestamp() - xact_start)::float8 AS age,
                  backend_xid IS NOT NULL AND backend_type = 'client backend' AS writing,
                  state || ' ' || round(extract(epoch FROM clock_timestamp() - query_start)::numeric, 3) || ' s '
                    || coalesce(wait_event_type || '/' || wait_event, '-') || ': ' || left(query, 60) AS what
             FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
        );
        for (const row of rows) {
          if (row.age > oldest.any) Object.assign(oldest, { any: row.age, anyQuery: row.what.replace(/\s+/g, ' ') });
          if (row.writing && row.age > oldest.writing)
            Object.assign(oldest, { writing: row.age, writingQuery: row.what.replace(/\s+/g, ' ') });
        }
        samples += 1;
        await sleep(50);
      }
    } finally {
      await client.end();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { ...oldest, samples };
    },
  };
};

/**
 * CPU seconds the database's server processes have used, from /proc (Linux, server on this
 * machine): with this process's own, what the import costs whatever else the machine runs.
 */
const serverCpuSeconds = async (url: string): Promise<number> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    let ticks = 0;
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
      } catch {
        // A backend that ended meanwhile, or a server elsewhere: not counted.
      }
    }
    return ticks / 100;
  } finally {
    await client.end();
  }
};

const copyBaseline = async (url: string, csv: string): Promise<number> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS bench');
    await client.query(
      `CREATE TABLE bench.seekers_copy (${HEADER.split(',')
        .map((c) => `"${c}" text`)
        .join(', ')})`,
    );
    const started = performance.now();
    await pipeline(
      Readable.from([csv]),
      client.query(copyFrom(`COPY bench.seekers_copy FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
};

const main = async (): Promise<void> => {
  const rows = Math.max(1, Math.round(ROWS_AT_SCALE_1 * scale()));
  const database: TestDatabase = await openServerDatabase();
  const url = database.url ?? '';
  process.stdout.write(
    `import bench: ${rows} seekers, ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const service = await startService(matchingService, {
    TASHGHIL_MODE: 'embedded',
    DATABASE_URL: url,
    PORT: '0',
    LOG_LEVEL: 'warn',
    TASHGHIL_RATE_LIMIT: '0',
    MATCHING_STREAMING: 'false',
  });
  try {
    const csv = seekerCsv(rows, 'bench');
    const token = tokenFor({ sub: 'bench-importer', roles: ['admin'] });
    const watch = sampleTransactions(url);
    const serverBefore = await serverCpuSeconds(url);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const answer = await fetch(`${service.url}/imports/seekers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'idempotency-key': 'bench-import-1' },
      body: csv,
    });
    const accepted = (await answer.json()) as { importId?: string; status?: string; imported?: number };
    const answeredIn = (performance.now() - started) / 1000;
    if (answer.status !== 202 && answer.status !== 200)
      throw new Error(`the import answered ${answer.status}: ${JSON.stringify(accepted).slice(0, 500)}`);
    let status = accepted.status ?? 'completed';
    let done = accepted.imported ?? 0;
    while (accepted.importId && status === 'running') {
      await sleep(100);
      const view = (await (
        await fetch(`${service.url}/imports/${accepted.importId}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { status: string; rowsDone: number };
      status = view.status;
      done = view.rowsDone;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serviceCpu = (cpu.user + cpu.system) / 1e6;
    const serverCpu = (await serverCpuSeconds(url)) - serverBefore;
    const transactions = await watch.stop();
    if (status !== 'completed' || done !== rows) throw new Error(`the import ended ${status} with ${done} rows`);
    const copySeconds = await copyBaseline(url, csv);
    const httpRate = rows / seconds;
    const copyRate = rows / copySeconds;
    const line = (name: string, s: number, rate: number) =>
      `| ${name.padEnd(40)} | ${s.toFixed(2).padStart(8)} | ${Math.round(rate).toLocaleString('en').padStart(9)} |\n`;
    process.stdout.write(
      `\n| ${'100k-seeker CSV (BENCH_SCALE scales it)'.padEnd(40)} | ${'seconds'.padStart(8)} | ${'rows/s'.padStart(9)} |\n` +
        `|${'-'.repeat(42)}|${'-'.repeat(10)}|${'-'.repeat(11)}|\n` +
        line('POST /imports/seekers, until completed', seconds, httpRate) +
        line('  of which validation, until the 202', answeredIn, rows / answeredIn) +
        line('COPY into a plain table of text', copySeconds, copyRate) +
        `\nHTTP import / COPY: ${(httpRate / copyRate).toFixed(3)}; target 5,000 rows/s: ${httpRate >= 5_000 ? 'met' : 'NOT met'}\n` +
        `oldest writing transaction during the import: ${transactions.writing.toFixed(3)} s, target under 1 s: ` +
        `${transactions.writing < 1 ? 'met' : 'NOT met'} (${transactions.writingQuery}); ` +
        `of any transaction: ${transactions.any.toFixed(3)} s (${transactions.anyQuery}); ${transactions.samples} samples\n` +
        `CPU used: this process (service and bench client) ${serviceCpu.toFixed(1)} s, ` +
        `the database's server processes ${serverCpu.toFixed(1)} s: ${Math.round((rows / (serviceCpu + serverCpu)) * availableParallelism()).toLocaleString('en')} rows/s ` +
        `on ${availableParallelism()} idle cores if both kept busy, ${Math.round(rows / Math.max(serviceCpu, serverCpu)).toLocaleString('en')} rows/s if the busier alone bounds it\n` +
        `load after: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n`,
    );
  } finally {
    await service.stop();
    await database.dispose();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
