import { openPgliteDatabase, type TestDatabase } from '@tashghil/event-store';
import { daysOf, daysOfHistogram } from './report.query';

/** The report's processing times are nearest-rank percentiles, computed by the server. */
describe('processing times', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openPgliteDatabase();
  });
  afterAll(async () => {
    await database.dispose();
  });

  /** Nearest rank, by its definition: the value at rank ceil(p × n) of the sorted values. */
  const nearestRank = (sorted: readonly number[], p: number): number | null =>
    sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;

  it('counts the days a column or a histogram holds and gives its nearest-rank median and 90th percentile', async () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n <= 40; n += 1) {
      const values = Array.from({ length: n }, () => (next() % 5 === 0 ? null : next() % 60));
      const { rows } = await database.db.query<Record<string, number | string | null>>(
        `SELECT ${daysOf('d', 'v')} FROM unnest($1::integer[]) AS v`,
        [values],
      );
      const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
      // The same values as a histogram, each number of days split over a few rows (days recorded).
      const histogram = await database.db.query<Record<string, number | string | null>>(
        daysOfHistogram(
          'd',
          `(SELECT v AS days, count(*) AS n FROM unnest($1::integer[]) WITH ORDINALITY AS u(v, i) GROUP BY v, i % 3)`,
        ),
        [sorted],
      );
      for (const row of [rows[0] ?? {}, histogram.rows[0] ?? {}])
        expect([n, Number(row.d_n), row.d_p50, row.d_p90]).toEqual([
          n,
          sorted.length,
          nearestRank(sorted, 0.5),
          nearestRank(sorted, 0.9),
        ]);
    }
  });
});
