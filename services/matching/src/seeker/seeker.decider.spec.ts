import { givenFor } from '@tashghil/testing';
import {
  ageOn,
  monthsRegistered,
  registeredBy,
  seekerDecider,
  type SeekerCommand,
  type SeekerEvent,
} from './seeker.decider';

const given = givenFor(seekerDecider);
const metadata = {
  now: '2022-05-10T10:00:00.000Z',
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'c',
  commandId: 'k',
};
type Of<T extends SeekerCommand['type']> = Extract<SeekerCommand, { type: T }>;
const cmd = <T extends SeekerCommand['type']>(type: T, data: Of<T>['data']): Of<T> =>
  ({ type, data, metadata }) as unknown as Of<T>;

const profile = {
  region: 'MA-10' as const,
  province: 'Tan-Tan',
  gender: 'female' as const,
  birthDate: '1998-07-01',
  education: 'vocational' as const,
  occupations: ['7231'],
  skills: ['diagnostic'],
  languages: ['ar', 'fr'],
  disability: false,
  pandemicJobLoss: true,
  area: 'urban' as const,
  mobility: 'any_region' as const,
};
const personal = { fullName: 'Personne Fictive', cin: 'JY000001', phone: '+212600000000' };
const register = cmd('RegisterSeeker', { seekerId: 'sk-1', registeredOn: '2020-03-01', ...profile, ...personal });
const registered: SeekerEvent = {
  type: 'SeekerRegistered',
  schemaVersion: 1,
  data: { seekerId: 'sk-1', registeredOn: '2020-03-01', ...profile, ...personal, registeredBy: 'officer-ma10' },
  personal: { subjectId: 'seeker:sk-1', fields: ['fullName', 'cin', 'phone'] },
};

