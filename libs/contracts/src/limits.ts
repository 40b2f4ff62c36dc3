import { z } from 'zod';

/**
 * The most jobs one programme line, works site or offer may count. The whole national Awrach
 * programme aimed at 250,000 direct jobs over two years (Head of Government circular of
 * 12 January 2022); one line of four times that is a typing error, not a plan. The bound also keeps
 * every count inside PostgreSQL's `integer`, where the read model keeps it.
 */
export const MAX_JOBS = 1_000_000;

/** Programme years: the first programmes Tashghil records date from the 2000s. */
export const MIN_PROGRAMME_YEAR = 2000;
export const MAX_PROGRAMME_YEAR = 2100;

const tooMany = `must be at most ${MAX_JOBS.toLocaleString('en')} (one line of four national Awrach programmes)`;

/** A number of jobs, places or positions: a whole number from 0 to MAX_JOBS. */
export const jobCount = z.number().int().nonnegative().max(MAX_JOBS, tooMany);

/** A number of positions or jobs that must be at least one. */
export const positiveJobCount = z.number().int().positive().max(MAX_JOBS, tooMany);

export const programmeYear = z.number().int().min(MIN_PROGRAMME_YEAR).max(MAX_PROGRAMME_YEAR);
