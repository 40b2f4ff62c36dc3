import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiResponse } from '@nestjs/swagger';
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
export const ApiCommand = (summary: string, body?: z.ZodType, options: { ifMatch?: boolean } = {}): MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ...(body ? [ApiBody({ schema: openApiSchema(body), description: summary })] : []),
    ...(options.ifMatch
      ? [ApiHeader({ name: 'If-Match', required: false, description: 'the ETag (stream version) you last read; a stale one gets 412' })]
      : []),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'repeat a command safely: the same key never appends twice' }),
    ApiResponse({ status: 400, ...PROBLEM }),
    ApiResponse({ status: 403, ...PROBLEM }),
    ApiResponse({ status: 409, ...PROBLEM }),
  );

export const ApiQuery = (): MethodDecorator => applyDecorators(ApiBearerAuth(), ApiResponse({ status: 404, ...PROBLEM }));
