import type { IntegrationEventData, IntegrationEventType } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import type { Column } from './bitemporal';
import type { Fold, ProjectedEvent, Versioned, VersionRow } from './read-model';

/** One version of a key's row: from its recorded time, until the next one's (null while current). */
interface Version {
  row: VersionRow;
  readonly from: string;
  to: string | null;
  /** Read from the table (else made by this page), and whether this page changed it. */
  readonly stored: boolean;
  changed: boolean;
}

/** An instant as microseconds since the epoch: recorded times come in milliseconds, stored ones in microseconds. */
const micros = (instant: string): number => {
  const fraction = /\.(\d+)/.exec(instant)?.[1] ?? '';
  return Date.parse(instant) * 1000 + Number(`${fraction}000000`.slice(3, 6));
};

/** How a column is read back, so that a fold sees what it wrote: dates and instants as text. */
const selected = ([name, type]: Column): string => {
  switch (type) {
    case 'date':
      return `to_char(${name}, 'YYYY-MM-DD') AS ${name}`;
    case 'timestamptz':
      return `to_char(${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ${name}`;
    default:
      return name;
  }
};

const keyText = (values: readonly unknown[]): string => values.join('\u0000');

/**
 * Writes a page's events into one versioned table: the current rows of the keys they name are read
 * in one statement, the events folded over them in page order (a stream's order), and what changed
 * written in two statements: the stored rows it closed or changed in place, then the new versions.
 * A change recorded at the instant its row was opened changes that row in place; any other opens a
 * new version and closes the one before at that instant. One event is a page of one.
 */
export const writeVersionsOf = async (
  q: Queryable,
  s: string,
  table: string,
  versioned: Versioned,
  items: readonly { readonly data: unknown; readonly event: ProjectedEvent }[],
): Promise<void> => {
  const steps = items.flatMap(({ data, event }) => {
    const fold = versioned.folds[event.type as IntegrationEventType] as Fold<IntegrationEventType> | undefined;
    // The projection hands over data parsed by the contract of event.type, the type the fold takes.
    const parsed = data as IntegrationEventData<IntegrationEventType>;
    return fold ? [{ fold, data: parsed, at: event.recordedAt, key: fold.key(parsed) }] : [];
  });
  if (steps.length === 0) return;
  const { key, columns } = versioned;
  const keys = new Map(steps.map((step) => [keyText(step.key), step.key]));
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT ${[...key, ...columns, ['valid_from', 'timestamptz'] as const].map(selected).join(', ')}
       FROM ${s}.${table}
      WHERE valid_to = 'infinity'
        AND (${key.map(([name]) => name).join(', ')}) IN (SELECT * FROM unnest(${key.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}))`,
    key.map((_, i) => [...keys.values()].map((values) => values[i])),
  );
  const chains = new Map<string, Version[]>();
  for (const row of rows) {
    const { valid_from, ...values } = row;
    chains.set(keyText(key.map(([name]) => row[name])), [
      { row: values, from: String(valid_from), to: null, stored: true, changed: false },
    ]);
  }
  for (const { fold, data, at, key: values } of steps) {
    const id = keyText(values);
    const chain = chains.get(id) ?? [];
    const current = chain.at(-1);
    const next = fold.next(current?.row, data);
    if (next === undefined || next === current?.row) continue;
    const row = { ...next, ...Object.fromEntries(key.map(([name], i) => [name, values[i]])) };
    if (current && micros(current.from) >= micros(at)) {
      current.row = row;
      current.changed = true;
    } else {
      if (current) {
        current.to = at;
        current.changed = true;
      }
      chain.push({ row, from: at, to: null, stored: false, changed: true });
      chains.set(id, chain);
    }
  }
  const versions = [...chains.values()].flat();
  const all = [...key, ...columns];
  const changed = versions.filter((v) => v.stored && v.changed);
  if (changed.length > 0) {
    const n = all.length;
    await q.query(
      `UPDATE ${s}.${table} AS t SET ${columns.map(([name]) => `${name} = x.${name}`).join(', ')}, valid_to = x.valid_to
         FROM unnest(${all.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[])
              AS x(${all.map(([name]) => name).join(', ')}, valid_from, valid_to)
        WHERE ${key.map(([name]) => `t.${name} = x.${name}`).join(' AND ')} AND t.valid_from = x.valid_from`,
      [
        ...all.map(([name]) => changed.map((v) => v.row[name] ?? null)),
        changed.map((v) => v.from),
        changed.map((v) => v.to ?? 'infinity'),
      ],
    );
  }
  const made = versions.filter((v) => !v.stored);
  if (made.length > 0) {
    const n = all.length;
    await q.query(
      `INSERT INTO ${s}.${table} (${all.map(([name]) => name).join(', ')}, valid_from, valid_to)
       SELECT * FROM unnest(${all.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[])`,
      [
        ...all.map(([name]) => made.map((v) => v.row[name] ?? null)),
        made.map((v) => v.from),
        made.map((v) => v.to ?? 'infinity'),
      ],
    );
  }
};
