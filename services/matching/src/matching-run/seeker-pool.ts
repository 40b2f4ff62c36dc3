import type { Queryable } from '@tashghil/event-store';
import { UNIT_GROUP_CODES } from '../occupation/isco-08';
import { EDUCATION_LEVELS, registeredBy, type EducationLevel, type Mobility } from '../seeker/seeker.decider';
import { poolKey } from '../seeker/seeker.query-model';
import { POINTS, skillKey } from './points';
import type { OpenOffer } from './run-inputs';
import { rankForOffer } from './streaming.workflow';

/** A registered seeker as q.seekers holds them: what scoring reads, nothing personal. */
export interface PooledSeeker {
  readonly seekerId: string;
  readonly region: string;
  readonly province: string;
  readonly occupations: readonly string[];
  readonly skills: readonly string[];
  readonly education: EducationLevel;
  readonly mobility: Mobility;
  readonly registeredOn: string;
  readonly disability: boolean;
}

const LEVELS = [
  { digits: 4, points: POINTS.occupation.unit },
  { digits: 3, points: POINTS.occupation.minor },
  { digits: 2, points: POINTS.occupation['sub-major'] },
  { digits: 1, points: POINTS.occupation.major },
] as const;

/**
 * The most any seeker scores beyond occupation and distance: every skill asked, the education met,
 * both priorities. A seeker who lists one skill twice counts it twice in scoreMatch and can pass it;
 * the bound ignores that quirk (see the report of issue 16).
 */
const REST =
  POINTS.skillsMax + POINTS.education.meets + POINTS.priority.longTermRegistered + POINTS.priority.disability;

interface Bucket {
  readonly codes: readonly string[];
  /** Codes of the finer levels, already read. */
  readonly finer: readonly string[];
  readonly place: 'province' | 'region' | 'elsewhere' | 'abroad';
  readonly bound: number;
}

/** The groups of the pool an offer draws from, highest bound first: occupation level × where the seeker lives. */
const bucketsOf = (offer: OpenOffer): Bucket[] => {
  const buckets: Bucket[] = [];
  let finer: string[] = [];
  for (const level of LEVELS) {
    const prefix = offer.occupation.slice(0, level.digits);
    const codes = UNIT_GROUP_CODES.filter((c) => c.startsWith(prefix) && !finer.includes(c));
    const at = (place: Bucket['place'], distance: number): Bucket => ({
      codes,
      finer,
      place,
      bound: level.points + distance + REST,
    });
    if (offer.abroadCountry) buckets.push(at('abroad', POINTS.distance.abroad));
    else {
      buckets.push(at('province', POINTS.distance.same_province), at('region', POINTS.distance.same_region));
      if (offer.openToOtherRegions) buckets.push(at('elsewhere', POINTS.distance.other_region));
    }
    finer = [...finer, ...codes];
  }
  return buckets.sort((a, b) => b.bound - a.bound);
};

/**
 * The seekers of a group, as a condition on q.seekers: the pool keys of its trades in its place
 * (their GIN index holds registered seekers only), less the finer trades already read, less the
 * seekers the keys also hold but the place leaves out (the offer's own province for the region's
 * group, the offer's region for the other regions'). `hole` numbers a parameter.
 */
const groupOf = (group: Bucket, offer: OpenOffer, hole: (value: unknown) => string): string => {
  const keys = (key: (code: string) => string): string => hole(group.codes.map(key));
  const finer = `NOT (occupations && ${hole(group.finer)}::text[])`;
  switch (group.place) {
    case 'province':
      return `pool_keys && ${keys((c) => poolKey.province(offer.region, offer.province, c))}::text[] AND ${finer}`;
    case 'region':
      return `pool_keys && ${keys((c) => poolKey.region(offer.region, c))}::text[] AND ${finer} AND province <> ${hole(offer.province)}`;
    case 'elsewhere':
      return `pool_keys && ${keys(poolKey.elsewhere)}::text[] AND ${finer} AND region <> ${hole(offer.region)}`;
    case 'abroad':
      return `pool_keys && ${keys(poolKey.abroad)}::text[] AND ${finer}`;
    default: {
      const _exhaustive: never = group.place;
      throw new Error(String(_exhaustive));
    }
  }
};

interface PoolRow {
  readonly seeker_id: string;
  readonly region: string;
  readonly province: string;
  readonly occupations: string[];
  readonly skills: string[];
  readonly education: EducationLevel;
  readonly mobility: Mobility;
  readonly registered_on: string;
  readonly disability: boolean;
}

