import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode, slug } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, handleWorkflow } from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  commandMetadata,
  etag,
  identityOf,
  parseInput,
  type AuthedRequest,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { runStep } from './batch-run.workflow';
import { replayMatchingRun } from './replay';
import { MatchingRunJobs } from './run-jobs';
import { listProposals, listRuns, loadRunResource, proposalsQuery, RUN_LIST_PARAMS, runListQuery } from './run-list';
import type { RunParameters } from './run-matching';
import { solveOffThread } from './solve-thread';

const capsByRegion = z.record(regionCode, z.number().int().nonnegative()).optional();
const runBody = z.object({
  runId: slug,
  on: isoDate.optional(),
  beta: z.number().min(0).max(8).default(0.5),
  candidatesPerSeeker: z.number().int().min(1).max(200).default(50),
  maxPlacedFromOrigin: capsByRegion,
  maxPlacedIntoDest: capsByRegion,
  abroadCap: z.number().int().nonnegative().optional(),
});
const idParams = z.object({ id: runBody.shape.runId });

@ApiTags('matching runs')
@Controller('matching-runs')
export class MatchingRunController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MatchingRunJobs) private readonly jobs: MatchingRunJobs,
  ) {}

  /**
   * A national batch run, as a job: the request is recorded and answered at once (202, the run's
   * resource in Location); the run reads every open offer and available seeker, solves exactly on a
   * worker thread, records its solution, then stores its proposals in chunks, each with its
   * placements. An admin's work: it spans regions.
   */
  @Post()
  @HttpCode(202)
  @ApiCommand('Start a national batch matching run: exact optimum under offer capacities and regional caps', runBody)
  async run(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(runBody, body);
    assertRegionAccess(identityOf(req), '*', 'write', ['admin']);
    const meta = commandMetadata(req);
    const { runId, ...rest } = input;
    const parameters: RunParameters = { ...rest, on: input.on ?? meta.now.slice(0, 10) };
    await handleWorkflow(this.store, [
      runStep(runId, { type: 'RequestMatchingRun', data: { runId, parameters } }, meta),
    ]);
    // Retried with the same Idempotency-Key, the request is found applied: the run's resource again.
    await this.jobs.start(runId);
    const { resource, version } = await loadRunResource(this.store, runId);
    res.setHeader('ETag', etag(version));
    res.setHeader('Location', `/matching-runs/${runId}`);
    return resource;
  }

  /** Reads q.matching_runs: newest first, by status. */
  @Get()
  @ApiQuery(RUN_LIST_PARAMS)
  async list(@Query() q: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const query = parseInput(runListQuery, q, 'query');
    assertRegionAccess(identityOf(req), '*', 'read', ['admin']);
    return listRuns(this.store, query, { url: req.originalUrl, res });
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { id } = parseInput(idParams, p, 'path');
    assertRegionAccess(identityOf(req), '*', 'read', ['admin']);
    const { resource, version } = await loadRunResource(this.store, id);
    res.setHeader('ETag', etag(version));
    return resource;
  }

  /** The run's proposals in the order it recorded them, a page at a time. */
  @Get(':id/proposals')
  @ApiQuery({ limit: RUN_LIST_PARAMS.limit ?? '', cursor: RUN_LIST_PARAMS.cursor ?? '' })
  async proposals(
    @Param() p: unknown,
    @Query() q: unknown,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { id } = parseInput(idParams, p, 'path');
    const query = parseInput(proposalsQuery, q, 'query');
    assertRegionAccess(identityOf(req), '*', 'read', ['admin']);
    return listProposals(this.store, id, query, { url: req.originalUrl, res });
  }

  /** Re-runs a recorded run from the inputs as they stood, on a worker thread, and says whether it gives the same answer. */
  @Post(':id/replay')
  @HttpCode(200)
  @ApiCommand('Re-run a recorded matching run from its inputs and compare', undefined)
  async replay(@Param() p: unknown, @Req() req: AuthedRequest) {
    const { id } = parseInput(idParams, p, 'path');
    assertRegionAccess(identityOf(req), '*', 'read', ['admin']);
    return replayMatchingRun(this.store, id, solveOffThread);
  }
}
