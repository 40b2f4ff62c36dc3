import { givenFor } from '@tashghil/testing';
import { offerDecider, type OfferCommand, type OfferDetails, type OfferEvent } from './offer.decider';

const given = givenFor(offerDecider);
const at = (day: string) => ({
  now: `${day}T09:00:00.000Z`,
  actor: 'officer-ma09',
  roles: ['officer'],
  region: 'MA-09',
  correlationId: 'c',
  commandId: 'k',
});
type Of<T extends OfferCommand['type']> = Extract<OfferCommand, { type: T }>;
const cmd = <T extends OfferCommand['type']>(type: T, data: Of<T>['data'], day = '2024-03-01'): Of<T> =>
  ({ type, data, metadata: at(day) }) as unknown as Of<T>;

const details: OfferDetails = {
  employer: { kind: 'company', id: 'auto-sm-1', name: 'Équipementier automobile (fictif)', sector: 'automotive' },
  region: 'MA-09',
  province: 'Agadir-Ida Ou Tanane',
  occupation: '8211',
  positions: 300,
  requiredEducation: 'vocational',
  skills: ['assembly'],
  contractType: 'permanent',
  mass: true,
  validUntil: '2024-12-31',
};
const step = (day = '2024-03-01') => ({ offerId: 'o-1', on: day, by: 'officer-ma09' });
const received: OfferEvent = { type: 'OfferReceived', schemaVersion: 1, data: { ...details, ...step() } };
const validated: OfferEvent = { type: 'OfferValidated', data: step() };
const receivedOrdinary: OfferEvent = {
  type: 'OfferReceived',
  schemaVersion: 1,
  data: { ...details, positions: 2, mass: false, ...step() },
};

describe('the offer pipeline', () => {
  it('receives an offer and refuses it twice', () => {
    given([])
      .when(cmd('ReceiveOffer', { offerId: 'o-1', ...details }))
      .then([received]);
    given([received])
      .when(cmd('ReceiveOffer', { offerId: 'o-1', ...details }))
      .thenThrows('OFFER_ALREADY_RECEIVED');
  });
  it('refuses an offer with no position, already expired, or abroad without a country', () => {
    given([])
      .when(cmd('ReceiveOffer', { offerId: 'o-1', ...details, positions: 0 }))
      .thenThrows('INVALID_OFFER');
    given([])
      .when(cmd('ReceiveOffer', { offerId: 'o-1', ...details, validUntil: '2024-01-01' }))
      .thenThrows('INVALID_OFFER');
    given([])
      .when(cmd('ReceiveOffer', { offerId: 'o-1', ...details, contractType: 'seasonal_abroad' }))
      .thenThrows('INVALID_OFFER');
    given([])
      .when(cmd('ReceiveOffer', { offerId: 'o-1', ...details, positions: 1_000_001 }))
      .thenThrows('INVALID_OFFER');
  });
  it('opens a mass offer to other regions as soon as it is published', () => {
    given([received, validated])
      .when(cmd('PublishOffer', { openAfterDays: 15 }))
      .then([
        {
          type: 'OfferPublished',
          schemaVersion: 1,
          data: {
            ...step(),
            region: 'MA-09',
            occupation: '8211',
            positions: 300,
            mass: true,
            opensToOtherRegionsOn: '2024-03-01',
          },
        },
        {
          type: 'OfferOpenedToOtherRegions',
          schemaVersion: 1,
          data: { ...step(), reason: 'mass_offer', region: 'MA-09' },
        },
      ]);
  });
  it('keeps an ordinary offer in its region until the regional delay has passed', () => {
    const published: OfferEvent = {
      type: 'OfferPublished',
      schemaVersion: 1,
      data: {
        ...step(),
        region: 'MA-09',
        occupation: '8211',
        positions: 2,
        mass: false,
        opensToOtherRegionsOn: '2024-03-16',
      },
    };
    given([receivedOrdinary, validated])
      .when(cmd('PublishOffer', { openAfterDays: 15 }))
      .then([published]);
    given([receivedOrdinary, validated, published])
      .when(cmd('OpenOfferToOtherRegions', {}, '2024-03-10'))
      .thenThrows('OFFER_NOT_DUE');
    given([receivedOrdinary, validated, published])
      .when(cmd('OpenOfferToOtherRegions', {}, '2024-03-16'))
      .then([
        {
          type: 'OfferOpenedToOtherRegions',
          schemaVersion: 1,
          data: { ...step('2024-03-16'), reason: 'unfilled', region: 'MA-09' },
        },
      ]);
  });
  it('validates a received offer', () => {
    given([received]).when(cmd('ValidateOffer', {})).then([validated]);
  });
  it('walks the steps in order only', () => {
    given([received])
      .when(cmd('PublishOffer', { openAfterDays: 15 }))
      .thenThrows('OFFER_WRONG_STATE');
    given([received, validated]).when(cmd('ValidateOffer', {})).thenThrows('OFFER_WRONG_STATE');
    given([]).when(cmd('ValidateOffer', {})).thenThrows('OFFER_NOT_FOUND');
  });
  it('counts each placement once and is filled with the last position', () => {
    const published: OfferEvent = {
      type: 'OfferPublished',
      schemaVersion: 1,
      data: {
        ...step(),
        region: 'MA-09',
        occupation: '8211',
        positions: 2,
        mass: false,
        opensToOtherRegionsOn: '2024-03-16',
      },
    };
    const first: OfferEvent = {
      type: 'OfferPositionFilled',
      data: { ...step(), placementId: 'p1', filled: 1, positions: 2 },
    };
    given([receivedOrdinary, validated, published])
      .when(cmd('RecordPositionFilled', { placementId: 'p1' }))
      .then([first]);
    given([receivedOrdinary, validated, published, first])
      .when(cmd('RecordPositionFilled', { placementId: 'p1' }))
      .thenThrows('PLACEMENT_ALREADY_COUNTED');
    given([receivedOrdinary, validated, published, first])
      .when(cmd('RecordPositionFilled', { placementId: 'p2' }))
      .then([
        { type: 'OfferPositionFilled', data: { ...step(), placementId: 'p2', filled: 2, positions: 2 } },
        { type: 'OfferFilled', schemaVersion: 1, data: { ...step(), positions: 2 } },
      ]);
  });
  it('expires only after its validity, and closes with a reason', () => {
    given([received, validated])
      .when(cmd('ExpireOffer', {}, '2024-06-01'))
      .thenThrows('OFFER_STILL_VALID');
    given([received, validated])
      .when(cmd('ExpireOffer', {}, '2025-01-01'))
      .then([{ type: 'OfferExpired', schemaVersion: 1, data: step('2025-01-01') }]);
    given([received])
      .when(cmd('CloseOffer', { reason: 'employer withdrew' }))
      .then([{ type: 'OfferClosed', schemaVersion: 1, data: { ...step(), reason: 'employer withdrew' } }]);
  });
  it('records who did each step and when, for processing times', () => {
    const state = [received, validated].reduce(offerDecider.evolve, offerDecider.initialState());
    expect(state.status !== 'none' && state.steps.toArray()).toEqual([
      { step: 'OfferReceived', on: '2024-03-01', by: 'officer-ma09' },
      { step: 'OfferValidated', on: '2024-03-01', by: 'officer-ma09' },
    ]);
  });
  it('rejects a received offer with its reason, and nothing once rejected', () => {
    const rejected: OfferEvent = { type: 'OfferRejected', data: { ...step(), reason: 'employer unknown' } };
    given([received])
      .when(cmd('RejectOffer', { reason: 'employer unknown' }))
      .then([rejected]);
    given([received, rejected])
      .when(cmd('CloseOffer', { reason: 'x' }))
      .thenThrows('OFFER_WRONG_STATE');
    given([received, rejected])
      .when(cmd('ExpireOffer', {}, '2025-01-01'))
      .thenThrows('OFFER_WRONG_STATE');
  });
  it('opens an offer to other regions once', () => {
    const publishedMass = offerDecider.decide(
      cmd('PublishOffer', { openAfterDays: 15 }),
      [received, validated].reduce(offerDecider.evolve, offerDecider.initialState()),
    );
    given([received, validated, ...publishedMass])
      .when(cmd('OpenOfferToOtherRegions', {}, '2024-04-01'))
      .thenThrows('OFFER_ALREADY_OPEN');
  });
});

