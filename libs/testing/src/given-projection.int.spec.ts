import {
  givenProjection,
  storedEvent,
  type GivenEvent,
  type GivenEventOf,
  type ProjectionUnderTest,
} from './given-projection';

/** A projection of one table that keeps every delivery it gets, to show what the helper hands its handlers. */
const deliveries: ProjectionUnderTest<'deliveries', 'OfferPublished'> = {
  tables: {
    deliveries: (s) => `CREATE TABLE ${s}.deliveries (
      event_id uuid NOT NULL, position integer NOT NULL, offer_id text NOT NULL, positions integer NOT NULL, published_on date NOT NULL
    )`,
  },
  handlers: {
    OfferPublished: async (db, s, offer, event) => {
      await db.query(
        `INSERT INTO ${s}.deliveries (event_id, position, offer_id, positions, published_on) VALUES ($1, $2, $3, $4, $5)`,
        [event.eventId, event.globalPosition, offer.offerId, offer.positions, offer.on],
      );
    },
  },
};

const published = (offerId: string, positions = 40): GivenEventOf<'OfferPublished'> => ({
  type: 'OfferPublished',
  data: {
    offerId,
    on: '2022-03-01',
    by: 'officer',
    region: 'MA-09',
    occupation: '8211',
    positions,
    mass: false,
    opensToOtherRegionsOn: '2022-03-16',
  },
});

const given = givenProjection(deliveries);

describe('givenProjection', () => {
  it('compares the table on the columns the expected rows name, in any order', async () => {
    const then = given([published('o-1'), published('o-2', 3)]);
    await then.thenRows('deliveries', [
      { offer_id: 'o-2', positions: 3, published_on: '2022-03-01' },
      { offer_id: 'o-1', positions: 40, published_on: '2022-03-01' },
    ]);
    await expect(then.thenRows('deliveries', [{ offer_id: 'o-1' }])).rejects.toThrow(/toEqual/);
    await expect(then.thenRows('deliveries', [{ offer_id: 'o-1' }, { offer_id: 'o-3' }])).rejects.toThrow(/toEqual/);
    await expect(then.thenRows('deliveries', [{ offer: 'o-1' }, { offer: 'o-2' }])).rejects.toThrow(/no column offer/);
  });

  it('says a table is empty with no rows, and fails when it is not', async () => {
    await given([]).thenRows('deliveries', []);
    await expect(given([published('o-1')]).thenRows('deliveries', [])).rejects.toThrow(/toEqual/);
  });

  it('gives each list a fresh schema', async () => {
    await given([published('o-1')]).thenRows('deliveries', [{ offer_id: 'o-1' }]);
    await given([published('o-2')]).thenRows('deliveries', [{ offer_id: 'o-2' }]);
  });

  it('delivers the same object twice as one event, and two objects as two, in order', async () => {
    const once = published('o-1');
    const stored = storedEvent(
      'OfferPublished',
      { ...once.data, offerId: 'o-2' },
      { eventId: '0e5c1a52-2d6b-4c1e-9d4e-7c1e2a9b0f11' },
    );
    const then = given([once, once, published('o-1'), stored, stored]);
    await then.thenQuery(
      (s) => `SELECT count(DISTINCT event_id)::int AS events, count(*)::int AS deliveries FROM ${s}.deliveries`,
      [{ events: 3, deliveries: 5 }],
    );
    await then.thenRows('deliveries', [
      { position: 1, offer_id: 'o-1' },
      { position: 2, offer_id: 'o-1' },
      { position: 3, offer_id: 'o-1' },
      { position: 4, offer_id: 'o-2' },
      { position: 5, offer_id: 'o-2' },
    ]);
    await then.thenQuery(
      (s) => `SELECT DISTINCT event_id FROM ${s}.deliveries WHERE offer_id = 'o-2'`,
      [{ event_id: '0e5c1a52-2d6b-4c1e-9d4e-7c1e2a9b0f11' }],
    );
  });

  it('passes over an event of a type the projection does not take', async () => {
    const opened = storedEvent('OfferOpenedToOtherRegions', {
      offerId: 'o-1',
      on: '2022-03-16',
      by: 'officer',
      region: 'MA-09',
      reason: 'unfilled',
    });
    await given([opened, published('o-1')]).thenRows('deliveries', [{ offer_id: 'o-1', position: 2 }]);
  });

  it('refuses an event whose data its contract would refuse, as a consumer would', async () => {
    const event = published('o-1');
    const notADay: GivenEvent = { type: 'OfferPublished', data: { ...event.data, on: '2022-02-30' } };
    await expect(given([notADay]).thenRows('deliveries', [])).rejects.toThrow(
      /given OfferPublished breaks its contract/,
    );
  });
});
