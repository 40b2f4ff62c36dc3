import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, ForbiddenError, NotFoundError } from '@tashghil/event-store';
import { ApiCommand, ApiQuery, parseInput, runCommand, today, type AuthedRequest } from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { isParameterName, PARAMETER_NAMES, PARAMETERS, valueOn } from '../rules/parameters';
import { parameterDecider, parameterStreamId } from './parameter.decider';
import { loadParameterTable } from './parameter-table';

const nameParams = z.object({ name: z.string().max(100) });
const onQuery = z.object({ on: isoDate.optional() });
const valueBody = z.object({
  effectiveFrom: isoDate.describe('the day the value takes effect; today at the earliest'),
  value: z.number().int().describe('an integer in the parameter’s unit: centimes, basis points, months, days or hours'),
  reference: z.string().max(500).describe('the decree, circular or agreement that fixes it'),
});

const unknown = (name: string): NotFoundError =>
  new NotFoundError('UNKNOWN_PARAMETER', `${name} is not a parameter; GET /parameters lists them`);

@ApiTags('parameters')
@Controller('parameters')
export class ParameterController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiQuery()
  async list() {
    const table = await loadParameterTable(this.store);
    return {
      parameters: PARAMETER_NAMES.map((name) => ({
        name,
        ...PARAMETERS[name],
        values: table.filter((v) => v.name === name).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)),
      })),
    };
  }

  @Get(':name')
  @ApiQuery()
  async get(@Param() p: unknown, @Query() q: unknown) {
    const { name } = parseInput(nameParams, p, 'path');
    const { on } = parseInput(onQuery, q, 'query');
    if (!isParameterName(name)) throw unknown(name);
    const table = await loadParameterTable(this.store);
    const day = on ?? today();
    return { ...PARAMETERS[name], on: day, ...valueOn(table, name, day) };
  }

  @Post(':name/values')
  @ApiCommand('Append a dated value to a parameter (admin); past values and decisions stay as they were', valueBody)
  async set(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { name } = parseInput(nameParams, p, 'path');
    const data = parseInput(valueBody, body);
    if (!isParameterName(name)) throw unknown(name);
    const result = await runCommand(
      { req, res },
      this.store,
      parameterDecider,
      parameterStreamId(name),
      { type: 'SetParameterValue', data: { name, ...data } },
      (_s, who) => {
        // Parameters are national law, not a region's: only an admin records a new value.
        if (!who.roles.includes('admin'))
          throw new ForbiddenError('ROLE_NOT_ALLOWED', 'only an admin records a parameter value');
      },
    );
    if (result.events.length) res.status(201);
    return { name, values: result.state.values };
  }
}
