import PDFDocument from 'pdfkit';
import type { CommitteeReport } from '../report.types';
import { dateFr, intFr, timestampFr } from './format';
import { scopeFr, SECTION_TITLES, SECTIONS, type Section } from './labels';
import { chooseFonts, COLOURS, contentWidth, DEJAVU_DIR, footers, heading, left, paragraph, registerFonts, type Doc, type Fonts } from './pdf-layout';
import { SECTION_RENDERERS } from './pdf-sections';

export interface PdfOptions {
  /** Deflate the page streams (the default). Tests turn it off to read what was drawn. */
  readonly compress?: boolean;
  /** Where DejaVu Sans is looked for; null uses pdfkit's Helvetica. */
  readonly fontDir?: string | null;
}

const asOfFr = (report: CommitteeReport): string => (report.asOf ? `Situation à la fin du ${dateFr(report.asOf)}` : 'Situation en direct');

export const pdfTitle = (report: CommitteeReport): string => `Rapport au comité – ${scopeFr(report)} – ${asOfFr(report).toLowerCase()}`;

const basisFr = (report: CommitteeReport): string => {
  const { kind, events, lastRecordedAt } = report.basis;
  const last = lastRecordedAt ? `, le dernier enregistré le ${timestampFr(lastRecordedAt)}` : '';
  if (kind === 'replay') {
    return events === 0
      ? 'Chiffres recalculés en relisant le journal des événements jusqu’à cette date : il n’en contient aucun.'
      : `Chiffres recalculés en relisant le journal des événements jusqu’à cette date : ${intFr(events)} événements${last}.`;
  }
  return events === 0
    ? 'Chiffres du modèle de lecture en direct, qui n’a encore projeté aucun événement.'
    : `Chiffres du modèle de lecture en direct : ${intFr(events)} événements projetés${last}.`;
};

/**
 * The title page, and the place its table of contents goes once the sections know their pages.
 * Region names are printed in French only: pdfkit lays Arabic out left to right, unjoined, so the
 * Arabic name stays with the dashboard, which renders it properly.
 */
const titlePage = (doc: Doc, fonts: Fonts, report: CommitteeReport): number => {
  const x = left(doc);
  const width = contentWidth(doc);
  doc.font(fonts.regular).fontSize(10).fillColor(COLOURS.muted).text('Tashghil · programmes régionaux d’emploi', x, 90, { width });
  doc.moveDown(3);
  doc.font(fonts.bold).fontSize(26).fillColor(COLOURS.title).text('Rapport au comité de suivi', { width });
  doc.moveDown(0.4);
  doc.font(fonts.bold).fontSize(20).fillColor(COLOURS.ink).text(scopeFr(report), { width });
  doc.moveDown(0.3);
  doc.font(fonts.regular).fontSize(14).text(asOfFr(report), { width });
  doc.moveDown(1.5);
  paragraph(doc, fonts, basisFr(report), { size: 10 });
  paragraph(doc, fonts, `Généré le ${timestampFr(report.generatedAt)}.`, { size: 10, muted: true });
  paragraph(doc, fonts, 'Montants en dirhams (MAD), exacts au centime. Noms de régions en français.', { size: 10, muted: true });
  doc.moveDown(2);
  return doc.y;
};

const contents = (doc: Doc, fonts: Fonts, y: number, pages: ReadonlyMap<Section, number>): void => {
  doc.switchToPage(0);
  doc.font(fonts.bold).fontSize(12).fillColor(COLOURS.title).text('Sommaire', left(doc), y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
  for (const s of SECTIONS) {
    doc.font(fonts.regular).fontSize(10).fillColor(COLOURS.ink);
    const at = doc.y;
    doc.text(SECTION_TITLES[s], left(doc), at, { width: contentWidth(doc) - 40 });
    doc.text(String((pages.get(s) ?? 0) + 1), left(doc) + contentWidth(doc) - 40, at, { width: 40, align: 'right' });
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
export const reportToPdf = (report: CommitteeReport, options: PdfOptions = {}): Promise<Buffer> => {
  const dir = options.fontDir === undefined ? DEJAVU_DIR : options.fontDir;
  const fonts = chooseFonts(dir);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    bufferPages: true,
    compress: options.compress ?? true,
    font: fonts.initial,
    lang: 'fr-MA',
    displayTitle: true,
    info: {
      Title: pdfTitle(report),
      Author: 'Tashghil',
      Subject: 'Objectifs, budget, bénéficiaires, placements, flux, délais, chantiers et décisions',
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
      const contentsAt = titlePage(doc, fonts, report);
      const pages = new Map<Section, number>();
      for (const section of SECTIONS) {
        doc.addPage();
        pages.set(section, doc.bufferedPageRange().count - 1);
        heading(doc, fonts, SECTION_TITLES[section]);
        SECTION_RENDERERS[section](doc, fonts, report);
      }
      contents(doc, fonts, contentsAt, pages);
      footers(doc, fonts, `Tashghil · ${scopeFr(report)} · ${report.asOf ? `au ${report.asOf}` : 'en direct'}`);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
};
