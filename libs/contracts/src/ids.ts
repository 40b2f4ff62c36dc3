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

/**
 * Free text as a request carries it: at most `max` characters as sent, which is what the OpenAPI
 * maxLength says, then trimmed, and at least `min` characters once trimmed. Trimming before the
 * limit let texts padded with spaces past the schema's maxLength: schemathesis found a convention's
 * title (2026-12-06) and then a committee decision's reference id (2026-12-07) accepted so.
 */
export const trimmedText = (max: number, min = 1) => {
  const text = z.string().max(max).trim();
  return min > 0 ? text.min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`) : text;
};
