import type { ProgrammeTargetsSetV1 } from '@tashghil/contracts';
import { step, type CommandMetadata, type Workflow } from '@tashghil/event-store';
import { envelopeDecider, envelopeStreamId } from './envelope.decider';

/**
 * Reacting to the conventions service's targets: the region's envelope takes the revision's limits,
 * through the envelope's own rule, which keeps only a revision newer than the one it holds (messages
 * arrive late or twice).
 */
export const limitsFromTargets = (
  targets: ProgrammeTargetsSetV1,
  sourceEventId: string,
  metadata: CommandMetadata,
): Workflow => {
  const { region, programme, year, revision, components, reference } = targets;
  return [
    step({
      decider: envelopeDecider,
      streamId: envelopeStreamId(targets),
      command: {
        type: 'SetEnvelopeLimits',
        data: { region, programme, year, revision, components, reference, sourceEventId },
        metadata,
      },
    }),
  ];
};
