/**
 * Calendar arithmetic on ISO dates (`2022-05-10`) and months (`2022-05`), in whole days, without
 * time zones: a contract's days are civil days wherever the server runs.
 */
const DAY_MS = 86_400_000;

const parts = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 0, m ?? 0, d ?? 0];
};

const utc = (date: string): number => {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d);
};

const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whole days from `a` to `b`: 0 for the same day, negative when `b` is earlier. */
export const daysBetween = (a: string, b: string): number => Math.round((utc(b) - utc(a)) / DAY_MS);

export const addDays = (date: string, days: number): string => fromUtc(utc(date) + days * DAY_MS);

/** The same day `n` months later, or the last day of that month when it is shorter (31 Jan + 1 = 28 Feb). */
export const addMonths = (date: string, n: number): string => {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, daysInMonth(year, month))).padStart(2, '0')}`;
};

export const monthOf = (date: string): string => date.slice(0, 7);

export const lastDayOf = (month: string): string => {
  const [y, m] = parts(`${month}-01`);
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
};

export const nextMonth = (month: string): string => monthOf(addMonths(`${month}-01`, 1));

/** Every month from `first` to `last`, both included. */
export const monthsFrom = (first: string, last: string): string[] => {
  const months: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) months.push(m);
  return months;
};
