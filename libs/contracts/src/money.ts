/**
 * Integer centimes split into sign, whole dirhams and the two-digit centimes, in integer arithmetic
 * only (a bigint), so that no division can round: exact for every safe integer and every bigint. A
 * number that is not a safe integer is refused, since it no longer counts centimes exactly; a sum
 * that may pass 2^53 (a convention's budget lines) is added as a bigint.
 */
export const centimesParts = (centimes: number | bigint): { sign: '' | '-'; whole: string; cents: string } => {
  if (typeof centimes === 'number' && !Number.isSafeInteger(centimes))
    throw new RangeError(`money must be a safe integer of centimes, got ${centimes}`);
  const value = BigInt(centimes);
  const abs = value < 0n ? -value : value;
  return { sign: value < 0n ? '-' : '', whole: String(abs / 100n), cents: String(abs % 100n).padStart(2, '0') };
};

/** `-5` → `-0.05`, `270000000` → `2700000.00`: MAD with two decimals, as programs and spreadsheets read it. */
export const madFromCentimes = (centimes: number | bigint): string => {
  const { sign, whole, cents } = centimesParts(centimes);
  return `${sign}${whole}.${cents}`;
};
