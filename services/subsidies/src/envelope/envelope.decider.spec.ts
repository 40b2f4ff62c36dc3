import { givenFor } from '@tashghil/testing';
import { envelopeDecider, type EnvelopeEvent, type ReleasePlaces, type ReservePlaces } from './envelope.decider';

const given = givenFor(envelopeDecider);
const metadata = {
  now: '2022-08-10T09:00:00.000Z',
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'c',
  commandId: 'cmd',
};
const key = { region: 'MA-10', programme: 'awrach', year: 2022 };
const file = { kind: 'grant', id: 'g1' } as const;

const limitsSet: EnvelopeEvent = {
  type: 'EnvelopeLimitsSet',
  schemaVersion: 1,
  data: {
    ...key,
    revision: 1,
    reference: 'comité régional du 22 avril 2022',
    sourceEventId: 'e1',
    components: [{ component: 'lasting_integration', targetJobs: 1, budgetCentimes: 2_700_000 }],
  },
};
const reserved = (id = 'g1'): EnvelopeEvent => ({
  type: 'EnvelopePlacesReserved',
  schemaVersion: 1,
  data: {
    ...key,
    component: 'lasting_integration',
    file: { kind: 'grant', id },
    jobs: 1,
    centimes: 2_700_000,
    on: '2022-05-20',
  },
});
const release = (patch: Partial<ReleasePlaces['data']> = {}): ReleasePlaces => ({
  type: 'ReleasePlaces',
  data: {
    ...key,
    component: 'lasting_integration',
    file,
    jobs: 1,
    centimes: 2_346_775,
    on: '2022-08-10',
    reason: 'contract ended on 2022-07-20',
    ...patch,
  },
  metadata,
});
const reserve = (id: string): ReservePlaces => ({
  type: 'ReservePlaces',
  data: {
    ...key,
    component: 'lasting_integration',
    file: { kind: 'grant', id },
    jobs: 1,
    centimes: 353_225,
    on: '2022-08-11',
  },
  metadata,
});

describe('releasing an ended file’s places', () => {
  it('gives back the job and the unpaid remainder, so a file that did not fit now does', () => {
    given([limitsSet, reserved()]).when(reserve('g2')).thenThrows('ENVELOPE_EXCEEDED');
    const released = given([limitsSet, reserved()]).when(release()).events();
    expect(released).toEqual([{ type: 'EnvelopePlacesReleased', schemaVersion: 1, data: release().data }]);
    const state = [limitsSet, reserved(), ...released].reduce(envelopeDecider.evolve, envelopeDecider.initialState());
    expect(state.reserved.lasting_integration).toEqual({ jobs: 0, centimes: 353_225 });
    expect(
      given([limitsSet, reserved(), ...released])
        .when(reserve('g2'))
        .events(),
    ).toHaveLength(1);
  });

  it('releases once: a repeat, or a file that holds no place, changes nothing', () => {
    const released = given([limitsSet, reserved()]).when(release()).events();
    given([limitsSet, reserved(), ...released])
      .when(release())
      .then([]);
    given([limitsSet]).when(release()).then([]);
  });

  it('refuses to give back more than the file holds, or from another line', () => {
    given([limitsSet, reserved()])
      .when(release({ centimes: 2_700_001 }))
      .thenThrows('RELEASE_BEYOND_RESERVATION');
    given([limitsSet, reserved()])
      .when(release({ jobs: 2 }))
      .thenThrows('RELEASE_BEYOND_RESERVATION');
    given([limitsSet, reserved()])
      .when(release({ component: 'temporary_works' }))
      .thenThrows('RELEASE_BEYOND_RESERVATION');
  });
});
