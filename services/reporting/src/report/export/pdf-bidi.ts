/**
 * Right-to-left lines for pdfkit. pdfkit lays every line out left to right; fontkit, under it,
 * shapes an Arabic run (initial, medial, final forms and the lam-alef ligature) and reverses its
 * glyphs, but it does so for a whole line at once, so figures inside Arabic text come out
 * backwards and pdfkit's word spacing lands on the wrong glyphs. So a line is cut here into
 * pieces that each go to fontkit alone, in one direction, and the pieces are placed from the
 * right:
 * - an Arabic word is a piece of its own, which fontkit shapes and puts in visual order;
 * - figures and Latin text (a reference, a name typed in French), with the spaces and signs
 *   between them, form one left-to-right piece, as the Unicode bidirectional algorithm resolves
 *   neutrals between two left-to-right characters (UAX #9, rule N1);
 * - any other sign takes the paragraph's direction, and a mirrored one (brackets, guillemets) is
 *   drawn as its mirror image (UAX #9, rule L4).
 * This covers what the committee pack holds: one right-to-left paragraph level, with left-to-right
 * runs inside, and no explicit embeddings.
 */

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
/** Strong left-to-right or a European digit: what starts and ends a left-to-right piece. */
const LTR = /[0-9A-Za-z\u00c0-\u024f]/;
const MIRRORED: Readonly<Record<string, string>> = {
  '(': ')',
  ')': '(',
  '[': ']',
  ']': '[',
  '{': '}',
  '}': '{',
  '«': '»',
  '»': '«',
  '<': '>',
  '>': '<',
};

type Kind = 'rtl' | 'ltr' | 'neutral';

const kindOf = (ch: string): Kind => (ARABIC.test(ch) ? 'rtl' : LTR.test(ch) ? 'ltr' : 'neutral');

export interface Piece {
  readonly text: string;
  readonly rtl: boolean;
}

/**
 * A line's pieces in logical order, each to be drawn as a unit: the first one goes at the right
 * edge. Arabic words and signs that resolve right to left are pieces of their own (mirrored);
 * left-to-right stretches keep their inner spaces.
 */
export const pieces = (line: string): Piece[] => {
  const chars = [...line];
  // A percent sign after a figure (across a no-break space) belongs to it, as European terminators do (UAX #9, W5); so does
  // a minus sign before one, which the algorithm would set on the figure's right, where a committee would misread it.
  const kinds = chars.map((ch, i): Kind => {
    if (ch === '%' && /\d[\u00a0\u202f]?$/.test(chars.slice(Math.max(0, i - 2), i).join(''))) return 'ltr';
    if ((ch === '-' || ch === '\u2212') && /\d/.test(chars[i + 1] ?? '')) return 'ltr';
    // A hyphen or slash that ends a line inside a Latin word (wrap breaks a long id there) stays with the word.
    if ((ch === '-' || ch === '/') && LTR.test(chars[i - 1] ?? '')) return 'ltr';
    return kindOf(ch);
  });
  // A neutral takes left to right only between two left-to-right characters (N1); else the paragraph's direction (N2).
  const resolved = kinds.map((k, i): 'rtl' | 'ltr' => {
    if (k !== 'neutral') return k;
    const before = kinds
      .slice(0, i)
      .reverse()
      .find((x) => x !== 'neutral');
    const after = kinds.slice(i + 1).find((x) => x !== 'neutral');
    return before === 'ltr' && after === 'ltr' ? 'ltr' : 'rtl';
  });
  const out: Piece[] = [];
  let current = '';
  let currentKind: 'rtl-word' | 'ltr' | null = null;
  const flush = (): void => {
    if (current) out.push({ text: current, rtl: currentKind === 'rtl-word' });
    current = '';
    currentKind = null;
  };
  chars.forEach((ch, i) => {
    if (resolved[i] === 'ltr') {
      if (currentKind !== 'ltr') flush();
      currentKind = 'ltr';
      current += ch;
    } else if (kinds[i] === 'rtl') {
      if (currentKind !== 'rtl-word') flush();
      currentKind = 'rtl-word';
      current += ch;
    } else {
      flush();
      out.push({ text: MIRRORED[ch] ?? ch, rtl: true });
    }
  });
  flush();
  return out;
};

/** What a line needs from the document: the width of a string in the current font and size. */
export interface Measure {
  readonly width: (text: string) => number;
}

/**
 * A word wider than the line (a convention's id) is broken after its hyphens and slashes, as pdfkit
 * breaks a left-to-right line; a minus sign that starts a figure is not a hyphen.
 */
const partsOf = (word: string, width: number, m: Measure): string[] =>
  m.width(word) > width ? word.split(/(?<=[^\s-]-|\/)/) : [word];

/** Greedy line breaking at spaces and at hard line breaks, in logical order. */
export const wrap = (text: string, width: number, m: Measure): string[] => {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      partsOf(word, width, m).forEach((part, i) => {
        const candidate = line ? `${line}${i === 0 ? ' ' : ''}${part}` : part;
        if (line && m.width(candidate) > width) {
          lines.push(line);
          line = part;
        } else line = candidate;
      });
    }
    lines.push(line);
  }
  return lines;
};

/**
 * Text with no Arabic letter at all (a subject or a measure typed in French) is a left-to-right
 * paragraph, as its first strong character makes it (UAX #9, P2–P3): set as one piece, its
 * punctuation stays where its writer put it.
 */
export const isLeftToRight = (text: string): boolean => !ARABIC.test(text);

/** Where each piece of a line starts, given the x its right edge is at; `ltr` keeps the line whole. */
export const placeFromRight = (
  line: string,
  right: number,
  m: Measure,
  ltr = false,
): { readonly piece: Piece; readonly x: number }[] => {
  let x = right;
  return (ltr ? [{ text: line, rtl: false }] : pieces(line)).map((piece) => {
    x -= m.width(piece.text);
    return { piece, x };
  });
};
