import type { Queryable } from '@tashghil/event-store';
import { tallyUpTo } from '../read-model/bitemporal';
import { NATIONAL_SCOPE } from '../read-model/people';
import type { Beneficiaries, Count } from './report.types';

export { LINE_OF_CONTRACT } from '../read-model/people';

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

/**
 * The beneficiaries of every programme, each person once in the totals (once per region in a
 * regional report, once nationally), and in each component and source they belong to, as of the
 * end of `day` or now: the tally the projection keeps (`people.ts`), summed up to that day. A
 * category an older grant file did not carry, with no placement to take it from, is `unknown`.
 * The hires left out are the hires in scope less those that count through a line or a grant file.
 */
export const beneficiariesOf = async (
  q: Queryable,
  s: string,
  region: string | null,
  day: string | null,
): Promise<Beneficiaries> => {
  const { rows } = await q.query<{ list: string; key: string; count: string }>(
    `SELECT list, key, sum(n)::text AS count FROM ${tallyUpTo(s, 'beneficiary_tally', day)} t
      WHERE scope = $1 GROUP BY list, key HAVING sum(n) <> 0
     UNION ALL
     SELECT 'hires', 'hires', coalesce(sum(n), 0)::text FROM ${tallyUpTo(s, 'hires_by_flow', day)} h
      WHERE $2::text IS NULL OR (CASE WHEN abroad THEN origin_region ELSE destination_region END) = $2
     ORDER BY list, key`,
    [region ?? NATIONAL_SCOPE, region],
  );
  const list = (name: string): Count[] =>
    rows.filter((r) => r.list === name).map((r) => ({ key: r.key, count: Number(r.count) }));
  const one = (name: string): number => list(name)[0]?.count ?? 0;
  const bySource = list('source');
  return {
    total: one('total'),
    byGender: list('gender'),
    byAgeBand: list('age_band'),
    byDisability: list('disability'),
    byDiploma: list('diploma'),
    byArea: list('area'),
    byLongTermUnemployment: list('long_term'),
    byProvince: list('province'),
    bySource,
    byComponent: list('component'),
    basis: { rule: BENEFICIARY_RULE, counted: bySource, hiresLeftOut: one('hires') - one('counted_hires') },
  };
};
