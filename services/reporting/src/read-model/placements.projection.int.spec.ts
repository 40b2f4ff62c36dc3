import { givenProjection } from '@tashghil/testing';
import { offerOpened, offerPublished, placementProposed, seekerHired } from './events.fixture';
import { offerMilestones, placements } from './placements.projection';

/** Each offer as the report reads it now: its own row, its milestones from the placements that name it. */
const offers = (s: string): string =>
  `SELECT offer_id, region, positions, mass, to_char(published_on, 'YYYY-MM-DD') AS published_on,
          to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(first_proposal_on, 'YYYY-MM-DD') AS first_proposal_on,
          to_char(first_hire_on, 'YYYY-MM-DD') AS first_hire_on
     FROM (${offerMilestones((t) => `(SELECT * FROM ${s}.${t} WHERE valid_to = 'infinity')`)}) o`;

const given = givenProjection(placements);

describe('the placements read model', () => {
  it('holds a published offer, its milestones still to come', async () => {
    await given([offerPublished()]).thenQuery(offers, [
      {
        offer_id: 'of-1',
        region: 'MA-09',
        positions: 40,
        mass: true,
        published_on: '2022-03-01',
        opened_on: null,
        first_proposal_on: null,
        first_hire_on: null,
      },
    ]);
  });

  it('takes an offer published again as it now stands, but keeps the first publication date', async () => {
    await given([offerPublished(), offerPublished({ on: '2022-03-20', positions: 10, mass: false })]).thenRows(
      'offers',
      [{ offer_id: 'of-1', positions: 10, mass: false, published_on: '2022-03-01' }],
    );
  });

  it('keeps the earliest proposal, opening and hire of an offer, and one row per proposal and hire', async () => {
    const then = given([
      offerPublished(),
      offerOpened({ on: '2022-03-20' }),
      offerOpened({ on: '2022-03-16', reason: 'unfilled' }),
      placementProposed({ placementId: 'pl-2', on: '2022-03-12' }),
      placementProposed({ placementId: 'pl-1', on: '2022-03-11' }),
      seekerHired({ placementId: 'pl-2', on: '2022-04-02' }),
      seekerHired({ placementId: 'pl-1', on: '2022-04-01' }),
    ]);
    await then.thenQuery(
      (s) => `SELECT opened_on, first_proposal_on, first_hire_on FROM (${offers(s)}) o`,
      [{ opened_on: '2022-03-16', first_proposal_on: '2022-03-11', first_hire_on: '2022-04-01' }],
    );
    await then.thenRows('proposals', [
      { placement_id: 'pl-1', offer_id: 'of-1', proposed_on: '2022-03-11' },
      { placement_id: 'pl-2', offer_id: 'of-1', proposed_on: '2022-03-12' },
    ]);
    await then.thenRows('placements', [{ placement_id: 'pl-1' }, { placement_id: 'pl-2' }]);
  });

  it('comes to the same offer row whether the hire or the publication arrives first', async () => {
    const published = offerPublished();
    const proposed = placementProposed();
    const hired = seekerHired();
    const offer = [
      {
        offer_id: 'of-1',
        region: 'MA-09',
        positions: 40,
        mass: true,
        published_on: '2022-03-01',
        opened_on: null,
        first_proposal_on: '2022-03-11',
        first_hire_on: '2022-04-01',
      },
    ];
    await given([published, proposed, hired]).thenQuery(offers, offer);
    await given([hired, proposed, published]).thenQuery(offers, offer);
  });

  it('holds a hire with its sector, contract and flow, and marks one abroad', async () => {
    await given([
      seekerHired(),
      seekerHired({
        placementId: 'pl-2',
        flow: 'abroad',
        origin: { region: 'MA-07', province: 'Safi' },
        destination: { region: 'MA-09', province: 'Agadir-Ida Ou Tanane', abroadCountry: 'ES' },
        employer: { kind: 'company', id: 'emp-3', sector: 'agro' },
        contractType: 'permanent',
      }),
    ]).thenRows('placements', [
      {
        placement_id: 'pl-1',
        hired_on: '2022-04-01',
        offer_id: 'of-1',
        sector: 'automobile',
        contract_type: 'idmaj',
        origin_region: 'MA-09',
        destination_region: 'MA-09',
        abroad: false,
        flow: 'own_region',
      },
      {
        placement_id: 'pl-2',
        hired_on: '2022-04-01',
        offer_id: 'of-1',
        sector: 'agro',
        contract_type: 'permanent',
        origin_region: 'MA-07',
        destination_region: 'MA-09',
        abroad: true,
        flow: 'abroad',
      },
    ]);
  });

  it('changes nothing when a hire or a proposal comes twice', async () => {
    const proposed = placementProposed();
    const hired = seekerHired();
    const then = given([offerPublished(), proposed, hired, proposed, hired]);
    await then.thenRows('placements', [{ placement_id: 'pl-1' }]);
    await then.thenRows('proposals', [{ placement_id: 'pl-1' }]);
    await then.thenQuery(
      (s) => `SELECT offer_id, first_proposal_on, first_hire_on FROM (${offers(s)}) o`,
      [{ offer_id: 'of-1', first_proposal_on: '2022-03-11', first_hire_on: '2022-04-01' }],
    );
  });
});
