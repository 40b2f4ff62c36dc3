import type { IntegrationEventData, IntegrationEventType } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { personOfEnrolment, seekerKey } from './beneficiaries.projection';
import { readModel, type PageItem } from './read-model';
import { CHOSEN, type Chosen, type Database, recountAll, recountSome, type SeriesTally } from './series';

/**
 * Which convention programme line a matching hire's contract type puts it under: an Idmaj insertion
 * contract is what the Souss-Massa convention's "contrats de formation" line pays for (State share
 * 186.88 MDH; leseco.ma, « Contrats programmes : comment Souss-Massa… », on the convention signed
 * 15 March 2021). No other contract type of matching (permanent, fixed term, seasonal abroad,
 * apprenticeship) is financed by a programme line, and an offer carries no programme either, so
 * those hires count only when a grant file names them. A `temporary_works` hire counts through its
 * site's enrolment, which names the same seeker.
 */
export const LINE_OF_CONTRACT: Readonly<Record<string, string>> = { idmaj: 'idmaj_training_contracts' };

/** The scope of the national figures, beside each region's code. */
export const NATIONAL_SCOPE = 'national';

/** A person's categories: those of their earliest fact in the scope. */
const CATEGORIES = ['province', 'gender', 'age_band', 'disability', 'has_diploma', 'area', 'long_term'] as const;

/**
 * Whom the committee report counts, kept as it goes: for each person whose facts changed, the whole
 * series of their state (in each scope, at the end of every day on which something they are counted
 * from changed) is computed again from the bitemporal tables and stored; what the new series adds to
 * each figure, less what the old one added, goes to a tally per day recorded. The report sums the
 * tally up to the day asked, a few thousand rows, instead of merging every fact of the country.
 *
 * The series is a function of the tables alone, so events may come in any order and pages of any
 * size: the person is counted again whenever a fact they depend on arrives, and the result is the
 * same. A day's state is what a report as of that day counts: a fact holds at the end of day `t`
 * when it was recorded on `t` or before and not closed by then.
 */
export const people = readModel({
  revision: 1,
  tables: {
    // One row per scope, person and day on which their inputs changed (from their first fact on):
    // counted or not, the categories of their earliest fact, the sources and components they count
    // in, and how many of their hires count through a programme line or an approved grant file.
    beneficiary_days: (s) => `
CREATE TABLE ${s}.beneficiary_days (
  scope text NOT NULL, person_key text NOT NULL, day date NOT NULL, counted boolean NOT NULL,
  province text, gender text, age_band text, disability boolean, has_diploma boolean, area text, long_term boolean,
  sources text[], components text[], counted_hires integer NOT NULL
);
CREATE INDEX ON ${s}.beneficiary_days (person_key);`,
    // What each figure of the beneficiaries section gained (or lost) on a day recorded.
    beneficiary_tally: (s) => `
CREATE TABLE ${s}.beneficiary_tally (
  day date NOT NULL, scope text NOT NULL, list text NOT NULL, key text NOT NULL, n bigint NOT NULL, PRIMARY KEY (day, scope, list, key)
);`,
  },
});

const DAY = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;
/** Whether a row of alias `r` (with `vf`/`vt` days) holds at the end of the day `t`. */
const holds = (r: string, t: string) => `${r}.vf <= ${t} AND ${r}.vt > ${t}`;
const VERSION_DAYS = (r: string) => `${DAY(`${r}.valid_from`)} AS vf, ${DAY(`${r}.valid_to`)} AS vt`;

const yesNo = (column: string, yes = 'yes', no = 'no') =>
  `CASE WHEN ${column} THEN '${yes}' WHEN NOT ${column} THEN '${no}' ELSE 'unknown' END`;

/** The lists of the report a counted person adds one to, each with the key of their row. */
const LISTS: ReadonlyArray<readonly [string, string]> = [
  ['gender', `coalesce(gender, 'unknown')`],
  ['age_band', `coalesce(age_band, 'unknown')`],
  ['disability', yesNo('disability')],
  ['diploma', yesNo('has_diploma', 'diploma', 'none')],
  ['area', `coalesce(area, 'unknown')`],
  ['long_term', yesNo('long_term')],
  ['province', `coalesce(province, 'unknown')`],
];

