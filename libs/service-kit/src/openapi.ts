import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiQuery as ApiQueryParam, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The OpenAPI schema of a zod schema, as a request would send it. */
export const openApiSchema = (schema: z.ZodType): SchemaObject =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as SchemaObject;

const PROBLEM = { description: 'application/problem+json with a stable `code`; 400 lists each bad field in `errors`' };

/**
 * Documents a command endpoint from the same zod schema that validates it, so the docs cannot
 * drift from the checks.
 */
export const ApiCommand = (summary: string, body?: z.ZodType, options: { ifMatch?: boolean; example?: unknown } = {}): MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ...(body ? [ApiBody({ schema: { ...openApiSchema(body), ...(options.example ? { example: options.example } : {}) }, description: summary })] : []),
    ...(options.ifMatch
      ? [ApiHeader({ name: 'If-Match', required: false, description: 'the ETag (stream version) you last read; a stale one gets 412' })]
      : []),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'repeat a command safely: the same key never appends twice' }),
    ApiResponse({ status: 400, ...PROBLEM }),
    ApiResponse({ status: 403, ...PROBLEM }),
    ApiResponse({ status: 409, ...PROBLEM }),
  );

/** A read endpoint; `query` names its optional query parameters and what they take. */
export const ApiQuery = (query: Readonly<Record<string, string>> = {}): MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiResponse({ status: 404, ...PROBLEM }),
    ...Object.entries(query).map(([name, description]) => ApiQueryParam({ name, required: false, description })),
  );

/**
 * Declares every `{name}` of a path as a required path parameter. The controllers validate their
 * parameters with zod as a whole, so Nest cannot see them one by one.
 */
export const withPathParameters = (document: OpenAPIObject): OpenAPIObject => {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    for (const op of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!op) continue;
      const declared = new Set((op.parameters ?? []).map((p) => ('name' in p ? p.name : '')));
      const missing = names.filter((n) => !declared.has(n)).map((name) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' as const } }));
      op.parameters = [...missing, ...(op.parameters ?? [])];
    }
  }
  return document;
};
