import { ValidationError } from '@tashghil/event-store';
import type { z } from 'zod';

/** Parses a request part, or throws a ValidationError naming every bad field at once. */
export const parseInput = <S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.infer<S> => {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : where,
    message: issue.message,
  }));
  throw new ValidationError('INVALID_INPUT', `the ${where} has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}`, fields);
};