/**
 * The figures signed state rows (relation `r`, each with its `sign`) add on each day, as (scope, day,
 * list, key, n). The lists of one key per person are summed in one pass over the rows, a grouping
 * set each (the set with no key is the total); the lists of several keys (sources, components) and
 * the hires counted, beside them.
 */
const contributions = (r: string): string => `
  SELECT scope, day,
         CASE ${LISTS.map(([list]) => `WHEN GROUPING(${list}) = 0 THEN '${list}'`).join(' ')} ELSE 'total' END AS list,
         coalesce(${LISTS.map(([list]) => list).join(', ')}, 'total') AS key, sum(sign) AS n
    FROM (SELECT scope, day, sign, ${LISTS.map(([list, key]) => `${key} AS ${list}`).join(', ')} FROM ${r} WHERE counted) x
   GROUP BY GROUPING SETS ((scope, day), ${LISTS.map(([list]) => `(scope, day, ${list})`).join(', ')})
  UNION ALL
  SELECT scope, day, 'source', x, sum(sign) FROM ${r} CROSS JOIN unnest(sources) x WHERE counted GROUP BY 1, 2, 4
  UNION ALL
  SELECT scope, day, 'component', x, sum(sign) FROM ${r} CROSS JOIN unnest(components) x WHERE counted GROUP BY 1, 2, 4
  UNION ALL
  SELECT scope, day, 'counted_hires', 'hires', sum(sign * counted_hires) FROM ${r} WHERE counted_hires > 0 GROUP BY 1, 2`;

const STATE = ['counted', ...CATEGORIES, 'sources', 'components', 'counted_hires'] as const;

/**
 * What a series (a relation of state rows) adds to the figures, day by day: each row's figures from
 * its day, taken off again from the day of the next row of its scope and person.
 */
const deltasOf = (series: string, name: string): string => `
  ${name}_signed AS (
    SELECT scope, day, 1 AS sign, ${STATE.join(', ')} FROM ${series}
    UNION ALL
    SELECT scope, next AS day, -1 AS sign, ${STATE.join(', ')} FROM (
      SELECT *, lead(day) OVER (PARTITION BY scope, person_key ORDER BY day) AS next FROM ${series}) n
     WHERE next IS NOT NULL),
  ${name}_deltas AS (${contributions(`${name}_signed`)})`;

/**
 * The series of every person chosen (`$1`, their keys, or every key from `$4` to `$5`), computed from
 * the tables of schema `s`; `$2` and `$3` are the contract types and the programme lines they fall under.
 */
