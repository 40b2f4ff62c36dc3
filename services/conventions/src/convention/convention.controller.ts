import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  EVENT_STORE,
  EventStore,
  loadAggregate,
  NotFoundError,
  type Issued,
  type SqlPart,
} from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  etag,
  identityOf,
  parseInput,
  runCommand,
  today,
  type AuthedRequest,
  equalities,
  PAGE_PARAMS,
  readableBy,
  readPage,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import type { z } from 'zod';
import {
  conventionDecider,
  conventionStreamId,
  type ConventionCommand,
  type ConventionState,
} from './convention.decider';
import {
  amendBody,
  changeMeasureBody,
  closeBody,
  draftBody,
  editBody,
  idParams,
  listQuery,
  measureBody,
  measureParams,
  partyBody,
  partyParams,
  PHASES,
  signBody,
} from './convention.schemas';
import { conventionOn, conventionQueryModel, type ConventionListed } from './convention.query-model';
import { conventionView } from './convention.view';

/** A phase as a condition on the stored row: a signed convention's phase is its period against today. */
const phaseIs = (phase: (typeof PHASES)[number], today: string): SqlPart => {
  switch (phase) {
    case 'signed':
      return { text: `status = 'signed' AND period_start > $?`, params: [today] };
    case 'active':
      return { text: `status = 'signed' AND period_start <= $? AND period_end >= $?`, params: [today, today] };
    case 'period-ended':
      return { text: `status = 'signed' AND period_end < $?`, params: [today] };
    default:
      return { text: 'phase = $?', params: [phase] };
  }
};

