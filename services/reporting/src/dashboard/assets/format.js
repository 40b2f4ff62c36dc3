/*
 * Number, money and date formatting for the committee dashboard. Plain JavaScript that runs as a
 * browser script (window.TashghilFormat) and as a CommonJS module (the unit tests), with no Intl:
 * the page and its tests must print the same characters whatever ICU the browser or Node carries.
 *
 * Digits are Western (0-9) in both languages, as Moroccan administrative Arabic writes them.
 * French groups thousands with U+202F and writes decimals after a comma (3 800, 1 250,50);
 * Arabic follows CLDR ar-MA: a full stop groups and a comma marks decimals (3.800, 1.250,50).
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.TashghilFormat = factory();
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict';

  const SEPARATORS = {
    fr: { group: '\u202f', decimal: ',' },
    ar: { group: '.', decimal: ',' },
  };
  const CURRENCY = { fr: 'MAD', ar: 'درهم' };
  const MONTHS = {
    fr: [
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
    ],
    // The Moroccan month names (ماي، يوليوز، غشت…), not the Mashriq ones.
    ar: ['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيو', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر'],
  };

  const SHORT_MONTHS = {
    fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
    ar: MONTHS.ar,
  };

  const separators = (lang) => SEPARATORS[lang] || SEPARATORS.fr;

  /** Groups a string of digits by threes from the right. */
  const groupDigits = (digits, group) => {
    let out = '';
    for (let i = 0; i < digits.length; i += 1) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += group;
      out += digits[i];
    }
    return out;
  };

  const assertInteger = (value, what) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new TypeError(`${what} must be a safe integer, not ${String(value)}`);
    }
  };

  /** An integer count with the language's grouping: 3800 → "3 800" (fr) or "3.800" (ar). */
  const formatInteger = (value, lang) => {
    assertInteger(value, 'a count');
    const digits = groupDigits(String(Math.abs(value)), separators(lang).group);
    return value < 0 ? `-${digits}` : digits;
  };

  /**
   * Integer centimes as dirhams with two decimals, computed on the decimal string so no binary
   * float ever rounds a figure: 2700000001 → "27 000 000,01".
   */
  const formatCentimes = (centimes, lang) => {
    assertInteger(centimes, 'an amount in centimes');
    const padded = String(Math.abs(centimes)).padStart(3, '0');
    const whole = groupDigits(padded.slice(0, -2), separators(lang).group);
    const text = `${whole}${separators(lang).decimal}${padded.slice(-2)}`;
    return centimes < 0 ? `-${text}` : text;
  };

  /** The same, followed by the currency: "27 000 000,01 MAD", "27.000.000,01 درهم". */
  const formatMoney = (centimes, lang) => `${formatCentimes(centimes, lang)}\u00a0${CURRENCY[lang] || CURRENCY.fr}`;

  const currency = (lang) => CURRENCY[lang] || CURRENCY.fr;

  /** `2022-05` → "mai 2022" / "ماي 2022". */
  const formatMonth = (month, lang) => {
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    const names = MONTHS[lang] || MONTHS.fr;
    const name = m ? names[Number(m[2]) - 1] : undefined;
    return m && name ? `${name} ${m[1]}` : String(month);
  };

  /** A chart's month label: `2022-09` → "sept." / "شتنبر", the year written apart. */
  const formatMonthShort = (month, lang) => {
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    const name = m ? (SHORT_MONTHS[lang] || SHORT_MONTHS.fr)[Number(m[2]) - 1] : undefined;
    return name || String(month);
  };

  /** `2022-06-30` → "30 juin 2022" / "30 يونيو 2022". */
  const formatDate = (date, lang) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
    const names = MONTHS[lang] || MONTHS.fr;
    const name = m ? names[Number(m[2]) - 1] : undefined;
    return m && name ? `${Number(m[3])} ${name} ${m[1]}` : String(date);
  };

  /** An ISO instant as its UTC day and minute, the same for every reader of a committee pack. */
  const formatInstant = (instant, lang) => {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(instant);
    return m ? `${formatDate(m[1], lang)} ${m[2]}:${m[3]} UTC` : String(instant);
  };

  const escapeHtml = (value) =>
    String(value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');

  /** A date input's value is either empty or a real calendar day. */
  const isIsoDate = (value) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return (
      d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
    );
  };

  return {
    formatInteger,
    formatCentimes,
    formatMoney,
    currency,
    formatMonth,
    formatMonthShort,
    formatDate,
    formatInstant,
    escapeHtml,
    isIsoDate,
  };
});
