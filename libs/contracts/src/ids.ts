import { z } from 'zod';

/**
 * The id of a file or of an item in one (a convention, an offer, a party, a meeting): lower-case
 * letters, digits and dashes, 64 at most, as it goes into stream ids and URLs. Files used to take 3
 * to 64 characters and the items of a convention or a committee 1 to 64 (meetings `m1`, measures
 * `m` exist); one rule for both must keep every id already stored valid, so the shortest is one.
 */
export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1–64 characters: lower-case letters, digits and dashes');
