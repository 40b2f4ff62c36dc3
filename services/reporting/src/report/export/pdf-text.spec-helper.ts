/**
 * The text an uncompressed pdfkit PDF draws, read back through each embedded font's ToUnicode map
 * (pdfkit writes one bfrange array per 256 glyphs), in drawing order: one entry per text-showing
 * operator. A right-to-left piece reads back in visual order, as it was laid out. Only page content
 * streams are scanned: font programs are binary and large.
 */
export const drawnPieces = (pdf: Buffer): string[] => {
  const raw = pdf.toString('latin1');
  const objects = new Map<string, string>();
  for (const m of raw.matchAll(/(?:^|\n)(\d+) 0 obj\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('\nendobj', start);
    objects.set(m[1] ?? '', raw.slice(start, end));
  }
  const streamOf = (body: string): string => {
    const start = body.indexOf('stream\n');
    return start < 0 ? '' : body.slice(start + 7, body.lastIndexOf('\nendstream'));
  };
  const unicodeOf = (fontRef: string): Map<number, string> => {
    const cmapRef = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontRef) ?? '')?.[1] ?? '';
    const map = new Map<number, string>();
    for (const range of streamOf(objects.get(cmapRef) ?? '').matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/g)) {
      const start = parseInt(range[1] ?? '0', 16);
      [...(range[2] ?? '').matchAll(/<([0-9a-f ]+)>/g)].forEach((entry, i) => {
        map.set(start + i, String.fromCharCode(...(entry[1] ?? '').split(' ').map((h) => parseInt(h, 16))));
      });
    }
    return map;
  };
  // pdfkit names each font once for the whole document (F1, F2…), in resource dictionaries of their own.
  const fonts = new Map<string, Map<number, string>>();
  for (const body of objects.values()) {
    const dictionary = body.split('\nstream\n')[0] ?? '';
    for (const m of dictionary.matchAll(/\/(F\d+) (\d+) 0 R/g))
      if (!fonts.has(m[1] ?? '')) fonts.set(m[1] ?? '', unicodeOf(m[2] ?? ''));
  }
  const out: string[] = [];
  for (const body of objects.values()) {
    if (!/\/Type \/Page\n/.test(body)) continue;
    const contents = /\/Contents (\d+) 0 R/.exec(body)?.[1] ?? '';
    let font = new Map<number, string>();
    for (const op of streamOf(objects.get(contents) ?? '').matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) font = fonts.get(op[1]) ?? new Map<number, string>();
      else {
        const hex = [...(op[2] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1] ?? '').join('');
        out.push((hex.match(/.{4}/g) ?? []).map((g) => font.get(parseInt(g, 16)) ?? '\ufffd').join(''));
      }
    }
  }
  return out;
};

/** Every figure drawn, sorted: runs of digits with the separators French figures use inside them (no-break spaces read as spaces). */
export const figures = (pieces: readonly string[]): string[] =>
  pieces
    .flatMap((p) => p.match(/\d(?:[\d\u00a0.,:/-]*\d)?/g) ?? [])
    .map((f) => f.replace(/\u00a0/g, ' '))
    .sort();
