import { ValidationError } from '@tashghil/event-store';
import type { z } from 'zod';

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NUL = String.fromCharCode(0);

/**
 * Text PostgreSQL cannot store: text and jsonb refuse NUL, jsonb refuses half a surrogate pair, and
 * PGlite refuses some strings holding one. Refused at the edge, it is a 400 naming the field rather
 * than a failed write.
 */
export const unstorableText = (value: unknown, where = 'body'): Array<{ path: string; message: string }> => {
  const found: Array<{ path: string; message: string }> = [];
  const bad = (s: string): boolean => s.includes(NUL) || UNPAIRED_SURROGATE.test(s);
  // Iterative, so that no nesting depth a body can reach overflows the stack. Each value keeps a
  // link to its parent rather than a copy of its path: the path is spelt out only for a bad value
  // (an import checks every cell of a 100,000-row file here, 2026-12-05).
  const pathOf = (at: Place | undefined): string => {
    const keys: string[] = [];
    for (let p = at; p; p = p.parent) keys.push(p.key);
    return keys.length ? keys.reverse().join('.') : where;
  };
  const pending: Array<{ value: unknown; at: Place | undefined }> = [{ value, at: undefined }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: v, at } = next;
    if (typeof v === 'string') {
      if (bad(v))
        found.push({ path: pathOf(at), message: 'must not contain a NUL character or an unpaired surrogate' });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) pending.push({ value: v[i], at: { parent: at, key: String(i) } });
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if (bad(key))
          found.push({ path: pathOf(at), message: 'a key must not contain a NUL character or an unpaired surrogate' });
        pending.push({ value: (v as Record<string, unknown>)[key], at: { parent: at, key } });
      }
    }
  }
  return found;
};

interface Place {
  readonly parent: Place | undefined;
  readonly key: string;
}

/** Parses a request part, or throws a ValidationError naming every bad field at once. */
export const parseInput = <S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> => {
  const result = schema.safeParse(input ?? {});
  const fields = result.success
    ? unstorableText(result.data, where)
    : result.error.issues.map((issue) => ({
        path: issue.path.length ? issue.path.join('.') : where,
        message: issue.message,
      }));
  if (result.success && fields.length === 0) return result.data;
  throw new ValidationError(
    'INVALID_INPUT',
    `the ${where} has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}`,
    fields,
  );
};
