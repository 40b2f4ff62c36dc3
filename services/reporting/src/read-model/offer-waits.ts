import type { IntegrationEventType } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { readModel, type PageItem } from './read-model';
import { CHOSEN, type Chosen, type Database, recountAll, recountSome, type SeriesTally } from './series';

const DAY = (column: string) => `(${column} AT TIME ZONE 'UTC')::date`;

/** The waits the report gives per offer, from its publication: each a column of `offer_days`. */
const WAITS = [
  ['opened', 'opened_on'],
  ['proposal', 'first_proposal_on'],
  ['hire', 'first_hire_on'],
] as const;
const STATE = ['region', 'published_on', 'opened_on', 'first_proposal_on', 'first_hire_on'] as const;

/**
 * How long each offer waited, from its publication, to be opened to other regions, to its first
 * proposal and to its first hire, as histograms per region and day recorded, kept as the projection
 * goes: the offer's series of states (at the end of each day on which its row changed or an earlier
 * proposal or hire than any before was recorded) is computed again from the tables whenever one of
 * them arrives, in any order, and the tally moves by the difference. The report reads a row per
 * number of days instead of looking up every offer's proposals and hires.
 */
export const offerWaits = readModel({
  revision: 1,
  tables: {
    offer_days: (s) => `
CREATE TABLE ${s}.offer_days (
  offer_id text NOT NULL, day date NOT NULL, region text, published_on date, opened_on date, first_proposal_on date, first_hire_on date
);
CREATE INDEX ON ${s}.offer_days (offer_id);`,
    offer_waits: (s) => `
CREATE TABLE ${s}.offer_waits (
  day date NOT NULL, region text NOT NULL, list text NOT NULL, days integer NOT NULL, n bigint NOT NULL,
  PRIMARY KEY (day, region, list, days)
);`,
  },
});

/** The earliest of `column` per offer, on each day it comes earlier than all recorded before. */
const firsts = (s: string, table: string, column: string, name: string) => `
  ${name}_days AS (
    SELECT offer_id, ${DAY('valid_from')} AS day, min(${column}) AS first_on FROM ${s}.${table}
     WHERE ${CHOSEN('offer_id', [1, 2, 3])} GROUP BY 1, 2),
  ${name}_runs AS (
    SELECT offer_id, day, min(first_on) OVER (PARTITION BY offer_id ORDER BY day) AS first_on FROM ${name}_days),
  ${name} AS (
    SELECT offer_id, day, first_on FROM (
      SELECT *, lag(first_on) OVER (PARTITION BY offer_id ORDER BY day) AS before FROM ${name}_runs) r
     WHERE before IS NULL OR first_on < before)`;

/** The series of every offer chosen (`$1`, or every id from `$2` to `$3`) and what it adds, as `delta`. */
const deltasOf = (s: string): string => `WITH
  versions AS (
    SELECT offer_id, region, published_on, opened_on, ${DAY('valid_from')} AS vf, ${DAY('valid_to')} AS vt
      FROM ${s}.offers WHERE ${CHOSEN('offer_id', [1, 2, 3])}),
  ${firsts(s, 'proposals', 'proposed_on', 'proposed')},
  ${firsts(s, 'placements', 'hired_on', 'hired')},
  days AS (
    SELECT offer_id, vf AS day FROM versions
    UNION SELECT offer_id, vt FROM versions WHERE vt <> 'infinity'
    UNION SELECT offer_id, day FROM proposed
    UNION SELECT offer_id, day FROM hired),
  firsts_at AS (
    SELECT d.offer_id, d.day, min(p.first_on) AS first_proposal_on FROM days d
      LEFT JOIN proposed p ON p.offer_id = d.offer_id AND p.day <= d.day GROUP BY 1, 2),
  series AS (
    SELECT d.offer_id, d.day, v.region, v.published_on, v.opened_on, d.first_proposal_on, min(h.first_on) AS first_hire_on
      FROM firsts_at d
      LEFT JOIN versions v ON v.offer_id = d.offer_id AND v.vf <= d.day AND v.vt > d.day
      LEFT JOIN hired h ON h.offer_id = d.offer_id AND h.day <= d.day
     GROUP BY 1, 2, 3, 4, 5, 6),
  old AS (DELETE FROM ${s}.offer_days o WHERE ${CHOSEN('o.offer_id', [1, 2, 3])} RETURNING *),
  put AS (INSERT INTO ${s}.offer_days SELECT offer_id, day, ${STATE.join(', ')} FROM series),
  signed AS (
    SELECT day, 1 AS sign, ${STATE.join(', ')} FROM series
    UNION ALL
    SELECT o.day, -1, ${STATE.map((c) => `p.${c}`).join(', ')}
      FROM (SELECT *, row_number() OVER (PARTITION BY offer_id ORDER BY day) AS i FROM series) o
      JOIN (SELECT *, row_number() OVER (PARTITION BY offer_id ORDER BY day) AS i FROM series) p
        ON p.offer_id = o.offer_id AND p.i = o.i - 1
    UNION ALL
    SELECT o.day, -1, ${STATE.map((c) => `o.${c}`).join(', ')} FROM old o
    UNION ALL
    SELECT o.day, 1, ${STATE.map((c) => `p.${c}`).join(', ')}
      FROM (SELECT *, row_number() OVER (PARTITION BY offer_id ORDER BY day) AS i FROM old) o
      JOIN (SELECT *, row_number() OVER (PARTITION BY offer_id ORDER BY day) AS i FROM old) p
        ON p.offer_id = o.offer_id AND p.i = o.i - 1),
  delta AS (
    SELECT day, region, list, days, sum(sign) AS n FROM signed CROSS JOIN LATERAL (
      VALUES ${WAITS.map(([list, column]) => `('${list}', ${column} - published_on)`).join(', ')}) w(list, days)
     WHERE region IS NOT NULL AND days IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0)`;

const paramsOf = (chosen: Chosen): readonly unknown[] => {
  const range = 'from' in chosen ? chosen : null;
  return [range ? [] : chosen, range?.from ?? null, range?.to ?? null];
};

/** The offers' waits: each offer's series, by region, wait and number of days. */
const OFFERS = (s: string): SeriesTally => ({
  name: 'offers',
  tally: 'offer_waits',
  key: ['region', 'list', 'days'],
  keys: `SELECT DISTINCT offer_id AS k FROM ${s}.offers UNION SELECT offer_id FROM ${s}.proposals UNION SELECT offer_id FROM ${s}.placements`,
  deltas: deltasOf(s),
  params: paramsOf,
});

/** Counts the offers chosen again (see `recountSome`). */
export const recountOffers = (q: Queryable, s: string, chosen: Chosen): Promise<void> =>
  recountSome(q, s, OFFERS(s), chosen);

/** Counts every offer after a first load that did not count as it went. */
export const recountEveryOffer = (
  db: Database,
  s: string,
  options: { readonly onChunk?: () => Promise<void> } = {},
): Promise<void> => recountAll(db, s, OFFERS(s), options);

const OFFER_EVENTS: readonly IntegrationEventType[] = [
  'OfferPublished',
  'OfferOpenedToOtherRegions',
  'PlacementProposed',
  'SeekerHired',
];

/** The offers a page of events names: their row, a proposal or a hire of theirs. */
export const offersTouchedBy = (
  items: readonly { readonly type: IntegrationEventType; readonly item: PageItem<IntegrationEventType> }[],
): string[] => [
  ...new Set(
    items.flatMap((i) => (OFFER_EVENTS.includes(i.type) ? [(i.item.data as { offerId: string }).offerId] : [])),
  ),
];
