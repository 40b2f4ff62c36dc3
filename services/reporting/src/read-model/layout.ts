import type { Queryable } from '@tashghil/event-store';

/**
 * The read model's layout version. Change it with any change to the tables below or to what the
 * projection writes: a service that finds an active generation of another layout rebuilds a new one
 * from the store and switches to it.
 */
export const LAYOUT = 3;

/**
 * The tables of one generation, in the order a checksum lists them. Every projected fact sits in a
 * table whose rows do not depend on the order in which events of different streams arrive: keys are
 * file ids, and facts coming from several streams merge by LEAST or by a deterministic preference.
 */
export const TABLES = [
  'applied',
  'conventions',
  'convention_measures',
  'programme_targets',
  'programme_revisions',
  'files',
  'commitments',
  'payments',
  'clawbacks',
  'grant_ends',
  'beneficiaries',
  'enrolments',
  'placements',
  'proposals',
  'offers',
  'works_sites',
  'recorded_decisions',
  'file_decisions',
] as const;

const ddl = (s: string): string => `
CREATE SCHEMA ${s};
-- One row per event this generation has taken in: the projection's own idempotency, so the live
-- consumer and a rebuild can both feed it and nothing counts twice.
CREATE TABLE ${s}.applied (event_id uuid PRIMARY KEY, global_position bigint NOT NULL, recorded_at timestamptz NOT NULL);
CREATE TABLE ${s}.conventions (
  convention_id text PRIMARY KEY, region text NOT NULL, title text NOT NULL, period_start date NOT NULL,
  period_end date NOT NULL, status text NOT NULL, drafted_at timestamptz NOT NULL, drafted_by text NOT NULL, signed_on date
);
CREATE TABLE ${s}.convention_measures (
  convention_id text NOT NULL, measure_id text NOT NULL, programme_line text NOT NULL, label text,
  target_total integer, state_centimes bigint, region_centimes bigint, PRIMARY KEY (convention_id, measure_id)
);
CREATE TABLE ${s}.programme_revisions (region text, programme text, year integer, revision integer NOT NULL, PRIMARY KEY (region, programme, year));
CREATE TABLE ${s}.programme_targets (
  region text, programme text, year integer, component text, target_jobs integer NOT NULL, budget_centimes bigint,
  PRIMARY KEY (region, programme, year, component)
);
-- Works projects and grants: where each draws its budget from, once a decision names it.
CREATE TABLE ${s}.files (
  kind text, file_id text, region text NOT NULL, province text, programme text, year integer, component text,
  PRIMARY KEY (kind, file_id)
);
CREATE TABLE ${s}.commitments (
  kind text, file_id text, region text NOT NULL, programme text NOT NULL, year integer NOT NULL, component text NOT NULL,
  jobs integer NOT NULL, centimes bigint NOT NULL, decided_on date NOT NULL,
  -- 0 for the approval; a works site's re-pricings count up from 1 and the highest stands.
  revision integer NOT NULL DEFAULT 0, PRIMARY KEY (kind, file_id)
);
CREATE TABLE ${s}.payments (event_id uuid PRIMARY KEY, kind text NOT NULL, file_id text NOT NULL, region text NOT NULL, month text NOT NULL, centimes bigint NOT NULL);
CREATE TABLE ${s}.clawbacks (event_id uuid PRIMARY KEY, kind text NOT NULL, file_id text NOT NULL, region text NOT NULL, centimes bigint NOT NULL, claimed_on date NOT NULL);
-- One row per fact that names a person: a works enrolment (ref project/beneficiary), a hire (ref the
-- placement) or a grant file's hire (ref the grant). Whether a fact makes its person a programme
-- beneficiary depends on other streams (a decision, a convention), so the report decides that when
-- it reads. Categories are null on an older grant file that did not carry them.
CREATE TABLE ${s}.beneficiaries (
  source text, ref text, region text NOT NULL, person_key text NOT NULL, placement_id text, province text, gender text, age_band text,
  disability boolean, has_diploma boolean, area text, long_term boolean, first_on date NOT NULL,
  PRIMARY KEY (source, ref)
);
-- Grants ended early: the unpaid remainder released from the commitment, and the job no longer achieved.
CREATE TABLE ${s}.grant_ends (event_id uuid PRIMARY KEY, grant_id text NOT NULL, region text NOT NULL, last_day date NOT NULL, cancelled_centimes bigint NOT NULL);
CREATE TABLE ${s}.enrolments (project_id text, beneficiary_id text, region text NOT NULL, enrolled_on date NOT NULL, PRIMARY KEY (project_id, beneficiary_id));
CREATE TABLE ${s}.placements (
  placement_id text PRIMARY KEY, hired_on date NOT NULL, offer_id text NOT NULL, sector text NOT NULL, contract_type text NOT NULL,
  origin_region text NOT NULL, destination_region text NOT NULL, abroad boolean NOT NULL, flow text NOT NULL
);
CREATE TABLE ${s}.proposals (placement_id text PRIMARY KEY, offer_id text NOT NULL, proposed_on date NOT NULL);
CREATE TABLE ${s}.offers (
  offer_id text PRIMARY KEY, region text, positions integer, mass boolean, published_on date, opened_on date,
  first_proposal_on date, first_hire_on date
);
CREATE TABLE ${s}.works_sites (
  project_id text PRIMARY KEY, region text NOT NULL, province text NOT NULL, kind text NOT NULL, jobs integer NOT NULL,
  budget_centimes bigint NOT NULL, proposed_on date NOT NULL, outcome text, decided_on date, launched_on date, completed_on date
);
CREATE TABLE ${s}.recorded_decisions (
  committee_id text, decision_number text, region text NOT NULL, kind text NOT NULL, programme text NOT NULL,
  decided_on date NOT NULL, subject text NOT NULL, outcome text NOT NULL, PRIMARY KEY (committee_id, decision_number)
);
CREATE TABLE ${s}.file_decisions (
  kind text, file_id text, region text NOT NULL, outcome text NOT NULL, decision_number text NOT NULL, decided_on date NOT NULL,
  PRIMARY KEY (kind, file_id)
);
`;

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
