import { handleCommand, loadAggregate, toNewEvents, type EventStore, type HandleResult } from '@tashghil/event-store';
import { envelopeDecider, envelopeStreamId, type RevisePlaces } from '../envelope/envelope.decider';
import {
  worksProjectDecider,
  type WorksProject,
  type WorksProjectCommand,
  type WorksProjectEvent,
} from './works-project.decider';

/**
 * Decides a works command and, when it re-commits the site (a launch or a payroll meeting a SMIG
 * change), moves the site's envelope reservation to the new amount in the same transaction, so the
 * envelope never holds less than the sites it funds will cost.
 */
export const runWithEnvelope = (input: {
  readonly store: EventStore;
  readonly streamId: string;
  readonly command: WorksProjectCommand;
  readonly authorize?: (state: WorksProject) => void;
  readonly expectedVersion?: number;
}): Promise<HandleResult<WorksProject, WorksProjectEvent>> =>
  handleCommand(input.store, worksProjectDecider, input.streamId, input.command, {
    ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
    ...(input.authorize ? { authorize: input.authorize } : {}),
    retries: 20,
    alongside: async ({ command, events }) => {
      const revised = events.flatMap((e) => (e.type === 'WorksCommitmentRevised' ? [e.data] : [])).at(-1);
      if (!revised) return { appends: [] };
      const { programme, year, component, centimes } = revised.envelope;
      const key = { region: revised.region, programme, year };
      const streamId = envelopeStreamId(key);
      const envelope = await loadAggregate(input.store, envelopeDecider, streamId);
      const revise: RevisePlaces = {
        type: 'RevisePlaces',
        data: {
          ...key,
          component,
          file: { kind: 'works-project', id: revised.projectId },
          centimes,
          on: revised.on,
          reason: `works commitment revision ${revised.revision} (${revised.reason})`,
        },
        metadata: { ...command.metadata, commandId: `${command.metadata.commandId}:envelope` },
      };
      return {
        appends: [
          {
            streamId,
            events: toNewEvents(revise, envelopeDecider.decide(revise, envelope.state)),
            expected: envelope.version,
          },
        ],
      };
    },
  });
