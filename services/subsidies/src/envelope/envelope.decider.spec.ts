import { givenFor } from '@tashghil/testing';
import {
  envelopeDecider,
  holdingOf,
  type EnvelopeEvent,
  type ReleasePlaces,
  type ReservePlaces,
  type RevisePlaces,
  type SetEnvelopeLimits,
} from './envelope.decider';

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

const limits = (revision: number, targetJobs: number, budgetCentimes?: number): SetEnvelopeLimits => ({
  type: 'SetEnvelopeLimits',
  data: {
    ...key,
    revision,
    reference: `révision ${revision}`,
    sourceEventId: `e${revision}`,
    components: [
      { component: 'lasting_integration', targetJobs, ...(budgetCentimes === undefined ? {} : { budgetCentimes }) },
    ],
  },
  metadata,
});
const take = (id: string, jobs: number, centimes: number): ReservePlaces => ({
  ...reserve(id),
  data: { ...reserve(id).data, jobs, centimes },
});

describe('the envelope is never overdrawn', () => {
  const set = { type: 'EnvelopeLimitsSet', schemaVersion: 1, data: limits(1, 3, 1_000_000).data } as const;

  it('takes places up to the targets and the budget exactly', () => {
    given([set])
      .when(take('g1', 3, 1_000_000))
      .then([{ type: 'EnvelopePlacesReserved', schemaVersion: 1, data: take('g1', 3, 1_000_000).data }]);
  });

  it('refuses one job past the targets, or one centime past the budget', () => {
    const placed = { type: 'EnvelopePlacesReserved', schemaVersion: 1, data: take('g1', 2, 600_000).data } as const;
    given([set, placed])
      .when(take('g2', 2, 1))
      .thenThrows('ENVELOPE_EXCEEDED');
    given([set, placed])
      .when(take('g2', 1, 400_001))
      .thenThrows('ENVELOPE_EXCEEDED');
    given([set, placed])
      .when(take('g2', 1, 400_000))
      .events();
    expect(
      given([set, placed])
        .when(take('g2', 1, 400_000))
        .events(),
    ).toHaveLength(1);
  });

  it('counts a file once: a second approval of the same file takes nothing more', () => {
    const placed = { type: 'EnvelopePlacesReserved', schemaVersion: 1, data: take('g1', 3, 1_000_000).data } as const;
    given([set, placed])
      .when(take('g1', 3, 1_000_000))
      .then([]);
  });

  it('refuses while no targets are set, or for a component the targets do not have', () => {
    given([])
      .when(take('g1', 1, 1))
      .thenThrows('ENVELOPE_NOT_SET');
    given([set])
      .when({ ...take('g1', 1, 1), data: { ...take('g1', 1, 1).data, component: 'temporary_works' } })
      .thenThrows('ENVELOPE_COMPONENT_NOT_SET');
  });

  it('lets a revision show an overrun rather than hide a cost the file owes', () => {
    const placed = { type: 'EnvelopePlacesReserved', schemaVersion: 1, data: take('g1', 3, 1_000_000).data } as const;
    const revise: RevisePlaces = {
      type: 'RevisePlaces',
      data: { ...key, component: 'lasting_integration', file, centimes: 1_100_000, on: '2022-09-01', reason: 'SMIG' },
      metadata,
    };
    const revised = given([set, placed]).when(revise).events();
    expect(revised).toEqual([
      { type: 'EnvelopePlacesRevised', schemaVersion: 1, data: { ...revise.data, previousCentimes: 1_000_000 } },
    ]);
    const state = [set, placed, ...revised].reduce(envelopeDecider.evolve, envelopeDecider.initialState());
    expect(state.reserved.lasting_integration).toEqual({ jobs: 3, centimes: 1_100_000 });
    given([set, placed, ...revised])
      .when(take('g2', 0, 1))
      .thenThrows('ENVELOPE_EXCEEDED');
  });
});

describe('the targets as they reach the envelope', () => {
  it('takes a newer revision, and ignores an older or repeated one', () => {
    given([])
      .when(limits(1, 5))
      .then([{ type: 'EnvelopeLimitsSet', schemaVersion: 1, data: limits(1, 5).data }]);
    const second = { type: 'EnvelopeLimitsSet', schemaVersion: 1, data: limits(2, 8).data } as const;
    given([second]).when(limits(1, 5)).then([]);
    given([second]).when(limits(2, 8)).then([]);
    given([second])
      .when(limits(3, 9))
      .then([{ type: 'EnvelopeLimitsSet', schemaVersion: 1, data: limits(3, 9).data }]);
  });
});

describe('a long envelope', () => {
  it('folds ten thousand reservations, and a release among them, in one pass', () => {
    const set = { type: 'EnvelopeLimitsSet', schemaVersion: 1, data: limits(1, 20_000).data } as const;
    const reservations: EnvelopeEvent[] = Array.from({ length: 10_000 }, (_, i) => ({
      type: 'EnvelopePlacesReserved',
      schemaVersion: 1,
      data: take(`g${i}`, 1, 100 + i).data,
    }));
    const history = [set, ...reservations];
    const state = history.reduce(envelopeDecider.evolve, envelopeDecider.initialState());
    // Σ (100 + i) for i < 10,000 = 1,000,000 + 49,995,000.
    expect(state.reserved.lasting_integration).toEqual({ jobs: 10_000, centimes: 50_995_000 });
    expect(state.holdings.size).toBe(10_000);
    expect(holdingOf(state, { kind: 'grant', id: 'g7777' })).toEqual({
      component: 'lasting_integration',
      jobs: 1,
      centimes: 7877,
      released: false,
    });
    given(history)
      .when(take('g5000', 1, 5100))
      .then([]);
    const back = given(history)
      .when(release({ file: { kind: 'grant', id: 'g5000' }, centimes: 5100 }))
      .events();
    const after = back.reduce(envelopeDecider.evolve, state);
    expect(after.reserved.lasting_integration).toEqual({ jobs: 9_999, centimes: 50_989_900 });
    expect([after.releasedFiles, holdingOf(after, { kind: 'grant', id: 'g5000' })?.released]).toEqual([1, true]);
    expect(holdingOf(state, { kind: 'grant', id: 'g5000' })?.released).toBe(false);
  });
});
