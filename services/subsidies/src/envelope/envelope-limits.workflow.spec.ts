import type { ProgrammeTargetsSetV1 } from '@tashghil/contracts';
import { givenStreams } from '@tashghil/event-store';
import { envelopeStreamId } from './envelope.decider';
import { limitsFromTargets } from './envelope-limits.workflow';

const targets = (revision: number, targetJobs: number): ProgrammeTargetsSetV1 => ({
  region: 'MA-10',
  programme: 'awrach',
  year: 2022,
  revision,
  components: [{ component: 'lasting_integration', targetJobs }],
  reference: `comité régional, révision ${revision}`,
  effectiveDate: '2022-04-22',
  setBy: 'officer-ma10',
  setAt: '2022-04-22T10:00:00.000Z',
});
const metadata = (eventId: string) => ({
  now: '2022-04-22T10:00:01.000Z',
  actor: 'subsidies-consumer',
  roles: [],
  correlationId: 'c',
  commandId: `subsidies:${eventId}`,
});
const stream = envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 });
const limitsSet = (revision: number, targetJobs: number, sourceEventId: string) => {
  const { region, programme, year, components, reference } = targets(revision, targetJobs);
  return {
    type: 'EnvelopeLimitsSet',
    schemaVersion: 1,
    data: { region, programme, year, revision, components, reference, sourceEventId },
  };
};

describe('reacting to a ProgrammeTargetsSet', () => {
  it('sets the envelope’s limits from the targets', () => {
    givenStreams({})
      .when(limitsFromTargets(targets(1, 1000), 'e1', metadata('e1')))
      .then({ [stream]: [limitsSet(1, 1000, 'e1')] });
  });

  it('takes a newer revision, and ignores one that arrives after a newer one', () => {
    givenStreams({ [stream]: [limitsSet(1, 1000, 'e1')] })
      .when(limitsFromTargets(targets(2, 1200), 'e2', metadata('e2')))
      .then({ [stream]: [limitsSet(2, 1200, 'e2')] });
    givenStreams({ [stream]: [limitsSet(2, 1200, 'e2')] })
      .when(limitsFromTargets(targets(1, 1000), 'e1', metadata('e1')))
      .then({});
  });
});
