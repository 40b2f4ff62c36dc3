import { CsvSyntaxError, flag, list, parseCsv, recordsOf } from './csv';

describe('CSV', () => {
  it('reads quoted cells with separators, quotes and line breaks, and counts physical lines', () => {
    const rows = parseCsv('a,b,c\n1,"x, y","he said ""hi"""\n\n2,"two\nlines",z\r\n3,,\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, y', 'he said "hi"'] },
      { line: 4, cells: ['2', 'two\nlines', 'z'] },
      { line: 6, cells: ['3', '', ''] },
    ]);
  });
  it('takes semicolons when the header uses them, and drops a byte-order mark', () => {
    expect(parseCsv('\ufeffa;b\n1;2,5')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2,5'] },
    ]);
  });
  it('refuses a quote left open, naming its line', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(/line 2/);
  });
  it('maps rows to the header and reports rows of the wrong width', () => {
    const { records } = recordsOf(parseCsv('id,name\nx,1\ny\n'));
    expect(records).toEqual([
      { line: 2, values: { id: 'x', name: '1' } },
      { line: 3, error: '1 cells where the header has 2' },
    ]);
  });
  it('reads lists and yes/no cells', () => {
    expect(list('ar| fr |')).toEqual(['ar', 'fr']);
    expect([flag('Oui'), flag('0'), flag(''), flag('peut-être')]).toEqual([true, false, false, 'peut-être']);
  });
});