const seriesOf = (s: string): string => `
  lines AS (SELECT * FROM unnest($2::text[], $3::text[]) AS l(contract_type, line)),
  -- The people chosen are a condition on each table, never a relation joined to them: a planner
  -- that took such a relation for one row would loop over the people. What they lead to in other
  -- tables is looked up by key, an array of them (= ANY(ARRAY(...))), so that a chunk of people
  -- reads their rows by index rather than a pass over a whole table, whatever the planner may join.
  mine AS (SELECT b.*, ${VERSION_DAYS('b')} FROM ${s}.beneficiaries b WHERE ${CHOSEN('b.person_key')}),
  their_hires AS (SELECT ARRAY(SELECT ref FROM mine WHERE source = 'hire') AS refs),
  firsts AS (SELECT person_key, min(vf) AS since FROM mine GROUP BY 1),
  -- The grant files a person's count reads: their own, and those that name one of their hires.
  grants AS (
    SELECT g.person_key AS for_person, g.*, ${VERSION_DAYS('g')} FROM ${s}.beneficiaries g
     WHERE g.source = 'grant' AND ${CHOSEN('g.person_key')}
    UNION ALL
    SELECT h.person_key AS for_person, g.*, ${VERSION_DAYS('g')}
      FROM mine h JOIN ${s}.beneficiaries g ON g.source = 'grant' AND g.placement_id = h.ref
     WHERE h.source = 'hire' AND g.person_key <> h.person_key
       AND g.placement_id = ANY((SELECT refs FROM their_hires)::text[])),
  grant_refs AS (SELECT ARRAY(SELECT DISTINCT ref FROM grants) AS refs),
  decisions AS (
    SELECT d.file_id, d.outcome, ${VERSION_DAYS('d')} FROM ${s}.file_decisions d
     WHERE d.kind = 'grant' AND d.file_id = ANY((SELECT refs FROM grant_refs)::text[])),
  files AS (
    SELECT f.file_id, f.component, ${VERSION_DAYS('f')} FROM ${s}.files f
     WHERE f.kind = 'grant' AND f.file_id = ANY((SELECT refs FROM grant_refs)::text[])),
  -- The hires grant files name, for the categories an older file did not carry.
  named AS (
    SELECT h.ref AS placement_id, ${CATEGORIES.map((c) => `h.${c}`).join(', ')}, ${VERSION_DAYS('h')} FROM ${s}.beneficiaries h
     WHERE h.source = 'hire' AND h.ref = ANY(ARRAY(SELECT placement_id FROM grants WHERE placement_id IS NOT NULL))),
  hires AS (
    SELECT b.*, p.destination_region, p.contract_type, p.hired_on
      FROM mine b JOIN ${s}.placements p ON p.placement_id = b.ref
     WHERE b.source = 'hire' AND p.placement_id = ANY((SELECT refs FROM their_hires)::text[])),
  -- Only a hire under a contract some line pays for reads the conventions (and is counted again when one changes).
  lined AS (SELECT h.* FROM hires h WHERE h.contract_type IN (SELECT contract_type FROM lines)),
  conv AS (
    SELECT c.convention_id, c.region, c.period_start, c.period_end, ${VERSION_DAYS('c')} FROM ${s}.conventions c
     WHERE c.region IN (SELECT destination_region FROM lined)),
  meas AS (
    SELECT m.convention_id, m.programme_line, ${VERSION_DAYS('m')} FROM ${s}.convention_measures m
     WHERE m.convention_id IN (SELECT convention_id FROM conv)),
  -- Every day on which something a person is counted from changed, from their first fact on.
  days AS (
    SELECT DISTINCT x.person_key, x.day FROM (
      SELECT person_key, vf AS day FROM mine
      UNION ALL SELECT for_person, vf FROM grants
      UNION ALL SELECT g.for_person, unnest(ARRAY[d.vf, d.vt]) FROM grants g JOIN decisions d ON d.file_id = g.ref
      UNION ALL SELECT g.for_person, unnest(ARRAY[f.vf, f.vt]) FROM grants g JOIN files f ON f.file_id = g.ref
      UNION ALL SELECT g.for_person, h.vf FROM grants g JOIN named h USING (placement_id)
      UNION ALL SELECT h.person_key, unnest(ARRAY[c.vf, c.vt]) FROM lined h JOIN conv c ON c.region = h.destination_region
      UNION ALL SELECT h.person_key, unnest(ARRAY[m.vf, m.vt])
                  FROM lined h JOIN conv c ON c.region = h.destination_region JOIN meas m USING (convention_id)
    ) x JOIN firsts f USING (person_key) WHERE x.day >= f.since AND x.day <> 'infinity'),
  -- The grant files approved at the end of each day, with the line they were filed under then.
  granted AS (
    SELECT t.person_key, t.day, g.person_key AS owner, g.ref, g.region, g.first_on, g.placement_id,
           coalesce(f.component, 'lasting_integration') AS component,
           ${CATEGORIES.map((c) => `coalesce(g.${c}, h.${c}) AS ${c}`).join(', ')}
      FROM days t JOIN grants g ON g.for_person = t.person_key AND g.vf <= t.day
      JOIN decisions d ON d.file_id = g.ref AND d.outcome = 'approved' AND ${holds('d', 't.day')}
      LEFT JOIN files f ON f.file_id = g.ref AND ${holds('f', 't.day')}
      LEFT JOIN named h ON h.placement_id = g.placement_id AND h.vf <= t.day),
  -- The hires under a measure of a convention of the job's region, within its period, at the end of each day.
  under AS (
    SELECT DISTINCT t.person_key, t.day, h.ref AS placement_id, m.programme_line, h.region, h.vf, h.first_on,
           ${CATEGORIES.map((c) => `h.${c}`).join(', ')}
      FROM days t JOIN lined h ON h.person_key = t.person_key AND h.vf <= t.day
      JOIN lines l ON l.contract_type = h.contract_type
      JOIN conv c ON c.region = h.destination_region AND h.hired_on BETWEEN c.period_start AND c.period_end AND ${holds('c', 't.day')}
      JOIN meas m ON m.convention_id = c.convention_id AND m.programme_line = l.line AND ${holds('m', 't.day')}),
  facts AS (
    SELECT t.person_key, t.day, b.source, b.ref, b.region, b.first_on, 'temporary_works' AS component,
           ${CATEGORIES.map((c) => `b.${c}`).join(', ')}
      FROM days t JOIN mine b ON b.person_key = t.person_key AND b.source = 'works' AND b.vf <= t.day
    UNION ALL
    SELECT person_key, day, 'grant', ref, region, first_on, component, ${CATEGORIES.join(', ')}
      FROM granted WHERE owner = person_key
    UNION ALL
    SELECT person_key, day, 'hire', placement_id, region, first_on, programme_line, ${CATEGORIES.join(', ')} FROM under),
  scoped AS (SELECT sc.scope, f.* FROM facts f CROSS JOIN LATERAL (VALUES (f.region), ('${NATIONAL_SCOPE}')) sc(scope)),
  earliest AS (
    SELECT DISTINCT ON (scope, person_key, day) scope, person_key, day, ${CATEGORIES.join(', ')}
      FROM scoped ORDER BY scope, person_key, day, first_on, source, region, ref),
  sets AS (
    SELECT scope, person_key, day, array_agg(DISTINCT source ORDER BY source) AS sources,
           array_agg(DISTINCT component ORDER BY component) AS components
      FROM scoped GROUP BY 1, 2, 3),
  -- A hire counts through a line or through an approved grant file that names it (anyone's).
  through AS (
    SELECT person_key, day, placement_id FROM under
    UNION SELECT person_key, day, placement_id FROM granted WHERE placement_id IS NOT NULL),
  hires_counted AS (
    SELECT sc.scope, c.person_key, c.day, count(*) AS n
      FROM through c JOIN mine h ON h.person_key = c.person_key AND h.source = 'hire' AND h.ref = c.placement_id AND h.vf <= c.day
      CROSS JOIN LATERAL (VALUES (h.region), ('${NATIONAL_SCOPE}')) sc(scope)
     GROUP BY 1, 2, 3),
  present AS (SELECT scope, person_key, day FROM earliest UNION ALL SELECT scope, person_key, day FROM hires_counted),
  spans AS (SELECT scope, person_key, min(day) AS since FROM present GROUP BY 1, 2),
  series AS (
    SELECT sp.scope, sp.person_key, t.day, e.person_key IS NOT NULL AS counted, ${CATEGORIES.map((c) => `e.${c}`).join(', ')},
           st.sources, st.components, coalesce(hc.n, 0)::integer AS counted_hires
      FROM spans sp JOIN days t ON t.person_key = sp.person_key AND t.day >= sp.since
      LEFT JOIN earliest e ON e.scope = sp.scope AND e.person_key = sp.person_key AND e.day = t.day
      LEFT JOIN sets st ON st.scope = sp.scope AND st.person_key = sp.person_key AND st.day = t.day
      LEFT JOIN hires_counted hc ON hc.scope = sp.scope AND hc.person_key = sp.person_key AND hc.day = t.day)`;

