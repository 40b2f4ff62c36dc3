import type { Queryable } from '@tashghil/event-store';
import { rowsAt } from '../read-model/bitemporal';
import type { Beneficiaries, Count } from './report.types';

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

/** The counting rule as the report states it (DOMAIN.md, "What a committee report holds"). */
export const BENEFICIARY_RULE = {
  fr:
    'Chaque personne compte une fois dans le total, et une fois dans chaque composante où elle figure : inscription sur un chantier ' +
    "temporaire ; embauche d'un dossier d'aide à l'insertion durable approuvé ; embauche issue de l'intermédiation seulement sous un " +
    "contrat que finance une mesure d'une convention signée de la région, pendant sa période (Idmaj : contrats de formation). " +
    'Les autres placements ne sont pas comptés.',
  ar:
    'يُحتسب كل شخص مرة واحدة في المجموع، ومرة واحدة في كل مكوّن ينتمي إليه: التسجيل في ورش مؤقت؛ التشغيل في ملف منحة للإدماج ' +
    'المستدام مصادق عليه؛ التشغيل عبر الوساطة فقط بعقد تموله إحدى تدابير اتفاقية موقعة للجهة خلال مدتها (إدماج: عقود التكوين). ' +
    'ولا تُحتسب عمليات التشغيل الأخرى.',
} as const;

const CATEGORIES = 'province, gender, age_band, disability, has_diploma, area, long_term';

/**
 * Every fact that makes its person a programme beneficiary, one row per fact and component:
 *  - a works enrolment, in temporary works;
 *  - the hire of an approved grant file, in the component its envelope names (lasting integration),
 *    with the categories the file carries, or else those of the placement it names;
 *  - a matching hire under a measure of a signed convention of the region where the job is, hired
 *    within the convention's period, in the measure's programme line (the rule the measure's
 *    achievement uses).
 * `$1` is the region or null, `$2`/`$3` the contract types and their lines.
 */
const counted = (at: (table: string) => string): string => `
  hire_under AS (
    SELECT DISTINCT p.placement_id, m.programme_line
      FROM ${at('placements')} p
      JOIN ${at('conventions')} c ON c.region = p.destination_region AND p.hired_on BETWEEN c.period_start AND c.period_end
      JOIN ${at('convention_measures')} m ON m.convention_id = c.convention_id
      JOIN unnest($2::text[], $3::text[]) AS l(contract_type, line) ON l.contract_type = p.contract_type AND l.line = m.programme_line),
  granted AS (
    SELECT g.*, coalesce(f.component, 'lasting_integration') AS component
      FROM ${at('beneficiaries')} g
      JOIN ${at('file_decisions')} d ON d.kind = 'grant' AND d.file_id = g.ref AND d.outcome = 'approved'
      LEFT JOIN ${at('files')} f ON f.kind = 'grant' AND f.file_id = g.ref
     WHERE g.source = 'grant'),
  facts AS (
    SELECT b.source, b.ref, b.region, b.person_key, b.first_on, 'temporary_works' AS component, ${CATEGORIES}
      FROM ${at('beneficiaries')} b WHERE b.source = 'works'
    UNION ALL
    SELECT g.source, g.ref, g.region, g.person_key, g.first_on, g.component, coalesce(g.province, h.province),
           coalesce(g.gender, h.gender), coalesce(g.age_band, h.age_band), coalesce(g.disability, h.disability),
           coalesce(g.has_diploma, h.has_diploma), coalesce(g.area, h.area), coalesce(g.long_term, h.long_term)
      FROM granted g LEFT JOIN ${at('beneficiaries')} h ON h.source = 'hire' AND h.ref = g.placement_id
    UNION ALL
    SELECT b.source, b.ref, b.region, b.person_key, b.first_on, u.programme_line, ${CATEGORIES.split(', ')
      .map((c) => `b.${c}`)
      .join(', ')}
      FROM ${at('beneficiaries')} b JOIN hire_under u ON u.placement_id = b.ref WHERE b.source = 'hire'),
  scoped AS (SELECT * FROM facts WHERE $1::text IS NULL OR region = $1),
  -- A person's categories are those of their earliest fact, so they do not depend on reading order.
  people AS (SELECT DISTINCT ON (person_key) * FROM scoped ORDER BY person_key, first_on, source, region, ref)`;

