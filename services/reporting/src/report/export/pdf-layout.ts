import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UnavailableError } from '@tashghil/event-store';
import { isLeftToRight, placeFromRight, wrap, type Measure } from './pdf-bidi';

export type Doc = PDFKit.PDFDocument;

export const COLOURS = {
  ink: '#1b1b1b',
  muted: '#666666',
  title: '#1f3a5f',
  rule: '#d0d0d0',
  header: '#e8eef4',
  bar: '#2a6f97',
  under: '#b9cfe0',
  track: '#eeeeee',
};

/** Debian's fonts-dejavu-core, embedded as a subset: whatever Latin text a committee typed prints as typed. */
export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

export interface Fonts {
  readonly regular: string;
  readonly bold: string;
  /** The file the document opens with, so pdfkit never loads a standard font it will not use. */
  readonly initial: string;
  /** Lines run right to left, tables are mirrored and text goes through pdf-bidi. */
  readonly rtl: boolean;
}

export const DEJAVU_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;

/**
 * Helvetica has no Arabic: rather than a pack of empty boxes, the Arabic pack is refused (503) with
 * the font and the package that brings it named.
 */
export const arabicFontMissing = (dir: string | null): UnavailableError =>
  new UnavailableError(
    'ARABIC_FONT_MISSING',
    `the Arabic committee pack needs the font DejaVu Sans (${DEJAVU_FILES.join(', ')}) in ${dir ?? DEJAVU_DIR}: install Debian's fonts-dejavu-core (infra/fonts/install.sh)`,
  );

/** Whether `dir` holds DejaVu Sans, regular and bold: the only fonts here with Arabic glyphs and shaping tables. */
export const hasDejaVu = (dir: string | null): boolean =>
  dir !== null && DEJAVU_FILES.every((f) => existsSync(join(dir, f)));

/**
 * DejaVu Sans when the machine has it, else pdfkit's built-in Helvetica. Helvetica is not embedded
 * and is written in WinAnsi: French letters, œ, « », ’ and the no-break space survive, anything
 * beyond (a narrow no-break space, most symbols, Arabic) is lost from text typed by users.
 */
export const chooseFonts = (dir: string | null, rtl = false): Fonts => {
  if (dir !== null && hasDejaVu(dir))
    return { regular: 'body', bold: 'body-bold', initial: join(dir, DEJAVU_FILES[0]), rtl };
  if (rtl) throw arabicFontMissing(dir);
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', initial: 'Helvetica', rtl };
};

export const registerFonts = (doc: Doc, fonts: Fonts, dir: string | null): void => {
  if (fonts.regular !== 'body' || dir === null) return;
  doc.registerFont('body', join(dir, DEJAVU_FILES[0]));
  doc.registerFont('body-bold', join(dir, DEJAVU_FILES[1]));
};

type Align = 'left' | 'right' | 'center';

/** In a right-to-left pack a column's start is its right edge: "left" (start) and "right" (end) swap. */
const mirror = (fonts: Fonts, align: Align): Align =>
  !fonts.rtl || align === 'center' ? align : align === 'left' ? 'right' : 'left';

const measure = (doc: Doc): Measure => ({ width: (text) => doc.widthOfString(text) });

/** The height `text` takes wrapped to `width` in the current font. */
export const heightOf = (doc: Doc, fonts: Fonts, text: string, width: number): number =>
  fonts.rtl
    ? wrap(text, width, measure(doc)).length * doc.currentLineHeight(true)
    : doc.heightOfString(text, { width });

/**
 * Text wrapped to `width` from (x, y), leaving doc.y under it as doc.text does. `align` is given as
 * for a French page; a right-to-left pack mirrors it and draws each line piece by piece (pdf-bidi).
 */
export const write = (
  doc: Doc,
  fonts: Fonts,
  text: string,
  x: number,
  y: number,
  width: number,
  align: Align = 'left',
): void => {
  if (!fonts.rtl) {
    doc.text(text, x, y, { width, align });
    return;
  }
  const m = measure(doc);
  const lineHeight = doc.currentLineHeight(true);
  const side = mirror(fonts, align);
  const lines = wrap(text, width, m);
  const ltr = isLeftToRight(text);
  lines.forEach((line, i) => {
    const w = m.width(line);
    const right = side === 'right' ? x + width : side === 'left' ? x + w : x + (width + w) / 2;
    for (const { piece, x: px } of placeFromRight(line, right, m, ltr)) {
      if (piece.text.trim()) doc.text(piece.text, px, y + i * lineHeight, { lineBreak: false });
    }
  });
  doc.x = x;
  doc.y = y + lines.length * lineHeight;
};

