import { IllegalStateError, NotFoundError, ValidationError, type Command, type Decider } from '@tashghil/event-store';
import { addDays } from '@tashghil/contracts';
import type { EducationLevel } from '../seeker/seeker.decider';

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
  readonly region: string;
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
  | Ev<
      'OfferPublished',
      {
        readonly region: string;
        readonly occupation: string;
        readonly positions: number;
        readonly mass: boolean;
        readonly opensToOtherRegionsOn: string;
      }
    >
  | Ev<'OfferOpenedToOtherRegions', { readonly reason: 'mass_offer' | 'unfilled'; readonly region: string }>
  | Ev<'OfferPositionFilled', { readonly placementId: string; readonly filled: number; readonly positions: number }>
  | Ev<'OfferFilled', { readonly positions: number }>
  | Ev<'OfferClosed', { readonly reason: string }>
  | Ev<'OfferExpired', Record<never, never>>;

export type OfferStatus = 'received' | 'validated' | 'rejected' | 'published' | 'filled' | 'closed' | 'expired';
export type Offer =
  | { readonly status: 'none' }
  | (OfferDetails & {
      readonly status: OfferStatus;
      readonly offerId: string;
      readonly openToOtherRegions: boolean;
      readonly opensToOtherRegionsOn?: string;
      readonly filled: number;
      readonly placements: readonly string[];
      readonly steps: ReadonlyArray<{ readonly step: string } & Step>;
    });

export const offerStreamId = (offerId: string): string => `matching.offer-${offerId}`;

const initialState = (): Offer => ({ status: 'none' });

const evolve = (s: Offer, e: OfferEvent): Offer => {
  const step = { step: e.type, on: e.data.on, by: e.data.by };
  if (e.type === 'OfferReceived') {
    const { on: _on, by: _by, ...details } = e.data;
    return { ...details, status: 'received', openToOtherRegions: false, filled: 0, placements: [], steps: [step] };
  }
  if (s.status === 'none') return s;
  const next = { ...s, steps: [...s.steps, step] };
  switch (e.type) {
    case 'OfferValidated':
      return { ...next, status: 'validated' };
    case 'OfferRejected':
      return { ...next, status: 'rejected' };
    case 'OfferPublished':
      return { ...next, status: 'published', opensToOtherRegionsOn: e.data.opensToOtherRegionsOn };
    case 'OfferOpenedToOtherRegions':
      return { ...next, openToOtherRegions: true };
    case 'OfferPositionFilled':
      return { ...next, filled: e.data.filled, placements: [...s.placements, e.data.placementId] };
    case 'OfferFilled':
      return { ...next, status: 'filled' };
    case 'OfferClosed':
      return { ...next, status: 'closed' };
    case 'OfferExpired':
      return { ...next, status: 'expired' };
    default: {
      const _exhaustive: never = e;
      return s;
    }
  }
};

const requireStatus = (
  s: Exclude<Offer, { status: 'none' }>,
  allowed: readonly OfferStatus[],
  action: string,
): void => {
  if (!allowed.includes(s.status))
    throw new IllegalStateError('OFFER_WRONG_STATE', `an offer that is ${s.status} cannot be ${action}`);
};

const decide = (c: OfferCommand, s: Offer): OfferEvent[] => {
  const step = { on: c.metadata.now.slice(0, 10), by: c.metadata.actor };
  if (c.type === 'ReceiveOffer') {
    if (s.status !== 'none')
      throw new IllegalStateError('OFFER_ALREADY_RECEIVED', `offer ${c.data.offerId} already exists`);
    const fields: Array<{ path: string; message: string }> = [];
    if (!Number.isInteger(c.data.positions) || c.data.positions < 1)
      fields.push({ path: 'positions', message: 'an offer has at least one position' });
    if (c.data.validUntil < step.on) fields.push({ path: 'validUntil', message: 'the offer would already be expired' });
    if (c.data.contractType === 'seasonal_abroad' && !c.data.abroadCountry)
      fields.push({ path: 'abroadCountry', message: 'a seasonal contract abroad names its country' });
    if (fields.length) throw new ValidationError('INVALID_OFFER', 'the offer cannot be received as it is', fields);
    return [{ type: 'OfferReceived', schemaVersion: 1, data: { ...c.data, ...step } }];
  }
  if (s.status === 'none') throw new NotFoundError('OFFER_NOT_FOUND', 'no such offer');
  const id = { offerId: s.offerId, ...step };
  switch (c.type) {
    case 'ValidateOffer':
      requireStatus(s, ['received'], 'validated');
      return [{ type: 'OfferValidated', data: id }];
    case 'RejectOffer':
      requireStatus(s, ['received'], 'rejected');
      return [{ type: 'OfferRejected', data: { ...id, reason: c.data.reason } }];
    case 'PublishOffer': {
      requireStatus(s, ['validated'], 'published');
      const opensOn = s.mass ? step.on : addDays(step.on, c.data.openAfterDays);
      const published: OfferEvent = {
        type: 'OfferPublished',
        schemaVersion: 1,
        data: {
          ...id,
          region: s.region,
          occupation: s.occupation,
          positions: s.positions,
          mass: s.mass,
          opensToOtherRegionsOn: opensOn,
        },
      };
      // A mass offer is regional and national at once: the Souss-Massa mechanism exists for them.
      return s.mass
        ? [
            published,
            {
              type: 'OfferOpenedToOtherRegions',
              schemaVersion: 1,
              data: { ...id, reason: 'mass_offer', region: s.region },
            },
          ]
        : [published];
    }
    case 'OpenOfferToOtherRegions':
      requireStatus(s, ['published'], 'opened to other regions');
      if (s.openToOtherRegions)
        throw new IllegalStateError('OFFER_ALREADY_OPEN', 'the offer is already open to other regions');
      if (s.opensToOtherRegionsOn && step.on < s.opensToOtherRegionsOn) {
        throw new IllegalStateError('OFFER_NOT_DUE', `the offer stays in its region until ${s.opensToOtherRegionsOn}`);
      }
      return [
        { type: 'OfferOpenedToOtherRegions', schemaVersion: 1, data: { ...id, reason: 'unfilled', region: s.region } },
      ];
    case 'RecordPositionFilled': {
      requireStatus(s, ['published'], 'filled');
      if (s.placements.includes(c.data.placementId))
        throw new IllegalStateError('PLACEMENT_ALREADY_COUNTED', 'this placement was already counted');
      const filled = s.filled + 1;
      const events: OfferEvent[] = [
        {
          type: 'OfferPositionFilled',
          data: { ...id, placementId: c.data.placementId, filled, positions: s.positions },
        },
      ];
      return filled >= s.positions
        ? [...events, { type: 'OfferFilled', schemaVersion: 1, data: { ...id, positions: s.positions } }]
        : events;
    }
    case 'CloseOffer':
      requireStatus(s, ['received', 'validated', 'published'], 'closed');
      return [{ type: 'OfferClosed', schemaVersion: 1, data: { ...id, reason: c.data.reason } }];
    case 'ExpireOffer':
      requireStatus(s, ['validated', 'published'], 'expired');
      if (step.on <= s.validUntil)
        throw new IllegalStateError('OFFER_STILL_VALID', `the offer is valid until ${s.validUntil}`);
      return [{ type: 'OfferExpired', schemaVersion: 1, data: id }];
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

export const offerDecider: Decider<OfferCommand, Offer, OfferEvent> = { initialState, evolve, decide };
