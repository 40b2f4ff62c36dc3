import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { conventionDraftedV1, REGIONS } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, handleCommand, NotFoundError } from '@tashghil/event-store';
import {
  assertRegionAccess,
  commandMetadata,
  etag,
  expectedVersionFrom,
  identityOf,
  parseInput,
  type AuthedRequest,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { conventionDecider, conventionStreamId, type Convention } from './convention.decider';

const draftBody = conventionDraftedV1.omit({ draftedAt: true, draftedBy: true }).extend({
  conventionId: z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must be 3–64 characters: lower-case letters, digits and dashes'),
  title: z.string().trim().min(3, 'must be at least 3 characters').max(300),
});

const idParam = z.object({ id: draftBody.shape.conventionId });

const view = (state: Extract<Convention, { status: 'drafted' }>, version: number) => ({
  ...state,
  regionName: REGIONS[state.region as keyof typeof REGIONS],
  version,
});

@Controller('conventions')
export class ConventionController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Post()
  @HttpCode(201)
  async draft(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(draftBody, body);
    assertRegionAccess(identityOf(req), input.region, 'write');
    const result = await handleCommand(
      this.store,
      conventionDecider,
      conventionStreamId(input.conventionId),
      { type: 'DraftConvention', data: input, metadata: commandMetadata(req) },
      { ...(expectedVersionFrom(req) !== undefined ? { expectedVersion: expectedVersionFrom(req) } : {}) },
    );
    if (result.state.status !== 'drafted') throw new Error('a drafted convention must fold to the drafted state');
    res.setHeader('ETag', etag(result.version));
    res.setHeader('Location', `/conventions/${input.conventionId}`);
    return view(result.state, result.version);
  }

  @Get(':id')
  async get(@Param() params: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParam, params, 'path');
    const events = await this.store.readStream(conventionStreamId(id));
    const state = events.reduce(
      (s, e) => conventionDecider.evolve(s, e as unknown as Parameters<typeof conventionDecider.evolve>[1]),
      conventionDecider.initialState(),
    );
    if (state.status === 'none') throw new NotFoundError('CONVENTION_NOT_FOUND', `no convention ${id}`);
    assertRegionAccess(identityOf(req), state.region, 'read');
    const version = events.length - 1;
    res.setHeader('ETag', etag(version));
    return view(state, version);
  }
}