const DELTAS = (s: string) => `
     old AS (DELETE FROM ${s}.beneficiary_days d WHERE ${CHOSEN('d.person_key')} RETURNING *),
     put AS (INSERT INTO ${s}.beneficiary_days (scope, person_key, day, ${STATE.join(', ')})
             SELECT scope, person_key, day, ${STATE.join(', ')} FROM series),
     ${deltasOf('series', 'new')},
     ${deltasOf('old', 'old')},
     delta AS (
       SELECT day, scope, list, key, sum(n) AS n
         FROM (SELECT * FROM new_deltas UNION ALL SELECT scope, day, list, key, -n FROM old_deltas) d
        GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0)`;

const paramsOf = (chosen: Chosen) => {
  const range = 'from' in chosen ? chosen : null;
  return [
    range ? [] : chosen,
    Object.keys(LINE_OF_CONTRACT),
    Object.values(LINE_OF_CONTRACT),
    range?.from ?? null,
    range?.to ?? null,
  ];
};

/** The beneficiaries' tally: each person's series, by scope, list and key. */
const PEOPLE = (s: string): SeriesTally => ({
  name: 'people',
  tally: 'beneficiary_tally',
  key: ['scope', 'list', 'key'],
  keys: `SELECT DISTINCT person_key AS k FROM ${s}.beneficiaries`,
  deltas: `WITH ${seriesOf(s)}, ${DELTAS(s)}`,
  params: paramsOf,
});