/** One line, never wrapped, with its start at `x`. */
const oneLine = (doc: Doc, fonts: Fonts, text: string, x: number, y: number): void => {
  if (fonts.rtl) write(doc, fonts, text, x, y, doc.widthOfString(text) + 1, 'right');
  else doc.text(text, x, y, { lineBreak: false });
};

/** A bar in a table cell: `value` of `max`, drawn over an optional lighter `under` (paid over committed). */
export interface Bar {
  readonly value: number;
  readonly under?: number;
  readonly max: number;
  readonly text: string;
}

export type Cell = string | Bar;

export interface Column {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

const PAD = 3;
const SIZE = 8;

export const left = (doc: Doc): number => doc.page.margins.left;
export const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;

/** Columns given as shares of the page's width, so a table always fills it exactly. */
export const columns = (
  doc: Doc,
  spec: ReadonlyArray<readonly [string, number, ('left' | 'right' | 'center')?]>,
): Column[] => {
  const total = spec.reduce((n, [, share]) => n + share, 0);
  return spec.map(([header, share, align]) => ({
    header,
    width: (contentWidth(doc) * share) / total,
    align: align ?? 'left',
  }));
};

const textHeight = (doc: Doc, fonts: Fonts, text: string, width: number): number =>
  heightOf(doc, fonts, text, width - 2 * PAD);

/**
 * A figure set flush right at `right` on one line. pdfkit wraps any text given a width, so figures
 * are placed by their measured width: a number split over two lines misreads, and a tight
 * one may take its cell's padding.
 */
const figure = (doc: Doc, fonts: Fonts, text: string, at: number, y: number, align: 'left' | 'right'): void => {
  doc.fillColor(COLOURS.ink);
  oneLine(doc, fonts, text, align === 'right' ? at - doc.widthOfString(text) : at, y);
};

/** A bar grows from the column's start: from the left in French, from the right in Arabic, its figure at the end. */
const drawBar = (doc: Doc, fonts: Fonts, bar: Bar, x: number, y: number, width: number): void => {
  const textWidth = Math.min(34, width / 2);
  const track = width - textWidth - 2 * PAD;
  // Level with the first line of the row's text, however many lines the other cells wrap to.
  const h = 7;
  const top = y + PAD + 1;
  const share = (v: number | undefined) =>
    v === undefined || bar.max <= 0 ? 0 : Math.max(0, Math.min(1, v / bar.max));
  const start = fonts.rtl ? x + width - PAD - track : x + PAD;
  const fill = (part: number, colour: string): void => {
    doc.rect(fonts.rtl ? start + track * (1 - part) : start, top, track * part, h).fill(colour);
  };
  fill(1, COLOURS.track);
  if (bar.under !== undefined && share(bar.under) > 0) fill(share(bar.under), COLOURS.under);
  if (share(bar.value) > 0) fill(share(bar.value), COLOURS.bar);
  if (fonts.rtl) figure(doc, fonts, bar.text, x + PAD, y + PAD, 'left');
  else figure(doc, fonts, bar.text, x + width - PAD, y + PAD, 'right');
};

/**
 * A table that breaks across pages and repeats its header on each. Text cells wrap, and a row is as
 * tall as its tallest cell; a row is never split between two pages.
 */
export const table = (
  doc: Doc,
  fonts: Fonts,
  cols: readonly Column[],
  rows: readonly (readonly Cell[])[],
  options: { readonly boldLast?: boolean; readonly size?: number } = {},
): void => {
  const x0 = left(doc);
  const size = options.size ?? SIZE;
  // Columns run from the start of the line: the first one is rightmost in a right-to-left pack.
  const starts = cols.map((_, i) => cols.slice(0, i).reduce((n, c) => n + c.width, 0));
  const xOf = (i: number): number =>
    fonts.rtl ? x0 + contentWidth(doc) - (starts[i] ?? 0) - (cols[i]?.width ?? 0) : x0 + (starts[i] ?? 0);
  const header = (): void => {
    doc.font(fonts.bold).fontSize(size);
    const h = Math.max(...cols.map((c) => textHeight(doc, fonts, c.header, c.width))) + 2 * PAD;
    const y = doc.y;
    doc.rect(x0, y, contentWidth(doc), h).fill(COLOURS.header);
    cols.forEach((c, i) => {
      doc.fillColor(COLOURS.title);
      write(doc, fonts, c.header, xOf(i) + PAD, y + PAD, c.width - 2 * PAD, c.align ?? 'left');
    });
    doc.x = x0;
    doc.y = y + h;
  };
  header();
  rows.forEach((row, index) => {
    doc.font(options.boldLast && index === rows.length - 1 ? fonts.bold : fonts.regular).fontSize(size);
    const h = Math.max(
      14,
      ...row.map((cell, i) =>
        typeof cell === 'string' && cols[i]?.align !== 'right'
          ? textHeight(doc, fonts, cell, cols[i]?.width ?? 0) + 2 * PAD
          : 14,
      ),
    );
    if (doc.y + h > bottom(doc) && doc.y > doc.page.margins.top + 40) {
      doc.addPage();
      header();
      doc.font(options.boldLast && index === rows.length - 1 ? fonts.bold : fonts.regular).fontSize(size);
    }
    const y = doc.y;
    row.forEach((cell, i) => {
      const c = cols[i];
      if (!c) return;
      const x = xOf(i);
      if (typeof cell === 'string' && c.align === 'right') {
        // A figure wider than its column is set smaller rather than run into its neighbour's.
        const fits = Math.min(1, (c.width - 2 * PAD) / Math.max(1, doc.widthOfString(cell)));
        if (fits < 1) doc.fontSize(size * fits);
        if (fonts.rtl) figure(doc, fonts, cell, x + PAD, y + PAD, 'left');
        else figure(doc, fonts, cell, x + c.width - PAD, y + PAD, 'right');
        doc.fontSize(size);
      } else if (typeof cell === 'string') {
        doc.fillColor(COLOURS.ink);
        write(doc, fonts, cell, x + PAD, y + PAD, c.width - 2 * PAD, c.align ?? 'left');
      } else drawBar(doc, fonts, cell, x, y, c.width);
    });
    doc
      .moveTo(x0, y + h)
      .lineTo(x0 + contentWidth(doc), y + h)
      .lineWidth(0.5)
      .strokeColor(COLOURS.rule)
      .stroke();
    doc.x = x0;
    doc.y = y + h;
  });
  doc.moveDown(0.8);
};

export const heading = (doc: Doc, fonts: Fonts, text: string): void => {
  doc.font(fonts.bold).fontSize(16).fillColor(COLOURS.title);
  write(doc, fonts, text, left(doc), doc.y, contentWidth(doc));
  doc.moveDown(0.6);
};

/** Starts a new page unless `height` points are left above the bottom margin: a title is not left alone at a page's foot. */
export const keepRoom = (doc: Doc, height: number): void => {
  if (doc.y + height > bottom(doc)) doc.addPage();
};

export const subheading = (doc: Doc, fonts: Fonts, text: string): void => {
  keepRoom(doc, 60);
  doc.font(fonts.bold).fontSize(11).fillColor(COLOURS.title);
  write(doc, fonts, text, left(doc), doc.y, contentWidth(doc));
  doc.moveDown(0.3);
};

export const paragraph = (
  doc: Doc,
  fonts: Fonts,
  text: string,
  options: { readonly muted?: boolean; readonly size?: number } = {},
): void => {
  doc
    .font(fonts.regular)
    .fontSize(options.size ?? 9)
    .fillColor(options.muted ? COLOURS.muted : COLOURS.ink);
  write(doc, fonts, text, left(doc), doc.y, contentWidth(doc));
  doc.moveDown(0.5);
};

/** Page numbers and the report's identity at the foot of every page but the title page. */
export const footers = (doc: Doc, fonts: Fonts, text: (page: number, of: number) => string): void => {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start + 1; i < start + count; i += 1) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    // Writing below the bottom margin would make pdfkit open a new page.
    doc.page.margins.bottom = 0;
    doc.font(fonts.regular).fontSize(7).fillColor(COLOURS.muted);
    if (fonts.rtl)
      write(doc, fonts, text(i - start + 1, count), left(doc), doc.page.height - 32, contentWidth(doc), 'center');
    else
      doc.text(text(i - start + 1, count), left(doc), doc.page.height - 32, {
        width: contentWidth(doc),
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
};
