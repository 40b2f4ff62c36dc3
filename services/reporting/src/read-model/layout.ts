import { createHash } from 'node:crypto';
import type { Queryable } from '@tashghil/event-store';
import { beneficiaries } from './beneficiaries.projection';
import { commitments } from './commitments.projection';
import { conventions } from './conventions.projection';
import { decisions } from './decisions.projection';
import type { Tally } from './bitemporal';
import { lines } from './lines.projection';
import { offerWaits } from './offer-waits';
import { PAID_BY_MONTH, payments } from './payments.projection';
import { people } from './people';
import { PLACEMENT_TALLIES, placements } from './placements.projection';
import { programmeTargets } from './programme-targets.projection';
import type { AnyReadModel } from './read-model';
import { ENROLMENTS_BY_MONTH, worksSites } from './works-sites.projection';

/**
 * The read models one generation holds. Every projected fact sits in a table whose rows do not
 * depend on the order in which events of different streams arrive: keys are file ids, and facts
 * coming from several streams merge by LEAST or by a deterministic preference.
 */
export const READ_MODELS: readonly AnyReadModel[] = [
  conventions,
  programmeTargets,
  decisions,
  placements,
  beneficiaries,
  people,
  worksSites,
  commitments,
  payments,
  lines,
  offerWaits,
];

// One row per event this generation has taken in: the projection's own idempotency, so the live
// consumer and a rebuild can both feed it and nothing counts twice. Beside it, how many it took in
// per day of recorded time (and the last instant), in 16 shards so that concurrent consumers
// seldom wait on one row: a report's basis, live or as of a day, sums a few rows instead of
// counting millions.
const appliedDdl = (s: string): string => `
CREATE TABLE ${s}.applied (event_id uuid PRIMARY KEY, global_position bigint NOT NULL, recorded_at timestamptz NOT NULL);
CREATE TABLE ${s}.applied_days (day date, shard integer, events bigint NOT NULL, last timestamptz NOT NULL, PRIMARY KEY (day, shard));`;

/**
 * Every tally, each with one source to fill it from after a first load (a tally of pairs, from the
 * side that joins the other).
 */
export const TALLIES = (s: string): readonly Tally[] => [...PLACEMENT_TALLIES(s), ENROLMENTS_BY_MONTH, PAID_BY_MONTH];

/** The tables of one generation, in the order a checksum lists them: `applied`, its days, then each read model's. */
export const TABLES: readonly string[] = [
  'applied',
  'applied_days',
  ...READ_MODELS.flatMap((m) => Object.keys(m.tables)),
];

const tablesOf = (model: AnyReadModel, s: string): string[] => Object.values(model.tables).map((table) => table(s));

const ddl = (s: string): string =>
  [`CREATE SCHEMA ${s};`, appliedDdl(s), ...READ_MODELS.flatMap((m) => tablesOf(m, s))].join('\n');

/**
 * The layout's text: every table's DDL (comments and spacing left out, so reflowing a line does not
 * count) and each read model's revision, which covers a change to what the handlers write.
 */
const layoutText = (models: readonly AnyReadModel[]): string =>
  [appliedDdl('s'), ...models.flatMap((m) => [`revision ${m.revision}`, ...tablesOf(m, 's')])]
    .join('\n')
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * A layout version from that text: the first 31 bits of its SHA-256, so it fits the `integer`
 * column of reporting.generations. Two texts share one by a chance of one in two billion.
 */
export const layoutVersion = (models: readonly AnyReadModel[]): number =>
  createHash('sha256').update(layoutText(models)).digest().readUInt32BE(0) >>> 1;

/**
 * The read model's layout version, derived from the read models, never set by hand. A service that
 * finds an active generation of another layout rebuilds a new one from the store and switches to it.
 */
export const LAYOUT = layoutVersion(READ_MODELS);

/** Schema names are generated, never taken from input; this guards the interpolation anyway. */
export const assertSchemaName = (schema: string): string => {
  if (!/^reporting_[a-z0-9_]{1,40}$/.test(schema)) throw new Error(`not a read-model schema name: ${schema}`);
  return schema;
};

export const createTables = async (q: Queryable, schema: string): Promise<void> => {
  await q.query(ddl(assertSchemaName(schema)));
};

export const dropTables = async (q: Queryable, schema: string): Promise<void> => {
  await q.query(`DROP SCHEMA IF EXISTS ${assertSchemaName(schema)} CASCADE`);
};
