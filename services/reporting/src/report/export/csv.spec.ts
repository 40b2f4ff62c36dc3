import { BENEFICIARY_RULE } from '../beneficiaries.query';
import { emptyReport, guelmimReport } from './committee-report.fixture';
import { CSV_BOM, reportToCsv } from './csv';
import { SECTIONS } from './labels';

/** A strict RFC 4180 reader, so the tests check what a spreadsheet would read back. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted field');
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      value = end < 0 ? text.slice(i) : text.slice(i, i + end);
      i += value.length;
    }
    record.push(value);
    if (text.startsWith(',', i)) {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`unexpected character at ${i}: ${JSON.stringify(text[i])}`);
    }
  }
  if (record.length > 0) records.push(record);
  return records;
};

const rows = (csv: string) =>
  parseCsv(csv)
    .slice(1)
    .map(([section = '', region = '', item = '', detail = '', measure = '', value = '']) => ({
      section,
      region,
      item,
      detail,
      measure,
      value,
    }));
const valueOf = (csv: string, section: string, item: string, measure: string) =>
  rows(csv)
    .filter((r) => r.section === section && r.item === item && r.measure === measure)
    .map((r) => r.value);

describe('the committee report as CSV', () => {
  const csv = reportToCsv(guelmimReport);

  it('is one long table of six columns, every record ended by CRLF', () => {
    expect(csv.startsWith('section,region,item,detail,measure,value\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsv(csv);
    expect(records.length).toBeGreaterThan(60);
    for (const r of records) expect(r).toHaveLength(6);
    // A bare LF appears only inside the one decision subject that holds one, on each of its 3 rows.
    expect(csv.replace(/\r\n/g, '').match(/\n/g)).toHaveLength(3);
    expect(csv.startsWith(CSV_BOM)).toBe(false);
  });

  it('starts with the scope, the date it is as of, its basis and when it was generated', () => {
    expect(
      rows(csv)
        .slice(0, 7)
        .map((r) => [r.item, r.measure, r.value]),
    ).toEqual([
      ['scope', 'name_fr', 'Guelmim-Oued Noun'],
      ['scope', 'name_ar', 'كلميم واد نون'],
      ['as_of', 'date', '2022-12-31'],
      ['basis', 'kind', 'replay'],
      ['basis', 'events', '1234'],
      ['basis', 'last_recorded_at', '2022-12-30T16:45:00.000Z'],
      ['generated_at', 'timestamp', '2023-01-02T08:30:00.000Z'],
    ]);
    expect(
      rows(csv)
        .slice(0, 7)
        .every((r) => r.section === 'report' && r.region === 'MA-10'),
    ).toBe(true);
  });

  it('covers every part of the report', () => {
    const sections = new Set(rows(csv).map((r) => r.section));
    expect([...sections]).toEqual(['report', ...SECTIONS]);
    expect(valueOf(csv, 'beneficiaries', 'age_band.under_25', 'count')).toEqual(['1000']);
    expect(valueOf(csv, 'placements', 'sector.construction', 'count')).toEqual(['700']);
    expect(valueOf(csv, 'flows', 'to.abroad', 'count')).toEqual(['20']);
    expect(valueOf(csv, 'processingTimes', 'published_to_first_hire', 'p90_days')).toEqual(['45']);
    expect(valueOf(csv, 'worksSites', 'province.Tan-Tan', 'launched_jobs')).toEqual(['1450']);
    expect(valueOf(csv, 'decisions', 'files.grant/approved', 'count')).toEqual(['1120']);
    expect(valueOf(csv, 'timeline', '2022-06', 'hires')).toEqual(['120']);
  });

  it('labels codes in French and keeps the codes as items', () => {
    const female = rows(csv).find((r) => r.item === 'gender.female');
    expect(female).toMatchObject({ section: 'beneficiaries', detail: 'Genre : Femmes', value: '1221' });
    expect(rows(csv).find((r) => r.item === 'programme:awrach/2022:temporary_works')?.detail).toBe(
      'Emplois temporaires (chantiers)',
    );
    expect(rows(csv).find((r) => r.item === 'to.MA-09')).toMatchObject({
      region: 'MA-10',
      detail: 'Guelmim-Oued Noun → Souss-Massa',
    });
    // A key the labels do not know is kept as it is.
    expect(rows(csv).find((r) => r.item === 'sector.aquaculture')?.detail).toBe('aquaculture');
  });

  it('gives grant jobs ended early beside those achieved, and the commitment they released', () => {
    expect(valueOf(csv, 'targets', 'programme:awrach/2022:lasting_integration', 'ended_jobs')).toEqual(['37']);
    expect(valueOf(csv, 'targets', 'programme:awrach/2022:temporary_works', 'ended_jobs')).toEqual(['0']);
    expect(valueOf(csv, 'targets', 'convention:convention-guelmim-2022:m-1', 'ended_jobs')).toEqual(['']);
    expect(valueOf(csv, 'budget', 'programme:awrach/2022:lasting_integration', 'released_mad')).toEqual(['41300.07']);
    expect(valueOf(csv, 'budget', 'convention:convention-guelmim-2022:m-1', 'released_mad')).toEqual(['0.00']);
  });

  it('gives the beneficiaries per component and source, the counting rule in both languages, and the hires left out', () => {
    expect(rows(csv).find((r) => r.item === 'component.idmaj_training_contracts')).toMatchObject({
      section: 'beneficiaries',
      detail: 'Composante du programme : Contrats de formation-insertion (Idmaj)',
      measure: 'count',
      value: '58',
    });
    expect(valueOf(csv, 'beneficiaries', 'component.temporary_works', 'count')).toEqual(['2950']);
    expect(rows(csv).find((r) => r.item === 'source.grant')).toMatchObject({
      detail: "Origine : Embauches d'un dossier d'aide approuvé",
      value: '1091',
    });
    expect(rows(csv).find((r) => r.item === 'disability.unknown')).toMatchObject({
      detail: 'Handicap : Non renseigné',
      value: '30',
    });
    expect(valueOf(csv, 'beneficiaries', 'basis.rule', 'text_fr')).toEqual([BENEFICIARY_RULE.fr]);
    expect(valueOf(csv, 'beneficiaries', 'basis.rule', 'text_ar')).toEqual([BENEFICIARY_RULE.ar]);
    expect(rows(csv).find((r) => r.item === 'basis.counted.hire')).toMatchObject({
      detail: 'Personnes comptées : Embauches sous une mesure de convention',
      value: '58',
    });
    expect(valueOf(csv, 'beneficiaries', 'basis.counted.grant', 'count')).toEqual(['1091']);
    expect(valueOf(csv, 'beneficiaries', 'basis.hires_left_out', 'count')).toEqual(['213']);
  });

  it('quotes fields holding a comma, a quote or a line break, and reads them back whole', () => {
    expect(csv).toContain('"Réaffectation des reliquats,\nvers la province de ""Tan-Tan"""');
    expect(csv).toContain('"Chantiers, ""pistes"" et écoles"');
    expect(rows(csv).find((r) => r.item === 'awrach-guelmim-oued-noun-regional/CR-2022-07')?.detail).toBe(
      'Réaffectation des reliquats,\nvers la province de "Tan-Tan"',
    );
  });

  it('keeps a spreadsheet from taking text for a formula, and leaves negative figures alone', () => {
    expect(rows(csv).find((r) => r.item === 'awrach-guelmim-oued-noun-technical/CT-2022-03')?.detail).toBe(
      '\'=HYPERLINK("http://example.invalid")',
    );
    expect(valueOf(csv, 'timeline', '2022-07', 'paid_mad')).toEqual(['-1.50']);
  });

  it('gives money in MAD with two exact decimals, and counts as integers', () => {
    const line = 'programme:awrach/2022:lasting_integration';
    expect(valueOf(csv, 'budget', line, 'budget_mad')).toEqual(['27000000.00']);
    expect(valueOf(csv, 'budget', line, 'committed_mad')).toEqual(['13500000.50']);
    expect(valueOf(csv, 'budget', line, 'paid_mad')).toEqual(['0.05']);
    expect(valueOf(csv, 'budget', line, 'clawed_back_mad')).toEqual(['0.99']);
    expect(valueOf(csv, 'budget', line, 'state_mad')).toEqual(['']);
    expect(valueOf(csv, 'timeline', '2022-06', 'paid_mad')).toEqual(['1234567.89']);
    expect(valueOf(csv, 'targets', 'convention:convention-guelmim-2022:m-1', 'achieved_jobs')).toEqual(['']);
    for (const r of rows(csv).filter((x) => x.measure === 'count')) expect(r.value).toMatch(/^\d+$/);
    for (const r of rows(csv).filter((x) => x.measure.endsWith('_mad') && x.value !== ''))
      expect(r.value).toMatch(/^-?\d+\.\d\d$/);
  });

  it('exports an empty national report: the header rows and the totals, nothing else', () => {
    const empty = reportToCsv(emptyReport);
    const all = rows(empty);
    expect(all.every((r) => r.region === 'national')).toBe(true);
    expect(valueOf(empty, 'report', 'as_of', 'date')).toEqual(['']);
    expect(valueOf(empty, 'report', 'basis', 'last_recorded_at')).toEqual(['']);
    expect(valueOf(empty, 'report', 'scope', 'name_fr')).toEqual(['']);
    expect(all.find((r) => r.item === 'scope')?.detail).toBe('National (toutes les régions)');
    expect([...new Set(all.map((r) => r.section))]).toEqual(['report', 'beneficiaries', 'placements', 'worksSites']);
    expect(valueOf(empty, 'worksSites', 'launched', 'jobs')).toEqual(['0']);
    expect(valueOf(empty, 'beneficiaries', 'basis.hires_left_out', 'count')).toEqual(['0']);
  });
});
