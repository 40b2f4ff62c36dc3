/**
 * q.seekers: one row per job seeker on file, written with every append to the seeker's stream (so a
 * list read after a write shows it on every replica) and what a batch matching run reads its
 * seekers from. Nothing sealed in the store is here: no name, CIN, phone or e-mail (see
 * PERSONAL_FIELDS in seeker.decider.ts). An erased seeker keeps a row, as their history keeps the
 * profile; the sealed fields were never in it.
 *
 * Columns besides stream_id (`matching.seeker-<seekerId>`), version (the stream's) and updated_at
 * (the commit that last changed the row):
 * - seeker_id          the pseudonymous id the API names the seeker by, never the CIN;
 * - region, province   where the seeker is registered (region a code MA-01 … MA-12);
 * - occupations        ISCO-08 unit groups (4 digits) the seeker looks for work in, 1 to 5;
 * - skills, languages  free skills as typed, ISO 639 codes; matching compares skills;
 * - skill_keys         the skills as scoring compares them (skillKey: case folded), for the pool's ranking;
 * - education          one of EDUCATION_LEVELS; mobility one of MOBILITY;
 * - status             registered | withdrawn | placed | erased (a run proposes only `registered`);
 * - registered_on      the agency registration day, YYYY-MM-DD (months registered derive from it);
 * - gender, birth_date, has_diploma, area, pandemic_job_loss, disability: the categories a proposal
 *   records (categoriesOf) and the priority the scoring gives; readable by a run, never listed.
 *   has_diploma stands for `diploma` (free text, kept out), which the categories read only as a yes/no.
 *
 * Days are ISO text (YYYY-MM-DD): they sort and compare as dates, and read back without a time zone.
 */
import type { QueryModel } from '@tashghil/event-store';
import { skillKey } from '../matching-run/points';
import type { Mobility, Seeker } from './seeker.decider';

/**
 * The keys under which a registered seeker is found for an offer (matching-run/seeker-pool.ts), one
 * per trade and place the seeker may work: in their province (`p`), elsewhere in their region (`r`,
 * unless they stay in their province), in another region (`m`, when they go anywhere in the country
 * or abroad) and abroad (`a`). One GIN index over them reads exactly the seekers of a trade in a
 * place, where the index of trades alone read every seeker of the trade in the country and left the
 * place to a filter: 74 ms a query at 200,000 seekers (bench/README.md), and five times that at a
 * million.
 */
export const poolKey = {
  province: (region: string, province: string, code: string): string => `p|${region}|${province}|${code}`,
  region: (region: string, code: string): string => `r|${region}|${code}`,
  elsewhere: (code: string): string => `m|${code}`,
  abroad: (code: string): string => `a|${code}`,
};

const goesElsewhere = (m: Mobility): boolean => m === 'any_region' || m === 'abroad';

export const poolKeysOf = (s: {
  status: string;
  region: string;
  province: string;
  occupations: readonly string[];
  mobility: Mobility;
}): string[] => {
  if (s.status !== 'registered') return [];
  const keys: string[] = [];
  for (const code of s.occupations) {
    keys.push(poolKey.province(s.region, s.province, code));
    if (s.mobility !== 'own_province') keys.push(poolKey.region(s.region, code));
    if (goesElsewhere(s.mobility)) keys.push(poolKey.elsewhere(code));
    if (s.mobility === 'abroad') keys.push(poolKey.abroad(code));
  }
  return keys;
};

export const SEEKERS_TABLE = 'q.seekers';

export const seekerQueryModel: QueryModel<Seeker> = {
  table: SEEKERS_TABLE,
  category: 'matching.seeker',
  columns: {
    seeker_id: 'text',
    region: 'text',
    province: 'text',
    occupations: 'text[]',
    skills: 'text[]',
    languages: 'text[]',
    education: 'text',
    mobility: 'text',
    status: 'text',
    registered_on: 'text',
    gender: 'text',
    birth_date: 'text',
    has_diploma: 'boolean',
    area: 'text',
    pandemic_job_loss: 'boolean',
    disability: 'boolean',
    pool_keys: 'text[]',
    skill_keys: 'text[]',
  },
  // Lists sort newest registration first, stream id last; an officer's list starts with their region.
  // `occupations && $1` (a search by any of a list of trades) has its GIN index. No more: every import
  // chunk writes each of them, and most seekers are `registered`, so a status index would pick out
  // little (a run reads them in stream-id order, the primary key's).
  // pool_keys (poolKeysOf) has the GIN index the search for an offer's seekers reads.
  indexes: [
    'region, registered_on DESC, stream_id DESC',
    'registered_on DESC, stream_id DESC',
    'gin (occupations)',
    'gin (pool_keys)',
  ],
  row: (s) =>
    s.status === 'none'
      ? null
      : {
          seeker_id: s.seekerId,
          region: s.region,
          province: s.province,
          occupations: s.occupations,
          skills: s.skills,
          languages: s.languages,
          education: s.education,
          mobility: s.mobility,
          status: s.status,
          registered_on: s.registeredOn,
          gender: s.gender,
          birth_date: s.birthDate,
          has_diploma: s.diploma !== undefined,
          area: s.area,
          pandemic_job_loss: s.pandemicJobLoss,
          disability: s.disability,
          pool_keys: poolKeysOf(s),
          skill_keys: s.skills.map(skillKey),
        },
};