describe('a mass offer filled one position at a time', () => {
  // 10,000 events: the offer's steps and placements grow by one each, and the fold appends rather than copies.
  const positions = 9_998;
  const published: OfferEvent = {
    type: 'OfferPublished',
    schemaVersion: 1,
    data: {
      ...step(),
      region: 'MA-09',
      occupation: '8211',
      positions,
      mass: true,
      opensToOtherRegionsOn: '2024-03-01',
    },
  };
  const history: OfferEvent[] = [
    { type: 'OfferReceived', schemaVersion: 1, data: { ...details, positions, ...step() } },
    validated,
    published,
  ];
  for (let n = 1; n < positions; n += 1)
    history.push({ type: 'OfferPositionFilled', data: { ...step(), placementId: `p-${n}`, filled: n, positions } });

  it('folds 10,000 events into the steps and placements, each in its order', () => {
    const state = history.reduce(offerDecider.evolve, offerDecider.initialState());
    expect(history).toHaveLength(10_000);
    if (state.status === 'none') throw new Error('not received');
    expect(state).toMatchObject({ status: 'published', filled: positions - 1 });
    expect(state.steps.length).toBe(10_000);
    expect(state.steps.at(2)).toEqual({ step: 'OfferPublished', on: '2024-03-01', by: 'officer-ma09' });
    expect(state.placements.length).toBe(positions - 1);
    expect([state.placements.at(0), state.placements.at(-1)]).toEqual(['p-1', `p-${positions - 1}`]);
  });

  it('counts each of them once, and is filled with the last', () => {
    given(history)
      .when(cmd('RecordPositionFilled', { placementId: 'p-5000' }))
      .thenThrows('PLACEMENT_ALREADY_COUNTED');
    given(history)
      .when(cmd('RecordPositionFilled', { placementId: 'p-last' }))
      .then([
        { type: 'OfferPositionFilled', data: { ...step(), placementId: 'p-last', filled: positions, positions } },
        { type: 'OfferFilled', schemaVersion: 1, data: { ...step(), positions } },
      ]);
  });
});
