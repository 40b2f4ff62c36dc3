import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode, slug, trimmedText as text } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, loadAggregate, NotFoundError, type Issued } from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  etag,
  identityOf,
  parseInput,
  runCommand,
  type AuthedRequest,
  today,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { isIscoUnitGroup } from '../occupation/isco-08';
import {
  ageOn,
  EDUCATION_LEVELS,
  MOBILITY,
  monthsRegistered,
  seekerDecider,
  seekerStreamId,
  type Seeker,
  type SeekerCommand,
} from './seeker.decider';
import { listSeekers, SEEKER_LIST_PARAMS, seekerListQuery } from './seeker-list';

const isco = z
  .string()
  .refine(isIscoUnitGroup, 'must be an ISCO-08 unit group (4 digits)')
  .meta({ pattern: '^\\d{4}$' });
const profile = {
  region: regionCode,
  province: text(100),
  gender: z.enum(['female', 'male']),
  birthDate: isoDate,
  education: z.enum(EDUCATION_LEVELS),
  diploma: text(200).optional(),
  occupations: z.array(isco).min(1).max(5),
  skills: z.array(text(60)).max(30),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639 language code')).max(10),
  disability: z.boolean(),
  pandemicJobLoss: z.boolean(),
  area: z.enum(['rural', 'urban']),
  mobility: z.enum(MOBILITY),
};
const personal = {
  fullName: text(200),
  cin: z.string().regex(/^[A-Z]{1,2}\d{1,6}$/, 'a CIN is one or two capital letters and up to six digits'),
  phone: z
    .string()
    .regex(/^\+?\d{8,15}$/, 'digits, optionally with a leading +')
    .optional(),
  email: z.string().email().optional(),
};
export const registerBody = z.object({
  seekerId: slug.describe('a pseudonymous id, never the CIN'),
  registeredOn: isoDate,
  ...profile,
  ...personal,
});
const updateBody = z
  .object({ ...profile, ...personal })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
const reasonBody = z.object({ reason: text(500) });
const idParams = z.object({ id: registerBody.shape.seekerId });

/** What an officer sees: the profile, with months registered and age derived for today. */
const view = (s: Exclude<Seeker, { status: 'none' }>, version: number) => {
  const on = today();
  return { ...s, monthsRegistered: monthsRegistered(s.registeredOn, on), age: ageOn(s.birthDate, on), version };
};

@ApiTags('seekers')
@Controller('seekers')
export class SeekerController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  private async execute(req: AuthedRequest, res: Response, id: string, command: Issued<SeekerCommand>) {
    const result = await runCommand(
      { req, res },
      this.store,
      seekerDecider,
      seekerStreamId(id),
      command,
      (state, who) => {
        if (state.status !== 'none') assertRegionAccess(who, state.region, 'write');
        else if (command.type === 'RegisterSeeker') assertRegionAccess(who, command.data.region, 'write');
        else throw new NotFoundError('SEEKER_NOT_FOUND', `no seeker ${id}`);
      },
    );
    if (result.state.status === 'none') throw new Error('a seeker command must leave a seeker');
    return view(result.state, result.version);
  }

  @Post()
  @HttpCode(201)
  @ApiCommand('Register a job seeker; name, CIN, phone and e-mail are sealed under the seeker’s own key', registerBody)
  async register(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const data = parseInput(registerBody, body);
    const result = await this.execute(req, res, data.seekerId, { type: 'RegisterSeeker', data });
    res.setHeader('Location', `/seekers/${data.seekerId}`);
    return result;
  }

  @Patch(':id')
  @ApiCommand('Update a seeker', updateBody, { ifMatch: true })
  async update(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, { type: 'UpdateSeeker', data: parseInput(updateBody, body) });
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiCommand('Withdraw a seeker from the register', reasonBody, { ifMatch: true })
  async withdraw(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    return this.execute(req, res, id, { type: 'WithdrawSeeker', data: parseInput(reasonBody, body) });
  }

  /** The history stays and still verifies; the person's name, CIN and contacts become unreadable everywhere. */
  @Post(':id/erase')
  @HttpCode(200)
  @ApiCommand('Erase a seeker’s personal data (the right to erasure)', reasonBody)
  async erase(
    @Param() p: unknown,
    @Body() body: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    await this.execute(req, res, id, { type: 'EraseSeeker', data: parseInput(reasonBody, body) });
    await this.store.eraseSubject(`seeker:${id}`);
    const { state, version } = await loadAggregate(this.store, seekerDecider, seekerStreamId(id));
    if (state.status === 'none') throw new NotFoundError('SEEKER_NOT_FOUND', `no seeker ${id}`);
    return view(state, version);
  }

  /** Reads q.seekers, which every write updates in its own transaction: a seeker just registered is listed. */
  @Get()
  @ApiQuery(SEEKER_LIST_PARAMS)
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const query = parseInput(seekerListQuery, q, 'query');
    return listSeekers(this.store.db, identityOf(req), query, { url: req.originalUrl, res });
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    const { state, version } = await loadAggregate(this.store, seekerDecider, seekerStreamId(id));
    if (state.status === 'none') throw new NotFoundError('SEEKER_NOT_FOUND', `no seeker ${id}`);
    assertRegionAccess(identityOf(req), state.region, 'read');
    res.setHeader('ETag', etag(version));
    return view(state, version);
  }
}
