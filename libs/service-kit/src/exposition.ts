/** One sample of the Prometheus text format: `name{label="value",…} 12`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads the samples of a /metrics answer, for tests and scripts that check what a process exports. */
export const parseExposition = (text: string): Sample[] =>
  text.split('\n').flatMap((line) => {
    const m = LINE.exec(line);
    if (!m?.[1] || m[3] === undefined) return [];
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL))
      if (l[1]) labels[l[1]] = (l[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    return [{ name: m[1], labels, value: Number(m[3]) }];
  });

/** The value of the one sample with this name whose labels include `labels`, or undefined. */
export const sampleValue = (
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined => {
  const found = parseExposition(text).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
};
