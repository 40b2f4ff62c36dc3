import { invalidArgument } from './errors';
import type { FilterOptions } from './messages';

/**
 * A `$all` filter: on the stream name or on the event type, by prefixes or by a regular expression
 * (unanchored unless it anchors itself, as .NET's Regex.IsMatch reads it). The stream name is the one
 * clients see (`$$…` for metadata streams).
 */
export interface AllFilter {
  readonly matches: (streamName: string, type: string) => boolean;
  /** Events scanned between two checkpoints of a filtered subscription. */
  readonly checkpointInterval: number;
  /** The most events scanned before a filtered read answers what it found (maxSearchWindow). */
  readonly window: number;
}

/** KurrentDB's read batch, which is also its default search window (Enumerator.cs, DefaultReadBatchSize = 32). */
const DEFAULT_WINDOW = 32;

export const compileFilter = (options: FilterOptions | undefined): AllFilter | undefined => {
  if (!options?.filter) return undefined;
  const expression = options.filter === 'stream_identifier' ? options.stream_identifier : options.event_type;
  const onType = options.filter === 'event_type';
  let test: (value: string) => boolean;
  if (expression?.regex) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(expression.regex);
    } catch (error) {
      throw invalidArgument(`the filter's regular expression is invalid: ${(error as Error).message}`);
    }
    test = (value) => pattern.test(value);
  } else {
    const prefixes = [...(expression?.prefix ?? [])];
    test = (value) => prefixes.some((p) => value.startsWith(p));
  }
  const window = options.window === 'max' && options.max ? options.max : DEFAULT_WINDOW;
  const multiplier = options.checkpointIntervalMultiplier || 1;
  return {
    matches: onType ? (_name, type) => test(type) : (name) => test(name),
    checkpointInterval: window * multiplier,
    window,
  };
};
