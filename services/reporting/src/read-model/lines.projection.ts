import { type LineTally, lineTallyTable } from './line-tally';
import { readModel } from './read-model';

/** A programme line of a file or a commitment version (`v`): the key the report's targets and budget use. */
const LINE: LineTally['by'] = [
  ['region', 'text', 'v.region'],
  ['programme', 'text', 'v.programme'],
  ['year', 'integer', 'v.year'],
  ['component', 'text', 'v.component'],
];
/** A file counts under a line once it has one (a grant's, from its approval). */
const KNOWN = 'v.programme IS NOT NULL AND v.year IS NOT NULL AND v.component IS NOT NULL';
const OF_FILE = 'v.kind = f.kind AND v.file_id = f.file_id';

/**
 * What each line committed: the approvals' shares (re-priced for a works site), how many files, and
 * the jobs of its grants (what lasting integration achieves, until an early end).
 */
const COMMITTED: LineTally = {
  table: 'committed_by_line',
  versions: 'commitments',
  where: 'true',
  by: LINE,
  add: [
    ['centimes', 'v.centimes'],
    ['files', '1'],
    ['grant_jobs', `CASE WHEN v.kind = 'grant' THEN v.jobs ELSE 0 END`],
  ],
};
/**
 * Grants ended early: what each end released of its commitment, and the jobs no longer achieved.
 * A grant ends once (the grant decider refuses to end one that is no longer approved), so each
 * grant's jobs count once here.
 */
const RELEASED: LineTally = {
  table: 'released_by_line',
  versions: 'commitments',
  facts: { table: 'grant_ends', on: `v.kind = 'grant' AND v.file_id = f.grant_id` },
  where: 'true',
  by: LINE,
  add: [
    ['centimes', 'f.cancelled_centimes'],
    ['jobs', 'v.jobs'],
  ],
};
/** The amounts of a table of money moved on files (paid, clawed back), under the line of each file. */
const centimesOfFiles = (table: string, facts: string): LineTally => ({
  table,
  versions: 'files',
  facts: { table: facts, on: OF_FILE },
  where: KNOWN,
  by: LINE,
  add: [['centimes', 'f.centimes']],
});
const PAID = centimesOfFiles('paid_by_line', 'payments');
const CLAWED = centimesOfFiles('clawed_by_line', 'clawbacks');
/** People enrolled on the works sites of each line: what temporary works achieve. */
const ENROLLED: LineTally = {
  table: 'enrolled_by_line',
  versions: 'files',
  facts: { table: 'enrolments', on: `v.kind = 'works-project' AND v.file_id = f.project_id` },
  where: KNOWN,
  by: LINE,
  add: [['n', '1']],
};

/**
 * The files each decision stands on, by region, kind and outcome: a version alone, as the
 * commitments are, so a file whose decision changes moves from one outcome to the other on that day.
 * The report's count of decisions on files reads this, not a row per file.
 */
const DECIDED: LineTally = {
  table: 'decided_by_outcome',
  versions: 'file_decisions',
  where: 'true',
  by: [
    ['region', 'text', 'v.region'],
    ['kind', 'text', 'v.kind'],
    ['outcome', 'text', 'v.outcome'],
  ],
  add: [['files', '1']],
};

/** Every tally of versions (by programme line, and the decisions), in the order they are filled after a first load. */
export const LINE_TALLIES: readonly LineTally[] = [COMMITTED, RELEASED, PAID, CLAWED, ENROLLED, DECIDED];

/**
 * The budget and targets of each programme line, summed as the projection goes: read models of
 * their own, declared after the tables they add up (files, commitments, payments, enrolments).
 */
export const lines = readModel({
  revision: 1,
  tables: Object.fromEntries(LINE_TALLIES.map((t) => [t.table, (s: string) => lineTallyTable(s, t)])),
});
