import type { Queryable } from '@tashghil/event-store';
import { endOfDay, rowsAt } from '../read-model/bitemporal';
import { LINE_OF_CONTRACT } from '../read-model/people';
import { BENEFICIARY_RULE } from './beneficiaries.query';
import type { Beneficiaries, Count } from './report.types';

const CATEGORIES = ['province', 'gender', 'age_band', 'disability', 'has_diploma', 'area', 'long_term'];
const yesNo = (column: string, yes = 'yes', no = 'no') =>
  `CASE WHEN ${column} THEN '${yes}' WHEN NOT ${column} THEN '${no}' ELSE 'unknown' END`;

/**
 * The beneficiaries counted the slow way, by the rule, from every fact that holds at the end of
 * `day` (or now): the definition the tally kept by the projection is checked against. Each fact
 * that makes its person a beneficiary (a works enrolment; the hire of an approved grant file, with
 * the file's categories or else its placement's; a hire under a measure of a convention of the job's
 * region, within its period) is merged per person, whose categories are those of the earliest fact.
 */
export const beneficiariesScanned = async (
  q: Queryable,
  s: string,
  region: string | null,
  day: string | null,
): Promise<Beneficiaries> => {
  const at = (table: string) => rowsAt(s, table, day === null ? null : endOfDay(day));
  const { rows } = await q.query<{ list: string; key: string; count: string }>(
    `WITH under AS (
       SELECT DISTINCT p.placement_id, m.programme_line FROM ${at('placements')} p
         JOIN ${at('conventions')} c ON c.region = p.destination_region AND p.hired_on BETWEEN c.period_start AND c.period_end
         JOIN ${at('convention_measures')} m ON m.convention_id = c.convention_id
         JOIN unnest($2::text[], $3::text[]) AS l(contract_type, line) ON l.contract_type = p.contract_type AND l.line = m.programme_line),
     granted AS (
       SELECT g.*, coalesce(f.component, 'lasting_integration') AS component FROM ${at('beneficiaries')} g
         JOIN ${at('file_decisions')} d ON d.kind = 'grant' AND d.file_id = g.ref AND d.outcome = 'approved'
         LEFT JOIN ${at('files')} f ON f.kind = 'grant' AND f.file_id = g.ref
        WHERE g.source = 'grant'),
     facts AS (
       SELECT source, ref, region, person_key, first_on, 'temporary_works' AS component, ${CATEGORIES.join(', ')}
         FROM ${at('beneficiaries')} b WHERE source = 'works'
       UNION ALL
       SELECT g.source, g.ref, g.region, g.person_key, g.first_on, g.component, ${CATEGORIES.map((c) => `coalesce(g.${c}, h.${c})`).join(', ')}
         FROM granted g LEFT JOIN ${at('beneficiaries')} h ON h.source = 'hire' AND h.ref = g.placement_id
       UNION ALL
       SELECT b.source, b.ref, b.region, b.person_key, b.first_on, u.programme_line, ${CATEGORIES.map((c) => `b.${c}`).join(', ')}
         FROM ${at('beneficiaries')} b JOIN under u ON u.placement_id = b.ref WHERE b.source = 'hire'),
     scoped AS (SELECT * FROM facts WHERE $1::text IS NULL OR region = $1),
     people AS (SELECT DISTINCT ON (person_key) * FROM scoped ORDER BY person_key, first_on, source, region, ref)
     SELECT 'total' AS list, 'total' AS key, count(*) AS count FROM people
     UNION ALL SELECT 'gender', coalesce(gender, 'unknown'), count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'age_band', coalesce(age_band, 'unknown'), count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'disability', ${yesNo('disability')}, count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'diploma', ${yesNo('has_diploma', 'diploma', 'none')}, count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'area', coalesce(area, 'unknown'), count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'long_term', ${yesNo('long_term')}, count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'province', coalesce(province, 'unknown'), count(*) FROM people GROUP BY 2
     UNION ALL SELECT 'source', source, count(DISTINCT person_key) FROM scoped GROUP BY 2
     UNION ALL SELECT 'component', component, count(DISTINCT person_key) FROM scoped GROUP BY 2
     UNION ALL
     SELECT 'left_out', 'hires', count(*) FROM ${at('beneficiaries')} h
      WHERE h.source = 'hire' AND ($1::text IS NULL OR h.region = $1)
        AND NOT EXISTS (SELECT 1 FROM under u WHERE u.placement_id = h.ref)
        AND NOT EXISTS (SELECT 1 FROM granted g WHERE g.placement_id = h.ref)
     ORDER BY 1, 2`,
    [region, Object.keys(LINE_OF_CONTRACT), Object.values(LINE_OF_CONTRACT)],
  );
  const list = (name: string): Count[] =>
    rows.filter((r) => r.list === name && Number(r.count) > 0).map((r) => ({ key: r.key, count: Number(r.count) }));
  const bySource = list('source');
  return {
    total: list('total')[0]?.count ?? 0,
    byGender: list('gender'),
    byAgeBand: list('age_band'),
    byDisability: list('disability'),
    byDiploma: list('diploma'),
    byArea: list('area'),
    byLongTermUnemployment: list('long_term'),
    byProvince: list('province'),
    bySource,
    byComponent: list('component'),
    basis: { rule: BENEFICIARY_RULE, counted: bySource, hiresLeftOut: list('left_out')[0]?.count ?? 0 },
  };
};
