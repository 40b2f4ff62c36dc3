import {
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Command,
  type ModelledDecider,
  AppendList,
} from '@tashghil/event-store';
import { addDays, MAX_JOBS, type IntegrationEvent, type RegionCode } from '@tashghil/contracts';
import type { EducationLevel } from '../seeker/seeker.decider';
import { offerQueryModel } from './offer.query-model';

export const CONTRACT_TYPES = [
  'permanent',
  'fixed_term',
  'idmaj',
  'seasonal_abroad',
  'temporary_works',
  'apprenticeship',
] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

export interface Employer {
  readonly kind: 'company' | 'association' | 'cooperative';
  readonly id: string;
  readonly name: string;
  readonly sector: string;
}

export interface OfferDetails {
  readonly employer: Employer;
  /** The region whose agency handles the offer; the job itself is abroad when `abroadCountry` is set. */
  readonly region: RegionCode;
  readonly province: string;
  readonly abroadCountry?: string;
  readonly occupation: string;
  readonly positions: number;
  readonly requiredEducation: EducationLevel;
  readonly skills: readonly string[];
  readonly contractType: ContractType;
  readonly mass: boolean;
  readonly validUntil: string;
}

export type ReceiveOffer = Command<'ReceiveOffer', OfferDetails & { readonly offerId: string }>;
export type ValidateOffer = Command<'ValidateOffer', Record<string, never>>;
export type RejectOffer = Command<'RejectOffer', { readonly reason: string }>;
/** `openAfterDays` is the region's setting, looked up by the caller: the decider does no I/O. */
export type PublishOffer = Command<'PublishOffer', { readonly openAfterDays: number }>;
export type OpenOfferToOtherRegions = Command<'OpenOfferToOtherRegions', Record<string, never>>;
export type RecordPositionFilled = Command<'RecordPositionFilled', { readonly placementId: string }>;
export type CloseOffer = Command<'CloseOffer', { readonly reason: string }>;
export type ExpireOffer = Command<'ExpireOffer', Record<string, never>>;
export type OfferCommand =
  | ReceiveOffer
  | ValidateOffer
  | RejectOffer
  | PublishOffer
  | OpenOfferToOtherRegions
  | RecordPositionFilled
  | CloseOffer
  | ExpireOffer;

/** Every step carries its day and its actor, so processing times per step can be reported. */
type Step = { readonly on: string; readonly by: string };
type Ev<T extends string, D> = {
  readonly type: T;
  readonly schemaVersion?: number;
  readonly data: D & { readonly offerId: string } & Step;
};
export type OfferEvent =
  | Ev<'OfferReceived', OfferDetails>
  | Ev<'OfferValidated', Record<never, never>>
  | Ev<'OfferRejected', { readonly reason: string }>
  | IntegrationEvent<'OfferPublished'>
  | IntegrationEvent<'OfferOpenedToOtherRegions'>
  | Ev<'OfferPositionFilled', { readonly placementId: string; readonly filled: number; readonly positions: number }>
  | Ev<'OfferFilled', { readonly positions: number }>
  | Ev<'OfferClosed', { readonly reason: string }>
  | Ev<'OfferExpired', Record<never, never>>;

export type OfferStatus = 'received' | 'validated' | 'rejected' | 'published' | 'filled' | 'closed' | 'expired';
/** A mass offer fills hundreds of positions, one event each: append lists keep its fold linear. */
export type Offer =
  | { readonly status: 'none' }
  | (OfferDetails & {
      readonly status: OfferStatus;
      readonly offerId: string;
      readonly openToOtherRegions: boolean;
      readonly opensToOtherRegionsOn?: string;
      readonly filled: number;
      readonly placements: AppendList<string>;
      readonly steps: AppendList<{ readonly step: string } & Step>;
    });
type ReceivedOffer = Exclude<Offer, { status: 'none' }>;

export const offerStreamId = (offerId: string): string => `matching.offer-${offerId}`;

const initialState = (): Offer => ({ status: 'none' });

