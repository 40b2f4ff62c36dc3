import type { RegionCode } from '@tashghil/contracts';
import {
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Command,
  type ModelledDecider,
} from '@tashghil/event-store';
import { seekerQueryModel } from './seeker.query-model';

export const EDUCATION_LEVELS = [
  'none',
  'primary',
  'lower_secondary',
  'baccalaureate',
  'vocational',
  'bac_plus_2',
  'licence',
  'master',
  'doctorate',
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export const MOBILITY = ['own_province', 'own_region', 'any_region', 'abroad'] as const;
export type Mobility = (typeof MOBILITY)[number];

/** What is stored sealed under the seeker's own key, and never published in clear. */
export interface PersonalDetails {
  readonly fullName: string;
  readonly cin: string;
  readonly phone?: string;
  readonly email?: string;
}
export const PERSONAL_FIELDS = ['fullName', 'cin', 'phone', 'email'] as const;

/** The profile matching and reporting work from; it identifies nobody by itself. */
export interface SeekerProfile {
  readonly region: RegionCode;
  readonly province: string;
  readonly gender: 'female' | 'male';
  readonly birthDate: string;
  readonly education: EducationLevel;
  readonly diploma?: string;
  readonly occupations: readonly string[];
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly disability: boolean;
  readonly pandemicJobLoss: boolean;
  readonly area: 'rural' | 'urban';
  readonly mobility: Mobility;
}

export type RegisterSeeker = Command<
  'RegisterSeeker',
  SeekerProfile & PersonalDetails & { readonly seekerId: string; readonly registeredOn: string }
>;
export type UpdateSeeker = Command<'UpdateSeeker', Partial<SeekerProfile & PersonalDetails>>;
export type WithdrawSeeker = Command<'WithdrawSeeker', { readonly reason: string }>;
export type RecordSeekerHired = Command<
  'RecordSeekerHired',
  { readonly offerId: string; readonly placementId: string; readonly startDate: string }
>;
export type EraseSeeker = Command<'EraseSeeker', { readonly reason: string }>;
export type SeekerCommand = RegisterSeeker | UpdateSeeker | WithdrawSeeker | RecordSeekerHired | EraseSeeker;

type Personal = { readonly subjectId: string; readonly fields: readonly string[] };
type Ev<T extends string, D> = {
  readonly type: T;
  readonly schemaVersion?: number;
  readonly data: D;
  readonly personal?: Personal;
};
export type SeekerEvent =
  | Ev<
      'SeekerRegistered',
      SeekerProfile &
        PersonalDetails & { readonly seekerId: string; readonly registeredOn: string; readonly registeredBy: string }
    >
  | Ev<'SeekerUpdated', { readonly seekerId: string; readonly changes: Partial<SeekerProfile & PersonalDetails> }>
  | Ev<'SeekerWithdrawn', { readonly seekerId: string; readonly reason: string; readonly on: string }>
  | Ev<
      'SeekerPlaced',
      { readonly seekerId: string; readonly offerId: string; readonly placementId: string; readonly startDate: string }
    >
  | Ev<'SeekerErased', { readonly seekerId: string; readonly reason: string; readonly on: string }>;

export type Seeker =
  | { readonly status: 'none' }
  | (SeekerProfile &
      PersonalDetails & {
        readonly status: 'registered' | 'withdrawn' | 'placed' | 'erased';
        readonly seekerId: string;
        readonly registeredOn: string;
        readonly placement?: { readonly offerId: string; readonly placementId: string; readonly startDate: string };
      });

export const seekerStreamId = (seekerId: string): string => `matching.seeker-${seekerId}`;

/** Whole months from the agency registration to a day: derived on demand, never stored. */
export const monthsRegistered = (registeredOn: string, on: string): number => {
  const [y1, m1, d1] = registeredOn.split('-').map(Number);
  const [y2, m2, d2] = on.split('-').map(Number);
  if (
    y1 === undefined ||
    m1 === undefined ||
    d1 === undefined ||
    y2 === undefined ||
    m2 === undefined ||
    d2 === undefined
  )
    return 0;
  return Math.max(0, (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0));
};

/**
 * The last registration day that counts `months` whole months registered on `on`: for any day d,
 * monthsRegistered(d, on) >= months exactly when d <= this day as ISO text. It is `on` moved back
 * by `months` months, keeping the day of the month even where that month is shorter (the text
 * 2023-02-30 still sorts between the 28th and 3 March). seeker.decider.spec.ts checks it day by day.
 */
export const registeredBy = (months: number, on: string): string => {
  const [y, m] = on.split('-').map(Number);
  const total = (y ?? 0) * 12 + ((m ?? 1) - 1) - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${on.slice(8, 10)}`;
};

/** Completed years of age on a day. */
export const ageOn = (birthDate: string, on: string): number => {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
};

const sealed = (seekerId: string, data: Partial<PersonalDetails>): Personal | undefined => {
  const fields = PERSONAL_FIELDS.filter((field) => data[field] !== undefined);
  return fields.length ? { subjectId: `seeker:${seekerId}`, fields } : undefined;
};

const initialState = (): Seeker => ({ status: 'none' });

const evolve = (state: Seeker, event: SeekerEvent): Seeker => {
  if (event.type === 'SeekerRegistered') {
    const { registeredBy: _by, ...registered } = event.data;
    return { ...registered, status: 'registered' };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SeekerUpdated':
      return { ...state, ...event.data.changes };
    case 'SeekerWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'SeekerPlaced': {
      const { offerId, placementId, startDate } = event.data;
      return { ...state, status: 'placed', placement: { offerId, placementId, startDate } };
    }
    case 'SeekerErased':
      return { ...state, status: 'erased' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

type RegisteredSeeker = Exclude<Seeker, { status: 'none' }>;

const checkDates = (birthDate: string | undefined, registeredOn: string | undefined, today: string): void => {
  const fields: Array<{ path: string; message: string }> = [];
  if (birthDate && ageOn(birthDate, today) < 15)
    fields.push({ path: 'birthDate', message: 'a job seeker is at least 15 years old' });
  if (registeredOn && registeredOn > today)
    fields.push({ path: 'registeredOn', message: 'the registration date is in the future' });
  if (birthDate && registeredOn && registeredOn < birthDate)
    fields.push({ path: 'registeredOn', message: 'registered before being born' });
  if (fields.length) throw new ValidationError('IMPLAUSIBLE_DATES', 'the dates do not fit together', fields);
};

const dayOf = (command: SeekerCommand): string => command.metadata.now.slice(0, 10);

const register = (command: RegisterSeeker, state: Seeker): SeekerEvent[] => {
  if (state.status !== 'none')
    throw new IllegalStateError('SEEKER_ALREADY_REGISTERED', `seeker ${command.data.seekerId} is already registered`);
  checkDates(command.data.birthDate, command.data.registeredOn, dayOf(command));
  const personal = sealed(command.data.seekerId, command.data);
  return [
    {
      type: 'SeekerRegistered',
      schemaVersion: 1,
      data: { ...command.data, registeredBy: command.metadata.actor },
      ...(personal ? { personal } : {}),
    },
  ];
};

/** A seeker on file and not erased: an erased seeker's file takes nothing more. */
const onFile = (state: Seeker): RegisteredSeeker => {
  if (state.status === 'none') throw new NotFoundError('SEEKER_NOT_FOUND', 'no such seeker');
  if (state.status === 'erased')
    throw new IllegalStateError('SEEKER_ERASED', 'this seeker was erased; nothing more is recorded for them');
  return state;
};

const update = (command: UpdateSeeker, state: RegisteredSeeker): SeekerEvent[] => {
  if (state.status === 'withdrawn')
    throw new IllegalStateError('SEEKER_WITHDRAWN', 'a withdrawn seeker is registered again, not updated');
  checkDates(command.data.birthDate, undefined, dayOf(command));
  const personal = sealed(state.seekerId, command.data);
  return [
    {
      type: 'SeekerUpdated',
      data: { seekerId: state.seekerId, changes: command.data },
      ...(personal ? { personal } : {}),
    },
  ];
};

const withdraw = (command: WithdrawSeeker, state: RegisteredSeeker): SeekerEvent[] => {
  if (state.status === 'withdrawn') throw new IllegalStateError('SEEKER_WITHDRAWN', 'the seeker is already withdrawn');
  return [
    { type: 'SeekerWithdrawn', data: { seekerId: state.seekerId, reason: command.data.reason, on: dayOf(command) } },
  ];
};

const recordHired = (command: RecordSeekerHired, state: RegisteredSeeker): SeekerEvent[] => {
  if (state.status !== 'registered')
    throw new IllegalStateError('SEEKER_NOT_AVAILABLE', `the seeker is ${state.status}, not available for a hire`);
  return [{ type: 'SeekerPlaced', schemaVersion: 1, data: { seekerId: state.seekerId, ...command.data } }];
};

const erase = (command: EraseSeeker, state: RegisteredSeeker): SeekerEvent[] => [
  { type: 'SeekerErased', data: { seekerId: state.seekerId, reason: command.data.reason, on: dayOf(command) } },
];

const decide = (command: SeekerCommand, state: Seeker): SeekerEvent[] => {
  switch (command.type) {
    case 'RegisterSeeker':
      return register(command, state);
    case 'UpdateSeeker':
      return update(command, onFile(state));
    case 'WithdrawSeeker':
      return withdraw(command, onFile(state));
    case 'RecordSeekerHired':
      return recordHired(command, onFile(state));
    case 'EraseSeeker':
      return erase(command, onFile(state));
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

/** Its query model, q.seekers, is written in the transaction of every append to a seeker's stream. */
export const seekerDecider: ModelledDecider<SeekerCommand, Seeker, SeekerEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: seekerQueryModel,
};
