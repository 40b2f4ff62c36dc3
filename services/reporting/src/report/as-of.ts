import { isRegionCode, type RegionCode } from '@tashghil/contracts';
import { ValidationError, type EventStore, type Queryable } from '@tashghil/event-store';
import { endOfDay } from '../read-model/bitemporal';
import { readSchema, replayInto, scratchSchema, type Progress } from '../read-model/generations';
import { createTables, dropTables } from '../read-model/layout';
import { recountEveryOffer } from '../read-model/offer-waits';
import { recountEveryone } from '../read-model/people';
import { deferIndexes } from '../read-model/projection';
import { buildReport } from './report.query';
import type { CommitteeReport } from './report.types';

export { endOfDay } from '../read-model/bitemporal';

export interface AsOfOptions {
  /** A calendar day: the report holds every event recorded up to the end of it (UTC). */
  readonly asOf: string;
  readonly region?: RegionCode;
  readonly onProgress?: Progress;
}

const isDay = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Refuses a day that is not one, or a region that is not one, naming the field (400). */
export const checkAsOf = (options: AsOfOptions): void => {
  const problems = [
    ...(isDay(options.asOf) ? [] : [{ path: 'asOf', message: 'must be a calendar date as YYYY-MM-DD' }]),
    ...(options.region === undefined || isRegionCode(options.region)
      ? []
      : [{ path: 'region', message: 'must be a region code MA-01 … MA-12' }]),
  ];
  if (problems.length > 0)
    throw new ValidationError('INVALID_AS_OF', 'the report cannot be asked for like this', problems);
};

/**
 * The committee report as it stood at the end of a day, read from the active generation: every row
 * knows from which recorded instant it held and until which, so this costs what the live report
 * costs. What was recorded later, even about earlier dates, is not in it. It gives what a replay of
 * the store up to then gives (`reportAsOf`), as the specs check on generated histories.
 */
export const reportAsOfReadModel = async (db: Queryable, options: AsOfOptions): Promise<CommitteeReport> => {
  checkAsOf(options);
  const schema = await readSchema(db);
  return buildReport(db, schema, {
    ...(options.region ? { region: options.region } : {}),
    asOf: options.asOf,
    kind: 'as_of',
  });
};

/**
 * The committee report as it stood at the end of a day, recomputed from the log alone: the store is
 * replayed up to then, with the same projection code, into a scratch generation that is dropped
 * afterwards. O(store): for an auditor who wants the figures without trusting the read model, and
 * the oracle the read model's "as of" is checked against.
 */
export const reportAsOf = async (store: EventStore, options: AsOfOptions): Promise<CommitteeReport> => {
  checkAsOf(options);
  const schema = scratchSchema();
  await createTables(store.db, schema);
  try {
    // A first load, as a build's: nobody else writes the scratch generation, so its upkeep waits
    // for the end of the load, and it counts its people at the end.
    const restore = await deferIndexes(store.db, schema);
    await replayInto(store, schema, {
      firstLoad: true,
      recordedUntil: endOfDay(options.asOf),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await restore();
    await recountEveryone(store.db, schema);
    await recountEveryOffer(store.db, schema);
    return await buildReport(store.db, schema, {
      ...(options.region ? { region: options.region } : {}),
      asOf: options.asOf,
      kind: 'replay',
    });
  } finally {
    await dropTables(store.db, schema);
  }
};
