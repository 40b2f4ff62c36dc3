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
  // Iterative, so that no nesting depth a body can reach overflows the stack.
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: v, path } = next;
    if (typeof v === 'string') {
      if (bad(v))
        found.push({
          path: path.length ? path.join('.') : where,
          message: 'must not contain a NUL character or an unpaired surrogate',
        });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => pending.push({ value: item, path: [...path, String(i)] }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (bad(key))
          found.push({
            path: path.length ? path.join('.') : where,
            message: 'a key must not contain a NUL character or an unpaired surrogate',
          });
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return found;
};

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
