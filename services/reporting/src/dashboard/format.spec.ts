import {
  formatCentimes,
  formatDate,
  formatInstant,
  formatInteger,
  formatMoney,
  formatMonth,
  escapeHtml,
  isIsoDate,
} from './assets/format.js';
import { MESSAGES, t } from './assets/i18n.js';

const NNBSP = '\u202f';

describe('numbers on the dashboard', () => {
  it('groups thousands with a narrow no-break space in French and a full stop in Arabic, in Western digits', () => {
    expect(formatInteger(3_800, 'fr')).toBe(`3${NNBSP}800`);
    expect(formatInteger(3_800, 'ar')).toBe('3.800');
    expect(formatInteger(103_599, 'fr')).toBe(`103${NNBSP}599`);
    expect(formatInteger(1_000_000, 'ar')).toBe('1.000.000');
    expect(formatInteger(999, 'fr')).toBe('999');
    expect(formatInteger(0, 'ar')).toBe('0');
  });

  it('prints centimes as dirhams from the digits, so no amount is rounded', () => {
    expect(formatCentimes(2_700_000_001, 'fr')).toBe(`27${NNBSP}000${NNBSP}000,01`);
    expect(formatCentimes(2_700_000_001, 'ar')).toBe('27.000.000,01');
    expect(formatCentimes(5, 'fr')).toBe('0,05');
    expect(formatCentimes(100, 'fr')).toBe('1,00');
    expect(formatCentimes(-1_250_050, 'fr')).toBe(`-12${NNBSP}500,50`);
    // 2^53 - 1 centimes: a division by 100 in binary floats would not give these last digits back.
    expect(formatCentimes(Number.MAX_SAFE_INTEGER, 'fr')).toBe(`90${NNBSP}071${NNBSP}992${NNBSP}547${NNBSP}409,91`);
  });

  it('refuses an amount that is not a whole number of centimes', () => {
    expect(() => formatCentimes(0.1, 'fr')).toThrow(TypeError);
    expect(() => formatCentimes(2 ** 53, 'fr')).toThrow(TypeError);
    expect(() => formatInteger(Number.NaN, 'fr')).toThrow(TypeError);
  });

  it('names the currency in the reader’s language', () => {
    expect(formatMoney(2_700_000_000, 'fr')).toBe(`27${NNBSP}000${NNBSP}000,00\u00a0MAD`);
    expect(formatMoney(2_700_000_000, 'ar')).toBe('27.000.000,00\u00a0درهم');
  });
});

describe('dates on the dashboard', () => {
  it('uses the Moroccan month names in Arabic', () => {
    expect(formatMonth('2022-07', 'ar')).toBe('يوليوز 2022');
    expect(formatMonth('2022-08', 'ar')).toBe('غشت 2022');
    expect(formatMonth('2022-07', 'fr')).toBe('juillet 2022');
    expect(formatDate('2022-06-30', 'fr')).toBe('30 juin 2022');
    expect(formatDate('2022-05-01', 'ar')).toBe('1 ماي 2022');
  });

  it('shows an instant as its UTC day and minute, the same for every reader', () => {
    expect(formatInstant('2022-06-29T16:40:12.000Z', 'fr')).toBe('29 juin 2022 16:40 UTC');
  });

  it('accepts only real calendar days as an "as of" date', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2022-02-29')).toBe(false);
    expect(isIsoDate('2022-6-30')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('escapes text before it becomes markup', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });
});

describe('the dashboard’s words', () => {
  it('has every message in both languages, and the Arabic ones are Arabic', () => {
    expect(Object.keys(MESSAGES.ar).sort()).toEqual(Object.keys(MESSAGES.fr).sort());
    const untranslated = Object.keys(MESSAGES.fr).filter((k) => !/[\u0600-\u06ff]/.test(MESSAGES.ar[k] ?? ''));
    // The toggle names the other language in that language; a missing figure is a dash in both.
    expect(untranslated.sort()).toEqual(['notGiven', 'otherLanguage']);
  });

  it('fills placeholders and leaves an unknown one visible', () => {
    expect(t('days', 'fr', { n: '3' })).toBe('3 j');
    expect(t('errUnexpected', 'ar', {})).toBe('خطأ غير متوقع (HTTP {status}).');
  });
});
