import { centimesParts } from '@tashghil/contracts';

/** French thousands are grouped by a space that never breaks a number across lines. */
const NBSP = '\u00a0';

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);

/** `270000050` → `2 700 000,50`, as a committee reads it, for columns headed in MAD. */
export const amountFr = (centimes: number): string => {
  const { sign, whole, cents } = centimesParts(centimes);
  return `${sign}${group(whole)},${cents}`;
};

export const madFr = (centimes: number): string => `${amountFr(centimes)}${NBSP}MAD`;

export const intFr = (n: number): string => (n < 0 ? '-' : '') + group(String(Math.abs(Math.trunc(n))));

/** A whole percentage of `part` in `whole`, or an empty string when there is nothing to compare with. */
export const percentFr = (part: number, whole: number): string =>
  whole > 0 ? `${Math.round((part * 100) / whole)}${NBSP}%` : '';

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** `2022-05` → `mai 2022`; anything else is returned as given. */
export const monthFr = (month: string): string => {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && name ? `${name} ${m[1]}` : month;
};

/** `2022-12-01` → `1er décembre 2022`; anything else is returned as given. */
export const dateFr = (date: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !name) return date;
  const day = Number(m[3]);
  return `${day === 1 ? '1er' : day} ${name} ${m[1]}`;
};

/** `2022-11-15` → `15/11/2022`, for table columns. */
export const dateShortFr = (date: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
};

/** An instant, in UTC so the same report reads the same wherever it is printed. */
export const timestampFr = (iso: string): string => {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const s = t.toISOString();
  return `${dateFr(s.slice(0, 10))}, ${s.slice(11, 16)} UTC`;
};
