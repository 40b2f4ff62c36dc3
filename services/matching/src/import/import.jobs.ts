import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, EventStore, handleCommand, newCommandId, type CommandMetadata } from '@tashghil/event-store';
import { LOGGER } from '@tashghil/service-kit';
import type { Logger } from 'pino';
import { DEFAULT_CHUNKS, writeInChunks, type ChunkSettings } from './import.chunks';
import { importDecider, importStreamId, type ImportCommand, type RowProblem } from './import.decider';
import type { PlannedRow } from './import.workflow';

/** How often a running import records its progress: often enough to read live, and its heartbeat (STALL_MS). */
const PROGRESS_EVERY_MS = 1_000;

export interface JobSettings extends ChunkSettings {
  /**
   * Stops every import of this process after so many chunks, as if the process were stopping: how a
   * test interrupts an import at a known point. Unset in a running service.
   */
  readonly stopAfterChunks?: number;
}

interface Job {
  readonly abort: AbortController;
  rowsDone: number;
  finished: Promise<void>;
}

/**
 * The imports this process is writing, off the request that accepted them. An import whose process
 * stops (a deploy, a crash) is resumed by the client: the same file sent again with the same
 * Idempotency-Key reads what is stored and writes the rest. The file is not kept anywhere, so no
 * process can resume it alone at start-up; a stop records `interrupted`, a crash reads as `stalled`
 * once no progress came for STALL_MS.
 */
@Injectable()
export class ImportJobs implements OnModuleDestroy {
  private readonly jobs = new Map<string, Job>();
  private settings: JobSettings = DEFAULT_CHUNKS;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  configure(settings: Partial<JobSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  get chunks(): ChunkSettings {
    return this.settings;
  }

  /** Rows written so far by this process's run of the import; undefined when it does not run here. */
  rowsDoneHere(importId: string): number | undefined {
    return this.jobs.get(importId)?.rowsDone;
  }

  /** Starts writing an import whose start (or resumption) was just recorded, `alreadyDone` rows being stored. */
  start(importId: string, rows: readonly PlannedRow[], alreadyDone: number, metadata: CommandMetadata): void {
    const job: Job = { abort: new AbortController(), rowsDone: alreadyDone, finished: Promise.resolve() };
    this.jobs.set(importId, job);
    job.finished = this.run(importId, job, rows, alreadyDone, metadata)
      .catch((error: unknown) => this.log.error({ err: error, importId }, 'import could not record its end'))
      .finally(() => this.jobs.delete(importId));
  }

  private async run(
    importId: string,
    job: Job,
    rows: readonly PlannedRow[],
    alreadyDone: number,
    metadata: CommandMetadata,
  ): Promise<void> {
    const record = (command: Omit<ImportCommand, 'metadata'>) =>
      handleCommand(this.store, importDecider, importStreamId(importId), {
        ...command,
        metadata: {
          ...metadata,
          now: new Date().toISOString(),
          commandId: newCommandId(),
          causationId: metadata.commandId,
        },
      } as ImportCommand);
    let recorded = Date.now();
    let unreported: RowProblem[] = [];
    let progress: Promise<unknown> = Promise.resolve();
    const { stopAfterChunks } = this.settings;
    try {
      const outcome = await writeInChunks(this.store, rows, this.settings, {
        signal: job.abort.signal,
        onChunk: ({ rowsDone, refused, chunks }) => {
          job.rowsDone = alreadyDone + rowsDone;
          unreported.push(...refused);
          if (stopAfterChunks !== undefined && chunks >= stopAfterChunks) job.abort.abort();
          if (Date.now() - recorded < PROGRESS_EVERY_MS) return;
          recorded = Date.now();
          const data = { rowsDone: job.rowsDone, refused: unreported };
          unreported = [];
          progress = progress
            .then(() => record({ type: 'RecordImportProgress', data }))
            .catch((error: unknown) => this.log.warn({ err: error, importId }, 'import progress not recorded'));
        },
      });
      await progress;
      const rowsDone = alreadyDone + outcome.rowsDone;
      if (outcome.stopped) {
        await record({
          type: 'StopImport',
          data: { rowsDone, outcome: 'interrupted', reason: 'the process stopped; send the file again to resume' },
        });
      } else {
        await record({ type: 'FinishImport', data: { rowsDone, refused: unreported } });
      }
    } catch (error) {
      await progress;
      this.log.error({ err: error, importId }, 'import failed');
      await record({
        type: 'StopImport',
        data: {
          rowsDone: job.rowsDone,
          outcome: 'failed',
          reason: 'the import stopped on an error (see the service log); send the file again to resume',
        },
      });
    }
  }

  /** A stopping process ends its imports after their chunks in flight, and records them interrupted. */
  async onModuleDestroy(): Promise<void> {
    const running = [...this.jobs.values()];
    for (const job of running) job.abort.abort();
    await Promise.all(running.map((job) => job.finished));
  }
}