/** Counts the people chosen again (see `recountSome`). */
export const recount = (q: Queryable, s: string, chosen: Chosen): Promise<void> => recountSome(q, s, PEOPLE(s), chosen);

/**
 * Counts everyone a generation names, after a first load that did not count as it went (see
 * `recountAll`). The series are functions of the tables, so this gives what counting page by page
 * would have given.
 */
export const recountEveryone = (
  db: Database,
  s: string,
  options: { readonly chunk?: number; readonly workers?: number; readonly onChunk?: () => Promise<void> } = {},
): Promise<void> => recountAll(db, s, PEOPLE(s), options);

interface AnyItem {
  readonly type: IntegrationEventType;
  readonly item: PageItem<IntegrationEventType>;
}

/** The data of an item of type `T`, typed by it; undefined for an item of another type. */
const dataOf = <T extends IntegrationEventType>(i: AnyItem, type: T): IntegrationEventData<T> | undefined =>
  i.type === type ? (i.item.data as IntegrationEventData<T>) : undefined;

const CONVENTION_EVENTS: readonly IntegrationEventType[] = [
  'ConventionDrafted',
  'ConventionSigned',
  'ConventionAmended',
  'ConventionClosed',
];

/**
 * The people whose count a page of events may change: those its facts name, those whose grant
 * files or named hires it decides or brings, and, for a convention changed, everyone hired in its
 * region under a contract a programme line pays for. Read after the page is written.
 */
export const touchedBy = async (q: Queryable, s: string, items: readonly AnyItem[]): Promise<string[]> => {
  const keys: string[] = [];
  const grants: string[] = [];
  const placements: string[] = [];
  const regions: string[] = [];
  for (const i of items) {
    const hired = dataOf(i, 'SeekerHired');
    if (hired) {
      keys.push(seekerKey(hired.seekerId));
      placements.push(hired.placementId);
    }
    const enrolled = dataOf(i, 'WorksBeneficiaryEnrolled');
    if (enrolled) keys.push(personOfEnrolment(enrolled));
    const applied = dataOf(i, 'GrantApplied');
    if (applied) grants.push(applied.grantId);
    const decided = dataOf(i, 'GrantDecided');
    if (decided) grants.push(decided.grantId);
    if (CONVENTION_EVENTS.includes(i.type)) regions.push((i.item.data as { region: string }).region);
  }
  if (grants.length === 0 && placements.length === 0 && regions.length === 0) return [...new Set(keys)];
  const { rows } = await q.query<{ person_key: string }>(
    `SELECT g.person_key FROM ${s}.beneficiaries g WHERE g.source = 'grant' AND g.ref = ANY($1::text[])
     UNION SELECT h.person_key FROM ${s}.beneficiaries g JOIN ${s}.beneficiaries h ON h.source = 'hire' AND h.ref = g.placement_id
            WHERE g.source = 'grant' AND g.ref = ANY($1::text[])
     UNION SELECT g.person_key FROM ${s}.beneficiaries g WHERE g.source = 'grant' AND g.placement_id = ANY($2::text[])
     UNION SELECT b.person_key FROM ${s}.beneficiaries b JOIN ${s}.placements p ON p.placement_id = b.ref
            WHERE b.source = 'hire' AND p.destination_region = ANY($3::text[]) AND p.contract_type = ANY($4::text[])`,
    [grants, placements, regions, Object.keys(LINE_OF_CONTRACT)],
  );
  return [...new Set([...keys, ...rows.map((r) => r.person_key)])];
};
