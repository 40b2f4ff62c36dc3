import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode as region, REGIONS, slug, trimmedText as text } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, loadAggregate, NotFoundError, type Issued } from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  etag,
  identityOf,
  pageQuery,
  parseInput,
  runCommand,
  type AuthedRequest,
  type Role,
  equalities,
  PAGE_PARAMS,
  readableBy,
  readPage,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import {
  committeeDecider,
  committeeStreamId,
  parentFrom,
  type CommitteeCommand,
  type EstablishedCommittee,
} from './committee.decider';
import { committeeQueryModel, type CommitteeListed } from './committee.query-model';

/** Committee members record their own meetings and decisions; auditors only read. */
const WRITERS: readonly Role[] = ['officer', 'committee', 'admin'];

const seat = z.object({ name: text(200), role: text(100) });
const members = z.array(seat.extend({ organisation: text(200).optional() })).max(100);

// Agenda, attendance and reference lists are not checked for emptiness or repeats here: the decider
// refuses those with their own codes (EMPTY_AGENDA, DUPLICATE_ATTENDEE, …), one rule in one place.
const establishBody = z.object({
  committeeId: slug,
  region,
  programme: slug.describe("the programme governed: a slug such as 'awrach-2022', or a convention id"),
  kind: z.enum(['regional', 'technical']),
  parentCommitteeId: slug.optional().describe('the regional committee a technical committee sits under'),
  chair: seat,
  secretary: seat,
  members,
});
const membershipBody = z.object({ members, chair: seat.optional(), secretary: seat.optional() });
const meetingBody = z.object({
  meetingId: slug,
  date: isoDate,
  place: text(300),
  agenda: z.array(text(500)).max(50).describe('at least one item'),
  attendance: z.array(seat.extend({ present: z.boolean() })).max(200),
  minutes: text(20_000, 0).optional(),
});
const decisionBody = z.object({
  decisionNumber: text(64).describe("e.g. 'CR-GON-2022-001'"),
  meetingId: slug.optional(),
  date: isoDate,
  subject: text(500),
  outcome: z.enum(['approved', 'rejected', 'deferred', 'noted']),
  references: z
    .array(z.object({ kind: slug.describe("e.g. 'convention', 'works-project', 'grant'"), id: text(128) }))
    .max(50),
});
const idParams = z.object({ id: slug });
const meetingParams = idParams.extend({ meetingId: slug });
const decisionParams = idParams.extend({ decisionNumber: text(64) });
const listQuery = pageQuery.extend({
  region: region.optional(),
  programme: slug.optional(),
  kind: z.enum(['regional', 'technical']).optional(),
});

const view = (s: EstablishedCommittee, version: number) => {
  const { status: _status, ...committee } = s;
  return { ...committee, regionName: REGIONS[s.region], version };
};

