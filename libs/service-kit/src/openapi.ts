import { applyDecorators, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiQuery as ApiQueryParam,
  ApiResponse,
  type OpenAPIObject,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The OpenAPI schema of a zod schema, as a request would send it. */
export const openApiSchema = (schema: z.ZodType): SchemaObject =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as SchemaObject;

/** RFC 9457 problem+json as ProblemFilter writes it. */
const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
    instance: { type: 'string' },
    correlationId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const problem = (status: number, description: string): MethodDecorator =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } });

/** The answers every authenticated endpoint can give before or around its own logic. */
const EDGE_PROBLEMS = [
  problem(401, 'no bearer token, or one that is expired, forged or for another audience'),
  problem(403, 'the token lacks the role, or the region, this needs'),
  problem(503, 'the database is unavailable; try again after Retry-After'),
];

/**
 * The handlers ApiCommand and ApiQuery documented, by operation id, so that withPathParameters can
 * add the success status: their @HttpCode is applied after them, so they cannot read it themselves.
 */
const documented = new Map<string, object>();
const remember: MethodDecorator = (target, key, descriptor) => {
  if (typeof descriptor.value === 'function')
    documented.set(`${target.constructor.name}_${String(key)}`, descriptor.value);
};

/** What expectedVersionFrom reads: `"3"`, `W/"3"`, `3`, or `*`. */
const IF_MATCH = '^(\\*|(W/)?"?-?\\d+"?)$';

/**
 * Documents a command endpoint from the same zod schema that validates it, so the docs cannot
 * drift from the checks.
 */
export const ApiCommand = (
  summary: string,
  body?: z.ZodType,
  options: { ifMatch?: boolean; example?: unknown } = {},
): MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ...(body
      ? [
          ApiBody({
            schema: { ...openApiSchema(body), ...(options.example ? { example: options.example } : {}) },
            description: summary,
          }),
        ]
      : []),
    ...(options.ifMatch
      ? [
          ApiHeader({
            name: 'If-Match',
            required: false,
            schema: { type: 'string', pattern: IF_MATCH },
            description:
              'the ETag (stream version) you last read, such as "3"; a stale one gets 412, one that is not an ETag 400',
          }),
          problem(412, 'If-Match names a version that is no longer the current one'),
        ]
      : []),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'repeat a command safely: the same key never appends twice',
    }),
    problem(400, 'an invalid body, path or header: `errors` lists each bad field with its path'),
    ...EDGE_PROBLEMS,
    problem(404, 'no such resource'),
    problem(409, 'a business rule refuses the command in the current state'),
    problem(413, 'the body is over the size limit'),
    problem(415, 'a charset or Content-Encoding the API cannot read'),
    problem(422, 'the Idempotency-Key was used for another request, or a rule refused the command'),
    remember,
  );

/** A read endpoint; `query` names its optional query parameters and what they take. */
export const ApiQuery = (query: Readonly<Record<string, string>> = {}): MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    problem(400, 'an invalid path or query parameter: `errors` lists each with its path'),
    ...EDGE_PROBLEMS,
    problem(404, 'no such resource'),
    ...Object.entries(query).map(([name, description]) => ApiQueryParam({ name, required: false, description })),
    remember,
  );

/**
 * Declares every `{name}` of a path as a required path parameter. The controllers validate their
 * parameters with zod as a whole, so Nest cannot see them one by one. Adds the success status of
 * each ApiCommand and ApiQuery handler, which Nest leaves out once other responses are declared.
 */
export const withPathParameters = (document: OpenAPIObject): OpenAPIObject => {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    for (const op of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!op) continue;
      const declared = new Set((op.parameters ?? []).map((p) => ('name' in p ? p.name : '')));
      const missing = names
        .filter((n) => !declared.has(n))
        .map((name) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' as const } }));
      op.parameters = [...missing, ...(op.parameters ?? [])];
      const handler = documented.get(op.operationId ?? '');
      if (handler) {
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const status =
          (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
          (method === RequestMethod.POST ? 201 : 200);
        // A handler that sets another success status itself (201 the first time) documents it with ApiResponse.
        op.responses = { [status]: { description: 'success' }, ...op.responses };
      }
    }
  }
  return document;
};
