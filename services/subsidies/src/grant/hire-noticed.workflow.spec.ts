import { givenStreams } from '@tashghil/event-store';
import { hireStreamId } from './hire.decider';
import { noticeHire } from './hire-noticed.workflow';
import { seekerHired } from './hire.fixture';

const metadata = {
  now: '2022-05-30T16:00:00.000Z',
  actor: 'subsidies-consumer',
  roles: [],
  correlationId: 'c',
  commandId: 'subsidies:e1',
};
const stream = hireStreamId(seekerHired.placementId);
const noticed = { type: 'HireNoticed', schemaVersion: 1, data: { ...seekerHired, sourceEventId: 'e1' } };

describe('reacting to a SeekerHired', () => {
  it('notes the hire under its placement', () => {
    givenStreams({})
      .when(noticeHire(seekerHired, 'e1', metadata))
      .then({ [stream]: [noticed] });
  });

  it('notes nothing for a hire already noted, or for the message delivered again', () => {
    givenStreams({ [stream]: [noticed] })
      .when(noticeHire(seekerHired, 'e2', { ...metadata, commandId: 'subsidies:e2' }))
      .then({});
    givenStreams({ [stream]: [noticed] }, { applied: { 'subsidies:e1': stream } })
      .when(noticeHire(seekerHired, 'e1', metadata))
      .then({});
  });
});
