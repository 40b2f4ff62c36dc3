import { isLeftToRight, pieces, placeFromRight, wrap } from './pdf-bidi';

const NBSP = '\u00a0';
const texts = (line: string) => pieces(line).map((p) => `${p.rtl ? 'R' : 'L'}:${p.text}`);

describe('right-to-left lines cut into pieces fontkit can shape one by one', () => {
  it('gives each Arabic word a piece, and keeps a figure with its inner no-break spaces and percent sign', () => {
    expect(texts(`المجموع: 1${NBSP}234 حدثا`)).toEqual(['R:المجموع', 'R::', 'R: ', `L:1${NBSP}234`, 'R: ', 'R:حدثا']);
    expect(texts(`الحصة 50${NBSP}%`)).toEqual(['R:الحصة', 'R: ', `L:50${NBSP}%`]);
    expect(texts('-1,50')).toEqual(['L:-1,50']);
    expect(texts('المؤدى -150')).toEqual(['R:المؤدى', 'R: ', 'L:-150']);
  });

  it('keeps Latin words and figures between them in one left-to-right piece, in their order', () => {
    expect(texts('البرنامج Awrach 2022 في الجهة')).toEqual([
      'R:البرنامج',
      'R: ',
      'L:Awrach 2022',
      'R: ',
      'R:في',
      'R: ',
      'R:الجهة',
    ]);
    expect(texts('صفحة 3 / 10')).toEqual(['R:صفحة', 'R: ', 'L:3 / 10']);
  });

  it('mirrors brackets and guillemets that take the right-to-left direction', () => {
    expect(texts('(هدف)')).toEqual(['R:)', 'R:هدف', 'R:(']);
    expect(texts('«—»')).toEqual(['R:»', 'R:—', 'R:«']);
    expect(texts('(البرنامج awrach/2022)')).toEqual(['R:)', 'R:البرنامج', 'R: ', 'L:awrach/2022', 'R:(']);
    expect(texts('الاتفاقية convention-')).toEqual(['R:الاتفاقية', 'R: ', 'L:convention-']);
  });

  it('places the first piece at the right edge and each next one to its left', () => {
    const width = { width: (t: string) => t.length * 10 };
    expect(placeFromRight('أ 12', 100, width).map((p) => [p.piece.text, p.x])).toEqual([
      ['أ', 90],
      [' ', 80],
      ['12', 60],
    ]);
  });

  it('keeps text typed in French whole, its punctuation where its writer put it', () => {
    expect(isLeftToRight('vers la province de "Tan-Tan",')).toBe(true);
    expect(isLeftToRight('Chantiers (الاتفاقية)')).toBe(false);
    const width = { width: (t: string) => t.length * 10 };
    expect(placeFromRight('Tan-Tan,', 100, width, true).map((p) => [p.piece.text, p.x])).toEqual([['Tan-Tan,', 20]]);
  });

  it('wraps at spaces and at line breaks, never inside a figure', () => {
    const width = { width: (t: string) => t.length };
    expect(wrap(`ab cd 1${NBSP}234 ef`, 6, width)).toEqual(['ab cd', `1${NBSP}234`, 'ef']);
    expect(wrap('ab\ncd', 100, width)).toEqual(['ab', 'cd']);
  });

  it('breaks a word wider than the line after its hyphens and slashes, never after a minus sign', () => {
    const width = { width: (t: string) => t.length };
    expect(wrap('الاتفاقية convention-guelmim-2022', 19, width)).toEqual(['الاتفاقية', 'convention-guelmim-', '2022']);
    expect(wrap('ab awrach/2022', 8, width)).toEqual(['ab', 'awrach/', '2022']);
    expect(wrap('-1,50 -150', 3, width)).toEqual(['-1,50', '-150']);
  });
});