const evolve = (state: Offer, event: OfferEvent): Offer => {
  const step = { step: event.type, on: event.data.on, by: event.data.by };
  if (event.type === 'OfferReceived') {
    const { on: _on, by: _by, ...details } = event.data;
    return {
      ...details,
      status: 'received',
      openToOtherRegions: false,
      filled: 0,
      placements: AppendList.empty(),
      steps: AppendList.of([step]),
    };
  }
  if (state.status === 'none') return state;
  const next = { ...state, steps: state.steps.append(step) };
  switch (event.type) {
    case 'OfferValidated':
      return { ...next, status: 'validated' };
    case 'OfferRejected':
      return { ...next, status: 'rejected' };
    case 'OfferPublished':
      return { ...next, status: 'published', opensToOtherRegionsOn: event.data.opensToOtherRegionsOn };
    case 'OfferOpenedToOtherRegions':
      return { ...next, openToOtherRegions: true };
    case 'OfferPositionFilled':
      return { ...next, filled: event.data.filled, placements: state.placements.append(event.data.placementId) };
    case 'OfferFilled':
      return { ...next, status: 'filled' };
    case 'OfferClosed':
      return { ...next, status: 'closed' };
    case 'OfferExpired':
      return { ...next, status: 'expired' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

const requireStatus = (state: ReceivedOffer, allowed: readonly OfferStatus[], action: string): void => {
  if (!allowed.includes(state.status))
    throw new IllegalStateError('OFFER_WRONG_STATE', `an offer that is ${state.status} cannot be ${action}`);
};

/** Who took the step, and on which day: every offer event carries it. */
const stepOf = (command: OfferCommand): Step => ({ on: command.metadata.now.slice(0, 10), by: command.metadata.actor });
const stamp = (command: OfferCommand, state: ReceivedOffer) => ({ offerId: state.offerId, ...stepOf(command) });

const receive = (command: ReceiveOffer, state: Offer): OfferEvent[] => {
  if (state.status !== 'none')
    throw new IllegalStateError('OFFER_ALREADY_RECEIVED', `offer ${command.data.offerId} already exists`);
  const step = stepOf(command);
  const { positions, validUntil, contractType, abroadCountry } = command.data;
  const fields: Array<{ path: string; message: string }> = [];
  if (!Number.isInteger(positions) || positions < 1)
    fields.push({ path: 'positions', message: 'an offer has at least one position' });
  else if (positions > MAX_JOBS)
    fields.push({ path: 'positions', message: `an offer has at most ${MAX_JOBS.toLocaleString('en')} positions` });
  if (validUntil < step.on) fields.push({ path: 'validUntil', message: 'the offer would already be expired' });
  if (contractType === 'seasonal_abroad' && !abroadCountry)
    fields.push({ path: 'abroadCountry', message: 'a seasonal contract abroad names its country' });
  if (fields.length) throw new ValidationError('INVALID_OFFER', 'the offer cannot be received as it is', fields);
  return [{ type: 'OfferReceived', schemaVersion: 1, data: { ...command.data, ...step } }];
};

const existing = (state: Offer): ReceivedOffer => {
  if (state.status === 'none') throw new NotFoundError('OFFER_NOT_FOUND', 'no such offer');
  return state;
};

const validate = (command: ValidateOffer, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['received'], 'validated');
  return [{ type: 'OfferValidated', data: stamp(command, state) }];
};

const reject = (command: RejectOffer, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['received'], 'rejected');
  return [{ type: 'OfferRejected', data: { ...stamp(command, state), reason: command.data.reason } }];
};

const publish = (command: PublishOffer, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['validated'], 'published');
  const stamped = stamp(command, state);
  const { region, occupation, positions, mass } = state;
  const opensToOtherRegionsOn = mass ? stamped.on : addDays(stamped.on, command.data.openAfterDays);
  const published: OfferEvent = {
    type: 'OfferPublished',
    schemaVersion: 1,
    data: { ...stamped, region, occupation, positions, mass, opensToOtherRegionsOn },
  };
  if (!mass) return [published];
  // A mass offer is regional and national at once: the Souss-Massa mechanism exists for them.
  return [
    published,
    { type: 'OfferOpenedToOtherRegions', schemaVersion: 1, data: { ...stamped, reason: 'mass_offer', region } },
  ];
};

const openToOtherRegions = (command: OpenOfferToOtherRegions, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['published'], 'opened to other regions');
  if (state.openToOtherRegions)
    throw new IllegalStateError('OFFER_ALREADY_OPEN', 'the offer is already open to other regions');
  const stamped = stamp(command, state);
  if (state.opensToOtherRegionsOn && stamped.on < state.opensToOtherRegionsOn) {
    throw new IllegalStateError('OFFER_NOT_DUE', `the offer stays in its region until ${state.opensToOtherRegionsOn}`);
  }
  return [
    {
      type: 'OfferOpenedToOtherRegions',
      schemaVersion: 1,
      data: { ...stamped, reason: 'unfilled', region: state.region },
    },
  ];
};

const recordPositionFilled = (command: RecordPositionFilled, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['published'], 'filled');
  const { placementId } = command.data;
  if (state.placements.includes(placementId))
    throw new IllegalStateError('PLACEMENT_ALREADY_COUNTED', 'this placement was already counted');
  const stamped = stamp(command, state);
  const filled = state.filled + 1;
  const positionFilled: OfferEvent = {
    type: 'OfferPositionFilled',
    data: { ...stamped, placementId, filled, positions: state.positions },
  };
  if (filled < state.positions) return [positionFilled];
  return [positionFilled, { type: 'OfferFilled', schemaVersion: 1, data: { ...stamped, positions: state.positions } }];
};

const close = (command: CloseOffer, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['received', 'validated', 'published'], 'closed');
  return [{ type: 'OfferClosed', schemaVersion: 1, data: { ...stamp(command, state), reason: command.data.reason } }];
};

const expire = (command: ExpireOffer, state: ReceivedOffer): OfferEvent[] => {
  requireStatus(state, ['validated', 'published'], 'expired');
  const stamped = stamp(command, state);
  if (stamped.on <= state.validUntil)
    throw new IllegalStateError('OFFER_STILL_VALID', `the offer is valid until ${state.validUntil}`);
  return [{ type: 'OfferExpired', schemaVersion: 1, data: stamped }];
};

const decide = (command: OfferCommand, state: Offer): OfferEvent[] => {
  switch (command.type) {
    case 'ReceiveOffer':
      return receive(command, state);
    case 'ValidateOffer':
      return validate(command, existing(state));
    case 'RejectOffer':
      return reject(command, existing(state));
    case 'PublishOffer':
      return publish(command, existing(state));
    case 'OpenOfferToOtherRegions':
      return openToOtherRegions(command, existing(state));
    case 'RecordPositionFilled':
      return recordPositionFilled(command, existing(state));
    case 'CloseOffer':
      return close(command, existing(state));
    case 'ExpireOffer':
      return expire(command, existing(state));
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

/** Its query model, q.offers, is written in the transaction of every append to an offer's stream. */
export const offerDecider: ModelledDecider<OfferCommand, Offer, OfferEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: offerQueryModel,
};