@ApiTags('conventions')
@Controller('conventions')
export class ConventionController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** One path for every command: region check on the current state, If-Match, ETag, the view. */
  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued<ConventionCommand>) {
    const result = await runCommand(
      { req, res },
      this.store,
      conventionDecider,
      conventionStreamId(id),
      command,
      (state: ConventionState, who) => {
        if (state.status !== 'none') assertRegionAccess(who, state.region, 'write');
        else if (command.type === 'DraftConvention') assertRegionAccess(who, command.data.region, 'write');
        else throw new NotFoundError('CONVENTION_NOT_FOUND', `no convention ${id}`);
      },
    );
    if (result.state.status === 'none') throw new Error('a convention command must leave a convention');
    return conventionView(result.state, result.version, today());
  }

  private params<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
    return parseInput(schema, raw, 'path');
  }

  @Post()
  @HttpCode(201)
  @ApiCommand('Draft a convention for a region and a period', draftBody)
  async draft(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const data = parseInput(draftBody, body);
    const view = await this.execute(req, res, data.conventionId, { type: 'DraftConvention', data });
    res.setHeader('Location', `/conventions/${data.conventionId}`);
    return view;
  }

  @Patch(':id')
  @ApiCommand('Edit the title, period or legal basis of a draft', editBody, { ifMatch: true })
  async edit(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = this.params(idParams, p);
    return this.execute(req, res, id, { type: 'EditConvention', data: parseInput(editBody, body) });
  }

  @Post(':id/parties')
  @HttpCode(201)
  @ApiCommand('Add a party (a signatory role) to a draft', partyBody, { ifMatch: true })
  async addParty(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = this.params(idParams, p);
    return this.execute(req, res, id, { type: 'AddParty', data: parseInput(partyBody, body) });
  }

  @Delete(':id/parties/:partyId')
  @ApiCommand('Remove a party from a draft', undefined, { ifMatch: true })
  async removeParty(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id, partyId } = this.params(partyParams, p);
    return this.execute(req, res, id, { type: 'RemoveParty', data: { partyId } });
  }

  @Post(':id/measures')
  @HttpCode(201)
  @ApiCommand('Add a measure: programme line, beneficiary target, State and Region budget in centimes', measureBody, {
    ifMatch: true,
  })
  async addMeasure(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = this.params(idParams, p);
    return this.execute(req, res, id, { type: 'AddMeasure', data: parseInput(measureBody, body) });
  }

  @Patch(':id/measures/:measureId')
  @ApiCommand('Change a measure of a draft', changeMeasureBody, { ifMatch: true })
  async changeMeasure(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id, measureId } = this.params(measureParams, p);
    return this.execute(req, res, id, {
      type: 'ChangeMeasure',
      data: { ...parseInput(changeMeasureBody, body), measureId },
    });
  }

  @Delete(':id/measures/:measureId')
  @ApiCommand('Remove a measure from a draft', undefined, { ifMatch: true })
  async removeMeasure(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id, measureId } = this.params(measureParams, p);
    return this.execute(req, res, id, { type: 'RemoveMeasure', data: { measureId } });
  }

  @Post(':id/signatures')
  @HttpCode(201)
  @ApiCommand('Record one signature; the last required one signs the convention', signBody, {
    ifMatch: true,
    example: { role: 'wali', signatory: 'Wali de la région Souss-Massa', date: '2021-03-15', place: 'Agadir' },
  })
  async sign(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = this.params(idParams, p);
    return this.execute(req, res, id, { type: 'SignConvention', data: parseInput(signBody, body) });
  }

  @Post(':id/amendments')
  @HttpCode(201)
  @ApiCommand(
    'Amend a signed convention: targets, budgets or the period, with an effective date and a reason',
    amendBody,
    {
      ifMatch: true,
      example: {
        effectiveDate: '2022-01-01',
        reason: 'Revue à mi-parcours : renforcement de Tahfiz',
        measures: [{ measureId: 'tahfiz', budget: { stateCentimes: 6_000_000_000, regionCentimes: 0 } }],
      },
    },
  )
  async amend(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = this.params(idParams, p);
    return this.execute(req, res, id, { type: 'AmendConvention', data: parseInput(amendBody, body) });
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiCommand('Close a signed convention at the end of its period, or terminate it early with a reason', closeBody, {
    ifMatch: true,
  })
  async close(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = this.params(idParams, p);
    return this.execute(req, res, id, { type: 'CloseConvention', data: parseInput(closeBody, body) });
  }

  @Get()
  @ApiQuery({
    ...PAGE_PARAMS,
    region: 'MA-01 … MA-12; a region-scoped caller sees only their own region',
    status: 'draft, signed or closed',
    phase: PHASES.join(', '),
  })
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { region, status, phase, ...page } = parseInput(listQuery, q, 'query');
    const scope = readableBy(identityOf(req));
    const day = today();
    const { rows, next } = await readPage<ConventionListed>(this.store.db, {
      list: 'conventions',
      table: conventionQueryModel.table,
      where: [...(scope ? [scope] : []), ...equalities({ region, status }), ...(phase ? [phaseIs(phase, day)] : [])],
      page,
      url: req.originalUrl,
      res,
    });
    return { conventions: rows.map((row) => conventionOn(row.view, Number(row.version), day)), next };
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = this.params(idParams, p);
    const { state, version } = await loadAggregate(this.store, conventionDecider, conventionStreamId(id));
    if (state.status === 'none') throw new NotFoundError('CONVENTION_NOT_FOUND', `no convention ${id}`);
    assertRegionAccess(identityOf(req), state.region, 'read');
    res.setHeader('ETag', etag(version));
    return conventionView(state, version, today());
  }

  @Get(':id/history')
  @ApiQuery()
  async history(@Param() p: unknown, @Req() req: AuthedRequest) {
    const { id } = this.params(idParams, p);
    const { state, events } = await loadAggregate(this.store, conventionDecider, conventionStreamId(id));
    if (state.status === 'none') throw new NotFoundError('CONVENTION_NOT_FOUND', `no convention ${id}`);
    assertRegionAccess(identityOf(req), state.region, 'read');
    return {
      conventionId: id,
      events: events.map((e) => ({
        position: e.streamPosition,
        type: e.type,
        recordedAt: e.recordedAt,
        actor: e.metadata.actor,
        correlationId: e.metadata.correlationId,
        data: e.data,
      })),
    };
  }
}