@ApiTags('committees')
@Controller('committees')
export class CommitteeController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Every command: region check on the state it decides on, If-Match, ETag, the committee's view. */
  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued<CommitteeCommand>) {
    const result = await runCommand(
      { req, res },
      this.store,
      committeeDecider,
      committeeStreamId(id),
      command,
      (state, who) => {
        if (command.type === 'EstablishCommittee') assertRegionAccess(who, command.data.region, 'write', WRITERS);
        else if (state.status === 'none') throw new NotFoundError('COMMITTEE_NOT_FOUND', `no committee ${id}`);
        else assertRegionAccess(who, state.region, 'write', WRITERS);
      },
    );
    if (result.state.status === 'none') throw new Error('a committee command must leave a committee');
    return view(result.state, result.version);
  }

  private async read(
    req: AuthedRequest,
    res: Response,
    id: string,
  ): Promise<{ state: EstablishedCommittee; version: number }> {
    const { state, version } = await loadAggregate(this.store, committeeDecider, committeeStreamId(id));
    if (state.status === 'none') throw new NotFoundError('COMMITTEE_NOT_FOUND', `no committee ${id}`);
    assertRegionAccess(identityOf(req), state.region, 'read');
    res.setHeader('ETag', etag(version));
    return { state, version };
  }

  @Post()
  @HttpCode(201)
  @ApiCommand(
    'Establish a regional committee, or a technical committee under one, with its chair, secretary and members',
    establishBody,
  )
  async establish(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const data = parseInput(establishBody, body);
    // Safe to look up outside the append: a committee is never removed and never changes kind, region or programme.
    const parent =
      data.parentCommitteeId === undefined
        ? undefined
        : parentFrom(
            (await loadAggregate(this.store, committeeDecider, committeeStreamId(data.parentCommitteeId))).state,
          );
    const result = await this.execute(req, res, data.committeeId, {
      type: 'EstablishCommittee',
      data: { ...data, ...(parent ? { parent } : {}) },
    });
    res.setHeader('Location', `/committees/${data.committeeId}`);
    return result;
  }

  @Put(':id/members')
  @ApiCommand('Replace the members; the chair and secretary change only when given', membershipBody, { ifMatch: true })
  async updateMembership(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, {
      type: 'UpdateMembership',
      data: { ...parseInput(membershipBody, body), committeeId: id },
    });
  }

  @Post(':id/meetings')
  @HttpCode(201)
  @ApiCommand('Record a meeting: date, place, agenda, attendance and minutes', meetingBody, { ifMatch: true })
  async holdMeeting(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(meetingBody, body);
    const result = await this.execute(req, res, id, { type: 'HoldMeeting', data: { ...data, committeeId: id } });
    res.setHeader('Location', `/committees/${id}/meetings/${data.meetingId}`);
    return result;
  }

  @Post(':id/decisions')
  @HttpCode(201)
  @ApiCommand(
    'Record a numbered decision, its outcome and the files it concerns; published as CommitteeDecisionRecorded',
    decisionBody,
    { ifMatch: true },
  )
  async recordDecision(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const data = parseInput(decisionBody, body);
    const result = await this.execute(req, res, id, { type: 'RecordDecision', data: { ...data, committeeId: id } });
    res.setHeader('Location', `/committees/${id}/decisions/${encodeURIComponent(data.decisionNumber)}`);
    return result;
  }

  @Get()
  @ApiQuery({
    ...PAGE_PARAMS,
    region: 'a region code such as MA-10',
    programme: 'the programme governed, e.g. awrach-2022',
    kind: 'regional or technical',
  })
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const who = identityOf(req);
    const { region: wanted, programme, kind, ...page } = parseInput(listQuery, q, 'query');
    if (wanted) assertRegionAccess(who, wanted, 'read');
    const scope = readableBy(who);
    const { rows, next } = await readPage<CommitteeListed>(this.store.db, {
      list: 'committees',
      table: committeeQueryModel.table,
      where: [...(scope ? [scope] : []), ...equalities({ region: wanted, programme, kind })],
      page,
      url: req.originalUrl,
      res,
    });
    return { committees: rows.map((row) => ({ ...row.view, version: Number(row.version) })), next };
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state, version } = await this.read(req, res, id);
    return view(state, version);
  }

  @Get(':id/meetings/:meetingId')
  @ApiQuery()
  async getMeeting(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id, meetingId } = parseInput(meetingParams, p, 'path');
    const { state } = await this.read(req, res, id);
    const meeting = state.meetings.find((m) => m.meetingId === meetingId);
    if (!meeting) throw new NotFoundError('MEETING_NOT_FOUND', `committee ${id} held no meeting ${meetingId}`);
    return { committeeId: id, ...meeting, decisions: state.decisions.filter((d) => d.meetingId === meetingId) };
  }

  @Get(':id/decisions/:decisionNumber')
  @ApiQuery()
  async getDecision(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id, decisionNumber } = parseInput(decisionParams, p, 'path');
    const { state } = await this.read(req, res, id);
    const decision = state.decisions.find((d) => d.decisionNumber === decisionNumber);
    if (!decision)
      throw new NotFoundError('DECISION_NOT_FOUND', `committee ${id} recorded no decision ${decisionNumber}`);
    return { committeeId: id, region: state.region, programme: state.programme, kind: state.kind, ...decision };
  }
}
