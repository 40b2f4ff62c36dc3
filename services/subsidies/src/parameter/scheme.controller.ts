import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, NotFoundError } from '@tashghil/event-store';
import { ApiCommand, ApiQuery, parseInput } from '@tashghil/service-kit';
import { z } from 'zod';
import { evaluate } from '../rules/eligibility';
import { SCHEMES, schemeById } from '../rules/schemes';
import { loadParameterTable } from './parameter-table';

const idParams = z.object({ id: z.string().max(64) });
const checkBody = z.object({
  stage: z.enum(['project', 'beneficiary', 'hire']).describe('which of the scheme’s rule sets to apply'),
  on: isoDate.optional().describe('the day to decide on (today when absent)'),
  facts: z
    .record(z.string(), z.union([z.number(), z.string(), z.boolean()]))
    .describe("the facts the rules read, e.g. { 'contract.months': 24 }"),
});

/** The declared schemes, and a dry run of their rules that stores nothing: what an officer checks before filing. */
@ApiTags('schemes')
@Controller('schemes')
export class SchemeController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiQuery()
  list() {
    return { schemes: SCHEMES };
  }

  @Post(':id/eligibility')
  @HttpCode(200)
  @ApiCommand(
    'Apply a scheme’s rules to facts on a date, storing nothing: every rule, its reference, its inputs and pass or fail',
    checkBody,
  )
  async check(@Param() p: unknown, @Body() body: unknown) {
    const { id } = parseInput(idParams, p, 'path');
    const scheme = schemeById(id);
    if (!scheme) throw new NotFoundError('UNKNOWN_SCHEME', `${id} is not a declared scheme; GET /schemes lists them`);
    const { stage, on, facts } = parseInput(checkBody, body);
    const now = new Date().toISOString();
    const table = await loadParameterTable(this.store);
    return evaluate({ scheme, stage, facts, table, on: on ?? now.slice(0, 10), knownAt: now });
  }
}