/**
 * What a seeker of one group adds to the group's own points (occupation level and distance, the same
 * for all of them), as SQL over q.seekers: the skills asked and had, the education against the one
 * required, and the two priorities, each as scoreMatch counts it (skill_keys are the skills as it
 * compares them; a registration day up to registeredBy counts as long-term). `hole` numbers a
 * parameter.
 */
const restOf = (offer: OpenOffer, on: string, hole: (value: unknown) => string): string => {
  const wanted = [...new Set(offer.skills.map(skillKey))];
  const count = hole(wanted.length);
  const gap = `coalesce(array_position(${hole(EDUCATION_LEVELS)}::text[], education), 0) - 1 - ${hole(
    EDUCATION_LEVELS.indexOf(offer.requiredEducation),
  )}::int`;
  const { education, priority } = POINTS;
  return [
    `CASE WHEN ${count}::int = 0 THEN 0 ELSE (${POINTS.skillsMax} * (SELECT count(*) FROM unnest(skill_keys) AS k
       WHERE k = ANY(${hole(wanted)}::text[]))) / ${count}::int END`,
    `CASE WHEN ${gap} >= 0 THEN ${education.meets} WHEN ${gap} = -1 THEN ${education.oneBelow} ELSE ${education.below} END`,
    `CASE WHEN registered_on <= ${hole(registeredBy(POINTS.longTermMonths, on))} THEN ${priority.longTermRegistered} ELSE 0 END`,
    `CASE WHEN disability THEN ${priority.disability} ELSE 0 END`,
  ]
    .map((part) => `(${part})`)
    .join(' + ');
};

/**
 * One group's `limit` best by the points its seekers add, with every seeker tied with the last of them (the ranking that follows breaks ties by seeker id,
 * which the database's text order need not share). A seeker left out has fewer points than `limit`
 * seekers of the same group, so it cannot be among the offer's best. The server scores the group;
 * only those few rows cross the wire, where every seeker of the group used to be sent, parsed and
 * scored here: 6,248 rows an offer at a million seekers (2026-12-05). The lists come as JSON,
 * which the client parses natively.
 */
const readGroup = async (
  db: Queryable,
  offer: OpenOffer,
  on: string,
  limit: number,
  group: Bucket,
): Promise<PoolRow[]> => {
  const params: unknown[] = [];
  const hole = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const rest = restOf(offer, on, hole);
  const first = hole(limit);
  const sql = `SELECT seeker_id, region, province, to_json(occupations) AS occupations, to_json(skills) AS skills,
                      education, mobility, registered_on, disability
                 FROM q.seekers WHERE ${groupOf(group, offer, hole)}
                ORDER BY ${rest} DESC FETCH FIRST (${first}::int) ROWS WITH TIES`;
  return (await db.query<PoolRow>(sql, params)).rows;
};

/**
 * The best registered seekers for an offer, from q.seekers through its pool keys' GIN index: the
 * groups are read one a statement from the highest bound a seeker in them can score down, and the
 * reading stops once the `limit`-th best found beats the next group's bound. A seeker of the offer's
 * trade nearby is found in the first statement, not by scoring the pool. Seekers read beyond the
 * bound only widen the ranking, which stays exact. Reading the offer's own trade everywhere it may
 * look in one statement (three groups) scored the other regions' seekers of a popular trade even
 * when those nearby already beat their bound: on a million seekers and 600 offers, three rounds each
 * (bench/README.md, 2026-12-07), one group a statement gave p50 11.0-12.1 ms, p90 37.7-41.7 ms, p99
 * 128-133 ms; two 12.3-12.7, 44.6-46.0 and 137-141 ms; three 22.9-23.3, 66.0-67.2 and 143-154 ms,
 * the same 10,008 seekers found each time.
 */
export const bestSeekersFor = async (
  db: Queryable,
  offer: OpenOffer,
  on: string,
  limit: number,
): Promise<Array<{ seeker: PooledSeeker; score: number }>> => {
  if (limit <= 0) return [];
  const buckets = bucketsOf(offer);
  const found: PooledSeeker[] = [];
  let best: Array<{ seeker: PooledSeeker; score: number }> = [];
  for (const [b, group] of buckets.entries()) {
    const rows = await readGroup(db, offer, on, limit, group);
    for (const r of rows)
      found.push({
        seekerId: r.seeker_id,
        region: r.region,
        province: r.province,
        occupations: r.occupations,
        skills: r.skills,
        education: r.education,
        mobility: r.mobility,
        registeredOn: r.registered_on,
        disability: r.disability,
      });
    best = rankForOffer(offer, found, on, limit);
    const next = buckets[b + 1];
    if (!next || (best.length === limit && (best[limit - 1]?.score ?? 0) > next.bound)) break;
  }
  return best;
};
