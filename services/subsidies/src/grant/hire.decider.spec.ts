import { givenFor } from '@tashghil/testing';
import { hireDecider, type HireEvent, type NoteHire } from './hire.decider';
import { seekerHired } from './hire.fixture';

const given = givenFor(hireDecider);
const note = (sourceEventId: string): NoteHire => ({
  type: 'NoteHire',
  data: { ...seekerHired, sourceEventId },
  metadata: {
    now: '2022-05-30T16:00:00.000Z',
    actor: 'subsidies-consumer',
    roles: [],
    correlationId: 'c',
    commandId: `subsidies:${sourceEventId}`,
  },
});
const noticed: HireEvent = { type: 'HireNoticed', schemaVersion: 1, data: note('e1').data };

describe('a hire noticed from the matching service', () => {
  it('is noted under its placement with the event it came in', () => {
    given([]).when(note('e1')).then([noticed]);
  });

  it('is noted once, though the hire arrives again or is published again', () => {
    given([noticed]).when(note('e1')).then([]);
    given([noticed]).when(note('e2')).then([]);
  });

  it('keeps what an application reads from it', () => {
    const state = [noticed].reduce(hireDecider.evolve, hireDecider.initialState());
    expect(state).toMatchObject({ status: 'noticed', placementId: seekerHired.placementId, sourceEventId: 'e1' });
  });
});
