import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type Doc = PDFKit.PDFDocument;

export const COLOURS = { ink: '#1b1b1b', muted: '#666666', title: '#1f3a5f', rule: '#d0d0d0', header: '#e8eef4', bar: '#2a6f97', under: '#b9cfe0', track: '#eeeeee' };

/** Debian's fonts-dejavu-core, embedded as a subset: whatever Latin text a committee typed prints as typed. */
export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

export interface Fonts {
  readonly regular: string;
  readonly bold: string;
  /** The file the document opens with, so pdfkit never loads a standard font it will not use. */
  readonly initial: string;
}

/**
 * DejaVu Sans when the machine has it, else pdfkit's built-in Helvetica. Helvetica is not embedded
 * and is written in WinAnsi: French letters, œ, « », ’ and the no-break space survive, anything
 * beyond (a narrow no-break space, most symbols, Arabic) is lost from text typed by users.
 */
export const chooseFonts = (dir: string | null): Fonts => {
  const regular = dir === null ? undefined : join(dir, 'DejaVuSans.ttf');
  const bold = dir === null ? undefined : join(dir, 'DejaVuSans-Bold.ttf');
  if (regular && bold && existsSync(regular) && existsSync(bold)) return { regular: 'body', bold: 'body-bold', initial: regular };
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', initial: 'Helvetica' };
};

export const registerFonts = (doc: Doc, fonts: Fonts, dir: string | null): void => {
  if (fonts.regular !== 'body' || dir === null) return;
  doc.registerFont('body', join(dir, 'DejaVuSans.ttf'));
  doc.registerFont('body-bold', join(dir, 'DejaVuSans-Bold.ttf'));
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
export const columns = (doc: Doc, spec: ReadonlyArray<readonly [string, number, ('left' | 'right' | 'center')?]>): Column[] => {
  const total = spec.reduce((n, [, share]) => n + share, 0);
  return spec.map(([header, share, align]) => ({ header, width: (contentWidth(doc) * share) / total, align: align ?? 'left' }));
};

const textHeight = (doc: Doc, text: string, width: number): number => doc.heightOfString(text, { width: width - 2 * PAD });

/**
 * A figure set flush right at `right` on one line. pdfkit wraps any text given a width, so figures
 * are placed by their measured width instead: a number split over two lines misreads, and a tight
 * one may take its cell's padding.
 */
const figure = (doc: Doc, text: string, right: number, y: number): void => {
  doc.fillColor(COLOURS.ink).text(text, right - doc.widthOfString(text), y, { lineBreak: false });
};

const drawBar = (doc: Doc, bar: Bar, x: number, y: number, width: number): void => {
  const textWidth = Math.min(34, width / 2);
  const track = width - textWidth - 2 * PAD;
  // Level with the first line of the row's text, however many lines the other cells wrap to.
  const h = 7;
  const top = y + PAD + 1;
  const share = (v: number | undefined) => (v === undefined || bar.max <= 0 ? 0 : Math.max(0, Math.min(1, v / bar.max)));
  doc.rect(x + PAD, top, track, h).fill(COLOURS.track);
  if (bar.under !== undefined && share(bar.under) > 0) doc.rect(x + PAD, top, track * share(bar.under), h).fill(COLOURS.under);
  if (share(bar.value) > 0) doc.rect(x + PAD, top, track * share(bar.value), h).fill(COLOURS.bar);
  figure(doc, bar.text, x + width - PAD, y + PAD);
};

/**
 * A table that breaks across pages and repeats its header on each. Text cells wrap, and a row is as
 * tall as its tallest cell; a row is never split between two pages.
 */
export const table = (
  doc: Doc, fonts: Fonts, cols: readonly Column[], rows: readonly (readonly Cell[])[], options: { readonly boldLast?: boolean; readonly size?: number } = {},
): void => {
  const x0 = left(doc);
  const size = options.size ?? SIZE;
  const header = (): void => {
    doc.font(fonts.bold).fontSize(size);
    const h = Math.max(...cols.map((c) => textHeight(doc, c.header, c.width))) + 2 * PAD;
    const y = doc.y;
    doc.rect(x0, y, contentWidth(doc), h).fill(COLOURS.header);
    let x = x0;
    for (const c of cols) {
      doc.fillColor(COLOURS.title).text(c.header, x + PAD, y + PAD, { width: c.width - 2 * PAD, align: c.align ?? 'left' });
      x += c.width;
    }
    doc.x = x0;
    doc.y = y + h;
  };
  header();
  rows.forEach((row, index) => {
    doc.font(options.boldLast && index === rows.length - 1 ? fonts.bold : fonts.regular).fontSize(size);
    const h = Math.max(14, ...row.map((cell, i) => (typeof cell === 'string' && cols[i]?.align !== 'right' ? textHeight(doc, cell, cols[i]?.width ?? 0) + 2 * PAD : 14)));
    if (doc.y + h > bottom(doc) && doc.y > doc.page.margins.top + 40) {
      doc.addPage();
      header();
      doc.font(options.boldLast && index === rows.length - 1 ? fonts.bold : fonts.regular).fontSize(size);
    }
    const y = doc.y;
    let x = x0;
    row.forEach((cell, i) => {
      const c = cols[i];
      if (!c) return;
      if (typeof cell === 'string' && c.align === 'right') figure(doc, cell, x + c.width - PAD, y + PAD);
      else if (typeof cell === 'string') doc.fillColor(COLOURS.ink).text(cell, x + PAD, y + PAD, { width: c.width - 2 * PAD, align: c.align ?? 'left' });
      else drawBar(doc, cell, x, y, c.width);
      x += c.width;
    });
    doc.moveTo(x0, y + h).lineTo(x0 + contentWidth(doc), y + h).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    doc.x = x0;
    doc.y = y + h;
  });
  doc.moveDown(0.8);
};

export const heading = (doc: Doc, fonts: Fonts, text: string): void => {
  doc.font(fonts.bold).fontSize(16).fillColor(COLOURS.title).text(text, left(doc), doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.6);
};

export const subheading = (doc: Doc, fonts: Fonts, text: string): void => {
  if (doc.y + 60 > bottom(doc)) doc.addPage();
  doc.font(fonts.bold).fontSize(11).fillColor(COLOURS.title).text(text, left(doc), doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
};

export const paragraph = (doc: Doc, fonts: Fonts, text: string, options: { readonly muted?: boolean; readonly size?: number } = {}): void => {
  doc.font(fonts.regular).fontSize(options.size ?? 9).fillColor(options.muted ? COLOURS.muted : COLOURS.ink).text(text, left(doc), doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.5);
};

export const NOTHING = 'Aucune donnée à cette date.';

/** Page numbers and the report's identity at the foot of every page but the title page. */
export const footers = (doc: Doc, fonts: Fonts, text: string): void => {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start + 1; i < start + count; i += 1) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    // Writing below the bottom margin would make pdfkit open a new page.
    doc.page.margins.bottom = 0;
    doc.font(fonts.regular).fontSize(7).fillColor(COLOURS.muted)
      .text(`${text} · page ${i - start + 1} / ${count}`, left(doc), doc.page.height - 32, { width: contentWidth(doc), align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
};
