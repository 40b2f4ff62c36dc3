import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENEFICIARY_RULE } from '../beneficiaries.query';
import { emptyReport, guelmimReport } from './committee-report.fixture';
import { SECTION_TITLES, SECTIONS } from './labels';
import { reportToPdf, pdfTitle } from './pdf';
import { DEJAVU_DIR, hasDejaVu } from './pdf-layout';
import { drawnPieces, figures } from './pdf-text.spec-helper';
import { WORDS } from './pdf-words';

const pages = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type \/Page\n/g) ?? []).length;

/** WinAnsi is Latin-1 but for 0x80–0x9F, where it keeps the signs French typography uses. */
const WIN_ANSI_EXTRA: Readonly<Record<number, string>> = {
  0x80: '€',
  0x85: '…',
  0x8c: 'Œ',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x96: '–',
  0x97: '—',
  0x9c: 'œ',
};
const winAnsi = {
  decode: (bytes: Buffer): string => [...bytes].map((b) => WIN_ANSI_EXTRA[b] ?? String.fromCharCode(b)).join(''),
};

/**
 * What was drawn, read back from uncompressed page streams in pdfkit's standard fonts, which write
 * each piece of text as WinAnsi hex strings in a TJ array (kerning splits a line into pieces).
 */
const drawnText = (pdf: Buffer): string =>
  [...pdf.toString('latin1').matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\] TJ/g)]
    .map((m) =>
      [...(m[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => winAnsi.decode(Buffer.from(h[1] ?? '', 'hex'))).join(''),
    )
    .join('\n')
    .replace(/\u00a0/g, ' ');

/** PDF text strings outside ASCII are UTF-16BE behind a byte-order mark. */
const pdfString = (text: string): Buffer => Buffer.from(`\ufeff${text}`, 'utf16le').swap16();

describe('the committee pack as PDF', () => {
  it('is a PDF of a title page and one page per part of the report', async () => {
    const pdf = await reportToPdf(guelmimReport);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    expect(pages(pdf)).toBe(1 + SECTIONS.length);
  });

  it('embeds DejaVu Sans when the machine has it', async () => {
    const fonts = (await reportToPdf(guelmimReport)).toString('latin1').match(/\/BaseFont \/\S+/g) ?? [];
    const dejavu =
      existsSync(join(DEJAVU_DIR, 'DejaVuSans.ttf')) && existsSync(join(DEJAVU_DIR, 'DejaVuSans-Bold.ttf'));
    expect(fonts.some((f) => f.endsWith(dejavu ? '+DejaVuSans' : '/Helvetica'))).toBe(true);
    expect(fonts.some((f) => f.endsWith(dejavu ? '+DejaVuSans-Bold' : '/Helvetica-Bold'))).toBe(true);
  });

  it('says what it is in the document info, dated from the report rather than the clock', async () => {
    const pdf = await reportToPdf(guelmimReport);
    const raw = pdf.toString('latin1');
    expect(raw).toContain('(Tashghil)');
    expect(raw).toContain('(D:20230102083000Z)');
    expect(pdfTitle(guelmimReport)).toBe(
      'Rapport au comité – Guelmim-Oued Noun – situation à la fin du 31 décembre 2022',
    );
    expect(pdf.includes(pdfString(pdfTitle(guelmimReport)))).toBe(true);
  });

  it('says how its figures were reached: the read model live or as of the day, or the log replayed', () => {
    for (const words of Object.values(WORDS)) {
      const [live, asOf, replay] = (['live', 'as_of', 'replay'] as const).map((kind) =>
        words.basis(kind, 1_234, '2022-12-30T16:45:00.000Z'),
      );
      expect(new Set([live, asOf, replay]).size).toBe(3);
    }
    const asOf = WORDS.fr.basis('as_of', 1_234, null);
    expect(asOf).toContain('modèle de lecture tel qu’il était à la fin de cette date');
    expect(asOf).not.toContain('relisant');
    expect(WORDS.fr.basis('replay', 1_234, null)).toContain('en relisant le journal');
  });

  it('gives the same bytes for the same report', async () => {
    const [a, b] = await Promise.all([reportToPdf(guelmimReport), reportToPdf(guelmimReport)]);
    expect(a.equals(b)).toBe(true);
    const later = await reportToPdf({ ...guelmimReport, generatedAt: '2023-01-03T08:30:00.000Z' });
    expect(a.equals(later)).toBe(false);
  });

  it('draws the title, every part and the figures in French', async () => {
    const text = drawnText(await reportToPdf(guelmimReport, { compress: false, fontDir: null }));
    expect(text).toContain('Rapport au comité de suivi');
    expect(text).toContain('Guelmim-Oued Noun');
    expect(text).toContain('Situation à la fin du 31 décembre 2022');
    for (const s of SECTIONS) expect(text).toContain(SECTION_TITLES[s]);
    expect(text).toContain('27 000 000,00');
    expect(text).toContain('-1,50');
    expect(text).toContain('Moins de 25 ans');
    expect(text).toContain('De la publication à la première proposition');
    expect(text).toContain("Subvention d'insertion : approuvé");
    expect(text).toContain('page 10 / 10');
  });

  it('draws the jobs ended early, the commitment released, and how the beneficiaries were counted', async () => {
    const text = drawnText(await reportToPdf(guelmimReport, { compress: false, fontDir: null }));
    expect(text).toContain('Terminés avant terme');
    expect(text).toContain('Libéré (MAD)');
    expect(text).toContain('41 300,07');
    expect(text).toContain('Base du décompte');
    expect(text.replace(/\s+/g, ' ')).toContain(BENEFICIARY_RULE.fr);
    expect(text).toContain('Placements hors programme, non comptés : 213');
    expect(text).toContain("Embauches d'un dossier d'aide approuvé");
    expect(text).toContain('Composante du programme');
    expect(text).toContain('Contrats de formation-insertion (Idmaj)');
    expect(text).toContain('Non renseigné');
  });

  it('renders an empty national report without a figure to show', async () => {
    const pdf = await reportToPdf(emptyReport, { compress: false, fontDir: null });
    expect(pages(pdf)).toBe(1 + SECTIONS.length);
    const text = drawnText(pdf);
    expect(text).toContain('National (toutes les régions)');
    expect(text).toContain('Situation en direct');
    expect(text.replace(/\n/g, ' ')).toContain('qui n’a encore projeté aucun événement');
    expect(text).toContain('Aucune donnée à cette date.');
    await expect(reportToPdf(emptyReport)).resolves.toBeInstanceOf(Buffer);
  });

  it('draws lines whose codes are named like Object methods as typed, in French and in Arabic', async () => {
    // A fuzzed programme line "constructor" once read a function from the label table's prototype
    // and failed the pack with a 500.
    const first = guelmimReport.targets[0] as (typeof guelmimReport.targets)[number];
    const odd = {
      ...guelmimReport,
      targets: ['constructor', 'toString', '__proto__'].map((line) => ({ ...first, line, label: line })),
    };
    const text = drawnText(await reportToPdf(odd, { compress: false, fontDir: null }));
    for (const line of ['constructor', 'toString', '__proto__']) expect(text).toContain(line);
    if (hasDejaVu(DEJAVU_DIR)) await expect(reportToPdf(odd, { lang: 'ar' })).resolves.toBeInstanceOf(Buffer);
  });

  it('carries a long table over to further pages, its header repeated, and numbers the contents accordingly', async () => {
    const many = {
      ...guelmimReport,
      targets: Array.from(
        { length: 120 },
        (_, i) => ({ ...guelmimReport.targets[0], line: `m-${i}` }) as (typeof guelmimReport.targets)[number],
      ),
    };
    const pdf = await reportToPdf(many, { compress: false, fontDir: null });
    const extra = pages(pdf) - (1 + SECTIONS.length);
    expect(extra).toBeGreaterThan(0);
    const text = drawnText(pdf);
    expect(text.split('Taux de réalisation').length - 1).toBe(1 + extra);
    expect(text).toMatch(new RegExp(`Budget engagé et payé\\n${3 + extra}\\n`));
  });
});

describe('the committee pack in Arabic', () => {
  const dejavu = hasDejaVu(DEJAVU_DIR);
  const visual = (logical: string): string => [...logical].reverse().join('');

  it('holds every figure of the French pack, and the same number of each', async () => {
    if (!dejavu)
      return expect(reportToPdf(guelmimReport, { lang: 'ar' })).rejects.toMatchObject({ code: 'ARABIC_FONT_MISSING' });
    const [fr, ar] = await Promise.all([
      reportToPdf(guelmimReport, { compress: false }),
      reportToPdf(guelmimReport, { compress: false, lang: 'ar' }),
    ]);
    const [frText, arText] = [drawnPieces(fr), drawnPieces(ar)];
    expect(figures(arText)).toEqual(figures(frText));
    expect(figures(arText)).toEqual(
      expect.arrayContaining(['27 000 000,00', '13 500 000,50', '1 234', '4 070', '2022-12-31']),
    );
    // Arabic words are drawn in visual order, right to left (none with lam-alef here: the ligature reads back in logical order), and no French heading is left.
    expect(arText).toEqual(expect.arrayContaining([visual('المستفيدون'), visual('المؤقتة'), visual('التدفقات')]));
    expect(arText.join(' ')).not.toContain('Bénéficiaires');
    expect(arText).toContain('-1,50');
  });

  it('gives the new figures in Arabic words: jobs ended early, commitment released, the counting rule and the hires left out', async () => {
    if (!dejavu) return;
    const ar = drawnPieces(await reportToPdf(guelmimReport, { compress: false, lang: 'ar' }));
    expect(figures(ar)).toEqual(expect.arrayContaining(['41 300,07', '37', '213', '1 091', '58', '30']));
    // Released, ended, the rule's "mediation", not counted, not declared (an unknown category).
    expect(ar).toEqual(
      expect.arrayContaining([visual('المحرر'), visual('منتهية'), visual('الوساطة'), visual('محتسبة'), visual('مصرح')]),
    );
    expect(BENEFICIARY_RULE.ar).toContain('الوساطة');
    const all = ar.join(' ');
    for (const french of [
      'Libéré',
      'Terminés',
      'Non renseigné',
      'Chaque personne',
      'Placements hors',
      'Composante',
      'Idmaj',
      'Embauches',
    ])
      expect(all).not.toContain(french);
  });

  it('draws Arabic letters in their joined forms: one letter, several glyphs', async () => {
    if (!dejavu) return;
    const raw = (await reportToPdf(guelmimReport, { compress: false, lang: 'ar' })).toString('latin1');
    const glyphsOf = (letter: string): number =>
      (raw.match(new RegExp(`<${letter.charCodeAt(0).toString(16).padStart(4, '0')}>`, 'g')) ?? []).length;
    // lam, meem, ya: isolated, initial, medial and final forms are separate glyphs, each mapped back to the letter.
    for (const letter of ['ل', 'م', 'ي']) expect(glyphsOf(letter)).toBeGreaterThanOrEqual(3);
    expect(raw).toContain('/Lang (ar-MA)');
  });

  it('numbers its pages and contents as the French pack does', async () => {
    if (!dejavu) return;
    const ar = drawnPieces(await reportToPdf(guelmimReport, { compress: false, lang: 'ar' }));
    expect(ar).toContain('10 / 10');
    expect(ar).toEqual(expect.arrayContaining([visual('الفهرس'), visual('صفحة')]));
    expect(pdfTitle(guelmimReport, WORDS.ar)).toBe(
      'تقرير إلى اللجنة – كلميم واد نون – الوضعية في نهاية يوم 31 دجنبر 2022',
    );
  });

  it('is refused, with the missing font named, where DejaVu Sans is not installed', async () => {
    await expect(reportToPdf(guelmimReport, { lang: 'ar', fontDir: null })).rejects.toMatchObject({
      code: 'ARABIC_FONT_MISSING',
      message: expect.stringContaining('DejaVuSans.ttf'),
    });
    await expect(reportToPdf(guelmimReport, { lang: 'ar', fontDir: '/nonexistent' })).rejects.toMatchObject({
      code: 'ARABIC_FONT_MISSING',
    });
  });
});
