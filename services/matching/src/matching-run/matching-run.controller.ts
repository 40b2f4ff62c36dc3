import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isoDate, regionCode, slug } from '@tashghil/contracts';
import { EVENT_STORE, EventStore, handleWorkflow, loadAggregate, NotFoundError } from '@tashghil/event-store';
import {
  ApiCommand,
  ApiQuery,
  assertRegionAccess,
  commandMetadata,
  etag,
  identityOf,
  METRICS,
  parseInput,
  startDuration,
  type AuthedRequest,
  type MetricsRegistry,
} from '@tashghil/service-kit';
import type { Response } from 'express';
import { z } from 'zod';
import { batchRun, runRecord } from './batch-run.workflow';
import { matchingRunDecider, matchingRunStreamId } from './matching-run.decider';
import { loadRunInputs } from './run-inputs';
import { replayMatchingRun } from './replay';
import { runMatching, type RunParameters } from './run-matching';

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
    @Inject(METRICS) private readonly metrics: MetricsRegistry,
  ) {}

  /**
   * A national batch run: reads every open offer and available seeker, solves exactly, records the
   * run as one event, then proposes each assignment as a placement. An admin's work: it spans regions.
   */
  @Post()
  @HttpCode(201)
  @ApiCommand('Run a national batch matching: exact optimum under offer capacities and regional caps', runBody)
  async run(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const input = parseInput(runBody, body);
    assertRegionAccess(identityOf(req), '*', 'write', ['admin']);
    const done = startDuration(
      this.metrics,
      'matching_run_duration_seconds',
      'National batch matching runs, from reading the inputs to the last proposal recorded',
    );
    const meta = commandMetadata(req);
    const { runId, ...rest } = input;
    const parameters: RunParameters = { ...rest, on: input.on ?? meta.now.slice(0, 10) };
    const inputs = await loadRunInputs(this.store);
    const record = runRecord(runId, parameters, inputs, runMatching(inputs, parameters));
    const result = await handleWorkflow(this.store, batchRun(record, inputs, meta));
    const { version } = await result.stream(matchingRunDecider, matchingRunStreamId(runId));
    done();
    res.setHeader('ETag', etag(version));
    res.setHeader('Location', `/matching-runs/${runId}`);
    const { proposals, ...summary } = record;
    return {
      ...summary,
      proposals: proposals.length,
      improvementOverGreedy: record.objective - record.greedyObjective,
    };
  }

  @Get(':id')
  @ApiQuery()
  async get(@Param() p: unknown, @Req() req: AuthedRequest) {
    const { id } = parseInput(idParams, p, 'path');
    assertRegionAccess(identityOf(req), '*', 'read', ['admin']);
    const { state } = await loadAggregate(this.store, matchingRunDecider, matchingRunStreamId(id));
    if (state.status === 'none') throw new NotFoundError('RUN_NOT_FOUND', `no matching run ${id}`);
    return state;
  }

  /** Re-runs a recorded run from the inputs as they stood, and says whether it gives the same answer. */
  @Post(':id/replay')
  @HttpCode(200)
  @ApiCommand('Re-run a recorded matching run from its inputs and compare', undefined)
  async replay(@Param() p: unknown, @Req() req: AuthedRequest) {
    const { id } = parseInput(idParams, p, 'path');
    assertRegionAccess(identityOf(req), '*', 'read', ['admin']);
    return replayMatchingRun(this.store, id);
  }
}
