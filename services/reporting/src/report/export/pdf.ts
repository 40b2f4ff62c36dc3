import PDFDocument from 'pdfkit';
import type { CommitteeReport } from '../report.types';
import { SECTIONS, type Section } from './labels';
import {
  chooseFonts,
  COLOURS,
  contentWidth,
  DEJAVU_DIR,
  footers,
  heading,
  left,
  paragraph,
  registerFonts,
  write,
  type Doc,
  type Fonts,
} from './pdf-layout';
import { SECTION_RENDERERS } from './pdf-sections';
import { FRENCH, WORDS, type PackLang, type Words } from './pdf-words';

export interface PdfOptions {
  /** Deflate the page streams (the default). Tests turn it off to read what was drawn. */
  readonly compress?: boolean;
  /** Where DejaVu Sans is looked for; null uses pdfkit's Helvetica, which the Arabic pack cannot use. */
  readonly fontDir?: string | null;
  /** French (the default) or Arabic, laid out right to left. */
  readonly lang?: PackLang;
}

export const pdfTitle = (report: CommitteeReport, w: Words = FRENCH): string =>
  w.title(w.scope(report), w.asOf(report.asOf));

/** The title page, and the place its table of contents goes once the sections know their pages. */
const titlePage = (doc: Doc, fonts: Fonts, report: CommitteeReport, w: Words): number => {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.font(fonts.regular).fontSize(10).fillColor(COLOURS.muted);
  write(doc, fonts, w.t.header, x, 90, width);
  doc.moveDown(3);
  doc.font(fonts.bold).fontSize(26).fillColor(COLOURS.title);
  write(doc, fonts, w.t.heading, x, doc.y, width);
  doc.moveDown(0.4);
  doc.font(fonts.bold).fontSize(20).fillColor(COLOURS.ink);
  write(doc, fonts, w.scope(report), x, doc.y, width);
  doc.moveDown(0.3);
  doc.font(fonts.regular).fontSize(14);
  write(doc, fonts, w.asOf(report.asOf), x, doc.y, width);
  doc.moveDown(1.5);
  const { kind, events, lastRecordedAt } = report.basis;
  paragraph(doc, fonts, w.basis(kind, events, lastRecordedAt), { size: 10 });
  paragraph(doc, fonts, w.generated(report.generatedAt), { size: 10, muted: true });
  paragraph(doc, fonts, w.t.amounts, { size: 10, muted: true });
  doc.moveDown(2);
  return doc.y;
};

const contents = (doc: Doc, fonts: Fonts, y: number, pages: ReadonlyMap<Section, number>, w: Words): void => {
  doc.switchToPage(0);
  doc.font(fonts.bold).fontSize(12).fillColor(COLOURS.title);
  write(doc, fonts, w.t.contents, left(doc), y, contentWidth(doc));
  doc.moveDown(0.4);
  // The page number sits at the end of the line: on the right in French, on the left in Arabic.
  const titleX = fonts.rtl ? left(doc) + 40 : left(doc);
  const pageX = fonts.rtl ? left(doc) : left(doc) + contentWidth(doc) - 40;
  for (const s of SECTIONS) {
    doc.font(fonts.regular).fontSize(10).fillColor(COLOURS.ink);
    const at = doc.y;
    write(doc, fonts, w.section(s), titleX, at, contentWidth(doc) - 40);
    write(doc, fonts, String((pages.get(s) ?? 0) + 1), pageX, at, 40, 'right');
  }
};

/**
 * Publication date from the report, not the clock, and a file id pdfkit derives from the document
 * info: the same report gives the same bytes.
 */
const creationDate = (report: CommitteeReport): Date => {
  const d = new Date(report.generatedAt);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
};

/** The committee pack: a title page, then each part of the report from a new page, with its tables and bars. */
export const reportToPdf = async (report: CommitteeReport, options: PdfOptions = {}): Promise<Buffer> => {
  const dir = options.fontDir === undefined ? DEJAVU_DIR : options.fontDir;
  const w = WORDS[options.lang ?? 'fr'];
  const fonts = chooseFonts(dir, w.lang === 'ar');
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    bufferPages: true,
    compress: options.compress ?? true,
    font: fonts.initial,
    lang: w.tag,
    displayTitle: true,
    info: {
      Title: pdfTitle(report, w),
      Author: 'Tashghil',
      Subject: w.t.subject,
      Creator: 'Tashghil',
      CreationDate: creationDate(report),
    },
  });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      registerFonts(doc, fonts, dir);
      const contentsAt = titlePage(doc, fonts, report, w);
      const pages = new Map<Section, number>();
      for (const section of SECTIONS) {
        doc.addPage();
        pages.set(section, doc.bufferedPageRange().count - 1);
        heading(doc, fonts, w.section(section));
        SECTION_RENDERERS[section](doc, fonts, report, w);
      }
      contents(doc, fonts, contentsAt, pages, w);
      footers(doc, fonts, (page, of) => w.footer(w.scope(report), report.asOf, page, of));
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
};