const yesNo = (column: string, yes = 'yes', no = 'no') =>
  `CASE WHEN ${column} THEN '${yes}' WHEN NOT ${column} THEN '${no}' ELSE 'unknown' END`;

/**
 * The beneficiaries of every programme, each person once in the totals (once per region in a
 * regional report, once nationally), and in each component and source they belong to. A category
 * an older grant file did not carry, with no placement to take it from, is `unknown`.
 */
export const beneficiariesOf = async (
  q: Queryable,
  s: string,
  region: string | null,
  instant: string | null,
): Promise<Beneficiaries> => {
  const at = (table: string): string => rowsAt(s, table, instant);
  const params = [region, Object.keys(LINE_OF_CONTRACT), Object.values(LINE_OF_CONTRACT)];
  // Every category in one pass over the people (grouping sets), each key made non-null first so that
  // the one a row is grouped by is the only one left.
  const CATEGORY_KEYS: readonly (readonly [list: string, expr: string])[] = [
    ['gender', `coalesce(gender, 'unknown')`],
    ['age_band', `coalesce(age_band, 'unknown')`],
    ['disability', yesNo('disability')],
    ['diploma', yesNo('has_diploma', 'diploma', 'none')],
    ['area', `coalesce(area, 'unknown')`],
    ['long_term', yesNo('long_term')],
    ['province', `coalesce(province, 'unknown')`],
  ];
  const listOf = CATEGORY_KEYS.map(([list]) => `WHEN GROUPING(${list}) = 0 THEN '${list}'`).join(' ');
  const persons = (list: string, column: string) =>
    `SELECT '${list}' AS list, ${column} AS key, count(DISTINCT person_key) AS count FROM scoped GROUP BY 2`;
  // Every list in one statement, so the facts are gathered once (a CTE read twice is materialised).
  const { rows } = await q.query<{ list: string; key: string; count: string }>(
    `WITH ${counted(at)},
     keyed AS (SELECT ${CATEGORY_KEYS.map(([list, expr]) => `${expr} AS ${list}`).join(', ')} FROM people)
     SELECT list, key, count::text AS count FROM (
       SELECT CASE ${listOf} ELSE 'total' END AS list,
              coalesce(${CATEGORY_KEYS.map(([list]) => list).join(', ')}, 'total') AS key, count(*) AS count
         FROM keyed GROUP BY GROUPING SETS ((), ${CATEGORY_KEYS.map(([list]) => `(${list})`).join(', ')})
       UNION ALL ${persons('source', 'source')}
       UNION ALL ${persons('component', 'component')}
       -- Hires in scope that count through nothing: no programme line applies and no approved grant names them.
       UNION ALL
       SELECT 'left_out' AS list, 'hires' AS key, count(*) AS count FROM ${at('beneficiaries')} h
        WHERE h.source = 'hire' AND ($1::text IS NULL OR h.region = $1)
          AND NOT EXISTS (SELECT 1 FROM hire_under u WHERE u.placement_id = h.ref)
          AND NOT EXISTS (SELECT 1 FROM granted g WHERE g.placement_id = h.ref)) lists
     ORDER BY list, key`,
    params,
  );
  const list = (name: string): Count[] =>
    rows.filter((r) => r.list === name).map((r) => ({ key: r.key, count: Number(r.count) }));
  const [total] = list('total');
  const [leftOut] = list('left_out');
  const bySource = list('source');
  return {
    total: total?.count ?? 0,
    byGender: list('gender'),
    byAgeBand: list('age_band'),
    byDisability: list('disability'),
    byDiploma: list('diploma'),
    byArea: list('area'),
    byLongTermUnemployment: list('long_term'),
    byProvince: list('province'),
    bySource,
    byComponent: list('component'),
    basis: { rule: BENEFICIARY_RULE, counted: bySource, hiresLeftOut: leftOut?.count ?? 0 },
  };
};
