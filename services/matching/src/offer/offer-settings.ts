/**
 * Days an ordinary offer stays in its own region before it opens to the others, per region. The
 * convention sets no figure; 15 days is a working default that a region changes here (dated
 * per-region parameters are to come with the regional settings).
 */
const DEFAULT_OPEN_AFTER_DAYS = 15;
const PER_REGION: Readonly<Record<string, number>> = {};

export const openAfterDaysFor = (region: string): number => PER_REGION[region] ?? DEFAULT_OPEN_AFTER_DAYS;