describe('job seekers', () => {
  it('registers a seeker, marking the personal fields for sealing under their own key', () => {
    given([]).when(register).then([registered]);
  });
  it('refuses a second registration of the same seeker', () => {
    given([registered]).when(register).thenThrows('SEEKER_ALREADY_REGISTERED');
  });
  it('refuses implausible dates', () => {
    given([])
      .when(cmd('RegisterSeeker', { ...register.data, birthDate: '2012-01-01' }))
      .thenThrows('IMPLAUSIBLE_DATES');
    given([])
      .when(cmd('RegisterSeeker', { ...register.data, registeredOn: '2030-01-01' }))
      .thenThrows('IMPLAUSIBLE_DATES');
  });
  it('updates a registered seeker, sealing a changed phone number', () => {
    given([registered])
      .when(cmd('UpdateSeeker', { phone: '+212611111111', mobility: 'abroad' }))
      .then([
        {
          type: 'SeekerUpdated',
          data: { seekerId: 'sk-1', changes: { phone: '+212611111111', mobility: 'abroad' } },
          personal: { subjectId: 'seeker:sk-1', fields: ['phone'] },
        },
      ]);
  });
  it('withdraws once, and places only an available seeker', () => {
    const withdrawn: SeekerEvent = {
      type: 'SeekerWithdrawn',
      data: { seekerId: 'sk-1', reason: 'found work alone', on: '2022-05-10' },
    };
    given([registered])
      .when(cmd('WithdrawSeeker', { reason: 'found work alone' }))
      .then([withdrawn]);
    given([registered, withdrawn])
      .when(cmd('WithdrawSeeker', { reason: 'again' }))
      .thenThrows('SEEKER_WITHDRAWN');
    given([registered, withdrawn])
      .when(cmd('RecordSeekerHired', { offerId: 'o', placementId: 'p', startDate: '2022-06-01' }))
      .thenThrows('SEEKER_NOT_AVAILABLE');
    given([registered])
      .when(cmd('RecordSeekerHired', { offerId: 'o', placementId: 'p', startDate: '2022-06-01' }))
      .then([
        {
          type: 'SeekerPlaced',
          schemaVersion: 1,
          data: { seekerId: 'sk-1', offerId: 'o', placementId: 'p', startDate: '2022-06-01' },
        },
      ]);
  });
  it('records nothing more once erased', () => {
    const erased: SeekerEvent = {
      type: 'SeekerErased',
      data: { seekerId: 'sk-1', reason: 'request under law 09-08', on: '2022-05-10' },
    };
    given([registered])
      .when(cmd('EraseSeeker', { reason: 'request under law 09-08' }))
      .then([erased]);
    given([registered, erased])
      .when(cmd('UpdateSeeker', { skills: ['x'] }))
      .thenThrows('SEEKER_ERASED');
    given([])
      .when(cmd('WithdrawSeeker', { reason: 'x' }))
      .thenThrows('SEEKER_NOT_FOUND');
  });
  it('refuses a registration dated before the birth, and an update that makes the seeker under 15', () => {
    expect(() =>
      seekerDecider.decide(
        cmd('RegisterSeeker', { ...register.data, birthDate: '2001-01-01', registeredOn: '2000-06-01' }),
        seekerDecider.initialState(),
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'IMPLAUSIBLE_DATES',
        fields: [{ path: 'registeredOn', message: expect.any(String) }],
      }),
    );
    given([registered])
      .when(cmd('UpdateSeeker', { birthDate: '2010-01-01' }))
      .thenThrows('IMPLAUSIBLE_DATES');
  });
  it('updates neither a withdrawn seeker nor one nobody registered', () => {
    const withdrawn: SeekerEvent = {
      type: 'SeekerWithdrawn',
      data: { seekerId: 'sk-1', reason: 'x', on: '2022-05-10' },
    };
    given([registered, withdrawn])
      .when(cmd('UpdateSeeker', { skills: ['x'] }))
      .thenThrows('SEEKER_WITHDRAWN');
    given([])
      .when(cmd('UpdateSeeker', { skills: ['x'] }))
      .thenThrows('SEEKER_NOT_FOUND');
    given([])
      .when(cmd('EraseSeeker', { reason: 'x' }))
      .thenThrows('SEEKER_NOT_FOUND');
  });
  it('folds the profile, its changes and the placement into the seeker', () => {
    const placed: SeekerEvent = {
      type: 'SeekerPlaced',
      schemaVersion: 1,
      data: { seekerId: 'sk-1', offerId: 'o', placementId: 'p', startDate: '2022-06-01' },
    };
    const updated: SeekerEvent = { type: 'SeekerUpdated', data: { seekerId: 'sk-1', changes: { mobility: 'abroad' } } };
    const state = [registered, updated, placed].reduce(seekerDecider.evolve, seekerDecider.initialState());
    expect(state).toMatchObject({
      status: 'placed',
      seekerId: 'sk-1',
      mobility: 'abroad',
      province: 'Tan-Tan',
      placement: { offerId: 'o', placementId: 'p', startDate: '2022-06-01' },
    });
    expect(state).not.toHaveProperty('registeredBy');
  });
  it('derives months registered and age from dates, never storing them', () => {
    expect(monthsRegistered('2020-03-01', '2022-05-10')).toBe(26);
    expect(monthsRegistered('2020-03-15', '2022-03-14')).toBe(23);
    expect(ageOn('1998-07-01', '2022-06-30')).toBe(23);
    expect(ageOn('1998-07-01', '2022-07-01')).toBe(24);
  });
  it('names the last registration day of a long-term seeker, the same as monthsRegistered day by day', () => {
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const DAY = 86_400_000;
    const ons = ['2025-06-30', '2024-02-29', '2025-03-31', '2025-01-01', '2024-12-31', '2023-03-01'];
    for (const on of ons) {
      for (const months of [1, 12, 24, 25]) {
        const cutoff = registeredBy(months, on);
        const end = Date.parse(`${on}T00:00:00Z`);
        for (let t = end - (months + 3) * 31 * DAY; t <= end; t += DAY) {
          const registeredOn = day(t);
          expect([registeredOn, months, on, monthsRegistered(registeredOn, on) >= months]).toEqual([
            registeredOn,
            months,
            on,
            registeredOn <= cutoff,
          ]);
        }
      }
    }
    expect(registeredBy(24, '2025-06-30')).toBe('2023-06-30');
    expect(registeredBy(13, '2025-01-15')).toBe('2023-12-15');
  });
});
