/** One parsed line: its 1-based line number in the file (for error reports) and its cells. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * RFC 4180 CSV: commas (or semicolons, as spreadsheets in French locales write), double quotes
 * around cells that hold separators, quotes or line breaks, "" for a quote inside. Blank lines are
 * skipped. Line numbers count physical lines, so an error points where an editor shows it.
 */
export const parseCsv = (text: string): CsvRow[] => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.indexOf('\n') >= 0 ? body.indexOf('\n') : body.length);
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = (): void => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < body.length) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (cell !== '') throw new CsvSyntaxError(line, 'a quote inside an unquoted cell');
      quoted = true;
    } else if (ch === sep) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      endRow();
      line += 1;
      rowLine = line;
    } else if (ch !== '\r') {
      cell += ch;
    }
    i += 1;
  }
  if (quoted) throw new CsvSyntaxError(rowLine, 'a quoted cell is never closed');
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
};

/** Rows as records keyed by the header's column names; extra or missing cells are reported. */
export const recordsOf = (
  rows: readonly CsvRow[],
): {
  header: string[];
  records: Array<{ line: number; values: Record<string, string> } | { line: number; error: string }>;
} => {
  const [head, ...rest] = rows;
  if (!head) return { header: [], records: [] };
  const header = head.cells.map((h) => h.trim());
  return {
    header,
    records: rest.map((r) =>
      r.cells.length !== header.length
        ? { line: r.line, error: `${r.cells.length} cells where the header has ${header.length}` }
        : { line: r.line, values: Object.fromEntries(header.map((h, k) => [h, (r.cells[k] ?? '').trim()])) },
    ),
  };
};

export const list = (cell: string | undefined): string[] =>
  cell
    ? cell
        .split('|')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

const TRUE = new Set(['true', '1', 'oui', 'yes', 'vrai', 'o', 'y']);
const FALSE = new Set(['false', '0', 'non', 'no', 'faux', 'n', '']);
/** A yes/no cell; anything else is passed on as it is, for the schema to name. */
export const flag = (cell: string | undefined): boolean | string => {
  const v = (cell ?? '').toLowerCase();
  return TRUE.has(v) ? true : FALSE.has(v) ? false : (cell ?? '');
};
