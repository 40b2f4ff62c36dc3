import { givenFor } from '@tashghil/testing';
import {
  conventionDecider,
  type ConventionCommand,
  type ConventionDrafted,
  type ConventionEvent,
  type Measure,
  type Party,
} from './convention.decider';

const given = givenFor(conventionDecider);
const metadata = {
  now: '2021-03-15T10:00:00.000Z',
  actor: 'officer-ma09',
  roles: ['officer'],
  region: 'MA-09',
  correlationId: 'corr-1',
  commandId: 'cmd-1',
};
type Of<T extends ConventionCommand['type']> = Extract<ConventionCommand, { type: T }>;
const cmd = <T extends ConventionCommand['type']>(type: T, data: Of<T>['data']): Of<T> =>
  ({ type, data, metadata }) as unknown as Of<T>;

const id = 'souss-massa-2020-2022';
const period = { start: '2020-01-01', end: '2022-12-31' };
const drafted: ConventionDrafted = {
  type: 'ConventionDrafted',
  schemaVersion: 1,
  data: {
    conventionId: id,
    region: 'MA-09',
    title: 'Convention Souss-Massa',
    period,
    legalBasis: ['PDR Souss-Massa'],
    draftedAt: metadata.now,
    draftedBy: 'officer-ma09',
  },
};
const minister: Party = {
  partyId: 'minister',
  name: 'Ministre du Travail et de l’Insertion professionnelle',
  role: 'minister_employment',
  mustSign: true,
};
const wali: Party = { partyId: 'wali', name: 'Wali de Souss-Massa', role: 'wali', mustSign: true };
const tahfiz: Measure = {
  measureId: 'tahfiz',
  programmeLine: 'tahfiz',
  target: { total: 1200, byYear: { '2021': 600, '2022': 600 } },
  budget: { stateCentimes: 5_736_000_000, regionCentimes: 0 },
};
const partyAdded = (party: Party): ConventionEvent => ({ type: 'PartyAdded', data: { conventionId: id, party } });
const measureAdded = (measure: Measure): ConventionEvent => ({
  type: 'MeasureAdded',
  data: { conventionId: id, measure },
});
const sig = (party: Party, date = '2021-03-15') => ({
  partyId: party.partyId,
  role: party.role,
  signatory: party.name,
  date,
  place: 'Agadir',
});
const signatureCollected = (party: Party, date?: string): ConventionEvent => ({
  type: 'SignatureCollected',
  data: { conventionId: id, signature: sig(party, date) },
});
const ready = [drafted, partyAdded(minister), partyAdded(wali), measureAdded(tahfiz)];
const signed: ConventionEvent[] = [
  ...ready,
  signatureCollected(minister),
  signatureCollected(wali),
  {
    type: 'ConventionSigned',
    schemaVersion: 1,
    data: {
      conventionId: id,
      region: 'MA-09',
      title: 'Convention Souss-Massa',
      period,
      legalBasis: ['PDR Souss-Massa'],
      signedOn: '2021-03-15',
      place: 'Agadir',
      signatures: [sig(minister), sig(wali)],
      measures: [tahfiz],
    },
  },
];
const closed: ConventionEvent = {
  type: 'ConventionClosed',
  schemaVersion: 1,
  data: { conventionId: id, region: 'MA-09', date: '2022-12-31', early: false },
};

const sign = (role: Party['role'], date = '2021-03-15', signatory = 'someone') =>
  cmd('SignConvention', { role, signatory, date, place: 'Agadir' });
const amend = (data: Partial<Extract<ConventionCommand, { type: 'AmendConvention' }>['data']>) =>
  cmd('AmendConvention', { effectiveDate: '2022-01-01', reason: 'mid-term review', ...data });

describe('drafting', () => {
  it('drafts a convention for a region and a period', () => {
    given([])
      .when(
        cmd('DraftConvention', {
          conventionId: id,
          region: 'MA-09',
          title: 'Convention Souss-Massa',
          period,
          legalBasis: ['PDR Souss-Massa'],
        }),
      )
      .then([drafted]);
  });
  it('refuses a second draft of the same id', () => {
    given([drafted])
      .when(cmd('DraftConvention', { conventionId: id, region: 'MA-09', title: 'x', period }))
      .thenThrows('CONVENTION_ALREADY_EXISTS');
  });
  it('refuses a period that ends before it starts', () => {
    given([])
      .when(
        cmd('DraftConvention', {
          conventionId: id,
          region: 'MA-09',
          title: 'x',
          period: { start: '2022-01-01', end: '2021-01-01' },
        }),
      )
      .thenThrows('PERIOD_ENDS_BEFORE_START');
  });
  it('refuses commands on a convention that does not exist', () => {
    given([])
      .when(cmd('AddParty', { partyId: 'wali', name: 'Wali', role: 'wali' }))
      .thenThrows('CONVENTION_NOT_FOUND');
    given([]).when(sign('wali')).thenThrows('CONVENTION_NOT_FOUND');
  });
  it('adds parties and measures, once each', () => {
    given([drafted])
      .when(cmd('AddParty', { partyId: 'wali', name: wali.name, role: 'wali' }))
      .then([partyAdded(wali)]);
    given([drafted, partyAdded(wali)])
      .when(cmd('AddParty', { partyId: 'wali', name: 'x', role: 'wali' }))
      .thenThrows('PARTY_ALREADY_ADDED');
    given([drafted])
      .when(cmd('AddMeasure', tahfiz))
      .then([measureAdded(tahfiz)]);
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('AddMeasure', tahfiz))
      .thenThrows('MEASURE_ALREADY_ADDED');
  });
  it('never accepts a negative budget or target', () => {
    given([drafted])
      .when(cmd('AddMeasure', { ...tahfiz, budget: { stateCentimes: -1, regionCentimes: 0 } }))
      .thenThrows('NEGATIVE_AMOUNT');
    given([drafted])
      .when(cmd('AddMeasure', { ...tahfiz, target: { total: -5 } }))
      .thenThrows('NEGATIVE_AMOUNT');
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('ChangeMeasure', { measureId: 'tahfiz', target: { total: 10, byYear: { '2021': -1 } } }))
      .thenThrows('NEGATIVE_AMOUNT');
  });
  it('refuses a measure targeting more jobs than one line may count', () => {
    given([drafted])
      .when(cmd('AddMeasure', { ...tahfiz, target: { total: 3_000_000_000 } }))
      .thenThrows('TOO_MANY_JOBS');
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('ChangeMeasure', { measureId: 'tahfiz', target: { total: 10, byYear: { '2021': 1_000_001 } } }))
      .thenThrows('TOO_MANY_JOBS');
  });
  it('keeps yearly targets inside the period', () => {
    given([drafted])
      .when(cmd('AddMeasure', { ...tahfiz, target: { total: 10, byYear: { '2023': 10 } } }))
      .thenThrows('DATE_OUTSIDE_PERIOD');
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('EditConvention', { period: { start: '2022-01-01', end: '2022-12-31' } }))
      .thenThrows('DATE_OUTSIDE_PERIOD');
  });
  it('changes and removes what exists, and names what does not', () => {
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('ChangeMeasure', { measureId: 'tahfiz', label: 'Tahfiz, new firms' }))
      .then([
        { type: 'MeasureChanged', data: { conventionId: id, measure: { ...tahfiz, label: 'Tahfiz, new firms' } } },
      ]);
    given([drafted])
      .when(cmd('ChangeMeasure', { measureId: 'nope', label: 'x' }))
      .thenThrows('MEASURE_NOT_FOUND');
    given([drafted])
      .when(cmd('RemoveMeasure', { measureId: 'nope' }))
      .thenThrows('MEASURE_NOT_FOUND');
    given([drafted])
      .when(cmd('RemoveParty', { partyId: 'nope' }))
      .thenThrows('PARTY_NOT_FOUND');
  });
});

describe('signing', () => {
  it('collects a signature, and signs the convention with the last required one', () => {
    given([...ready, signatureCollected(minister)])
      .when(sign('wali', '2021-03-15', wali.name))
      .then(signed.slice(-2));
    given(ready)
      .when(sign('minister_employment', '2021-03-15', minister.name))
      .then([signatureCollected(minister)]);
  });
  it('refuses a signature by a role that is not a party', () => {
    given(ready).when(sign('region_president')).thenThrows('SIGNATORY_NOT_A_PARTY');
  });
  it('refuses a party signing twice', () => {
    given([...ready, signatureCollected(minister)])
      .when(sign('minister_employment'))
      .thenThrows('ALREADY_SIGNED_BY_PARTY');
  });
  it('refuses signing while a measure has no target or budget', () => {
    const { budget: _b, ...noBudget } = tahfiz;
    given([drafted, partyAdded(wali), measureAdded(noBudget)])
      .when(sign('wali'))
      .thenThrows('MEASURE_INCOMPLETE');
    const { target: _t, ...noTarget } = tahfiz;
    given([drafted, partyAdded(wali), measureAdded(noTarget)])
      .when(sign('wali'))
      .thenThrows('MEASURE_INCOMPLETE');
    given([drafted, partyAdded(wali)])
      .when(sign('wali'))
      .thenThrows('CONVENTION_HAS_NO_MEASURES');
  });
  it('refuses a signature after the period', () => {
    given(ready).when(sign('wali', '2023-01-02')).thenThrows('DATE_OUTSIDE_PERIOD');
  });
  it('allows no editing once signing has begun, except by amendment', () => {
    given([...ready, signatureCollected(minister)])
      .when(cmd('AddMeasure', { ...tahfiz, measureId: 'taehil' }))
      .thenThrows('CONVENTION_NOT_EDITABLE');
    given(signed)
      .when(cmd('EditConvention', { title: 'new' }))
      .thenThrows('CONVENTION_NOT_EDITABLE');
    given(signed)
      .when(cmd('ChangeMeasure', { measureId: 'tahfiz', label: 'x' }))
      .thenThrows('CONVENTION_NOT_EDITABLE');
    given(signed).when(sign('wali')).thenThrows('CONVENTION_ALREADY_SIGNED');
  });
});

describe('amending and closing', () => {
  it('numbers each amendment and carries the resulting targets and budgets', () => {
    const raised = { ...tahfiz, budget: { stateCentimes: 6_000_000_000, regionCentimes: 0 } };
    given(signed)
      .when(amend({ measures: [{ measureId: 'tahfiz', budget: raised.budget }] }))
      .then([
        {
          type: 'ConventionAmended',
          schemaVersion: 1,
          data: {
            conventionId: id,
            region: 'MA-09',
            period,
            measures: [raised],
            amendment: {
              number: 1,
              effectiveDate: '2022-01-01',
              reason: 'mid-term review',
              recordedAt: metadata.now,
              recordedBy: 'officer-ma09',
            },
          },
        },
      ]);
  });
  it('extends the period by amendment', () => {
    const events = conventionDecider.decide(
      amend({ period: { end: '2023-06-30' } }),
      signed.reduce(conventionDecider.evolve, conventionDecider.initialState()),
    );
    expect(events[0]).toMatchObject({
      type: 'ConventionAmended',
      data: { period: { start: '2020-01-01', end: '2023-06-30' } },
    });
  });
  it('refuses amendments before signature, after close, outside the period, or that change nothing', () => {
    given(ready)
      .when(amend({ period: { end: '2023-01-01' } }))
      .thenThrows('CONVENTION_NOT_SIGNED');
    given([...signed, closed])
      .when(amend({ period: { end: '2023-01-01' } }))
      .thenThrows('CONVENTION_CLOSED');
    given(signed)
      .when(amend({ effectiveDate: '2019-12-31', period: { end: '2023-01-01' } }))
      .thenThrows('DATE_OUTSIDE_PERIOD');
    given(signed).when(amend({})).thenThrows('AMENDMENT_CHANGES_NOTHING');
    given(signed)
      .when(amend({ measures: [{ measureId: 'nope', target: { total: 1 } }] }))
      .thenThrows('MEASURE_NOT_FOUND');
    given(signed)
      .when(amend({ measures: [{ measureId: 'tahfiz', budget: { stateCentimes: -100, regionCentimes: 0 } }] }))
      .thenThrows('NEGATIVE_AMOUNT');
    given(signed)
      .when(amend({ period: { end: '2019-01-01' } }))
      .thenThrows('PERIOD_ENDS_BEFORE_START');
  });
  it('closes at the end of the period, and terminates early only with a reason', () => {
    given(signed)
      .when(cmd('CloseConvention', { date: '2022-12-31' }))
      .then([closed]);
    given(signed)
      .when(cmd('CloseConvention', { date: '2022-06-30' }))
      .thenThrows('TERMINATION_NEEDS_REASON');
    given(signed)
      .when(cmd('CloseConvention', { date: '2022-06-30', reason: 'budget withdrawn' }))
      .then([
        {
          type: 'ConventionClosed',
          schemaVersion: 1,
          data: { conventionId: id, region: 'MA-09', date: '2022-06-30', early: true, reason: 'budget withdrawn' },
        },
      ]);
    given(signed)
      .when(cmd('CloseConvention', { date: '2019-06-30', reason: 'x' }))
      .thenThrows('DATE_OUTSIDE_PERIOD');
    given(ready)
      .when(cmd('CloseConvention', { date: '2022-12-31' }))
      .thenThrows('CONVENTION_NOT_SIGNED');
    given([...signed, closed])
      .when(cmd('CloseConvention', { date: '2022-12-31' }))
      .thenThrows('CONVENTION_CLOSED');
    given([...signed, closed])
      .when(sign('wali'))
      .thenThrows('CONVENTION_CLOSED');
  });
});

describe('editing a draft', () => {
  it('edits the title, period and legal basis, keeping every target inside the new period', () => {
    const changes = { title: 'Convention Souss-Massa 2020-2023', period: { start: '2020-01-01', end: '2023-12-31' } };
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('EditConvention', changes))
      .then([{ type: 'ConventionEdited', data: { conventionId: id, changes } }]);
    given([drafted])
      .when(cmd('EditConvention', { period: { start: '2022-01-01', end: '2021-12-31' } }))
      .thenThrows('PERIOD_ENDS_BEFORE_START');
    given([])
      .when(cmd('EditConvention', { title: 'x' }))
      .thenThrows('CONVENTION_NOT_FOUND');
  });
  it('removes a party and a measure it holds', () => {
    given([drafted, partyAdded(wali)])
      .when(cmd('RemoveParty', { partyId: 'wali' }))
      .then([{ type: 'PartyRemoved', data: { conventionId: id, partyId: 'wali' } }]);
    given([drafted, measureAdded(tahfiz)])
      .when(cmd('RemoveMeasure', { measureId: 'tahfiz' }))
      .then([{ type: 'MeasureRemoved', data: { conventionId: id, measureId: 'tahfiz' } }]);
  });
  it('signs once every party that must sign has, a party that need not sign left out', () => {
    const observer: Party = { partyId: 'anapec', name: 'ANAPEC', role: 'employment_agency', mustSign: false };
    const events = conventionDecider.decide(
      sign('wali', '2021-03-16', wali.name),
      [...ready, partyAdded(observer), signatureCollected(minister)].reduce(
        conventionDecider.evolve,
        conventionDecider.initialState(),
      ),
    );
    expect(events.map((event) => event.type)).toEqual(['SignatureCollected', 'ConventionSigned']);
    expect(events[1]?.data).toMatchObject({ signedOn: '2021-03-16' });
  });
  it('refuses to amend or close a convention that does not exist', () => {
    given([])
      .when(amend({ period: { end: '2023-01-01' } }))
      .thenThrows('CONVENTION_NOT_FOUND');
    given([])
      .when(cmd('CloseConvention', { date: '2022-12-31' }))
      .thenThrows('CONVENTION_NOT_FOUND');
  });
});

describe('folding a long convention', () => {
  const count = 3_333;
  const party = (n: number): Party => ({ partyId: `p-${n}`, name: `Partie ${n}`, role: 'other', mustSign: true });
  const measure = (n: number): Measure => ({ ...tahfiz, measureId: `m-${n}` });
  const history: ConventionEvent[] = [drafted];
  for (let n = 1; n <= count; n += 1) history.push(partyAdded(party(n)), measureAdded(measure(n)));
  for (let n = 1; n <= count; n += 1) history.push(signatureCollected(party(n)));

  it('folds 10,000 parties, measures and signatures, each in its order', () => {
    const state = history.reduce(conventionDecider.evolve, conventionDecider.initialState());
    expect(history).toHaveLength(10_000);
    if (state.status === 'none') throw new Error('not drafted');
    expect([state.parties.length, state.measures.length, state.signatures.length]).toEqual([count, count, count]);
    expect(state.parties.at(-1)).toEqual(party(count));
    expect(state.measures.at(0)).toEqual(measure(1));
    expect(state.signatures.at(-1)?.partyId).toBe(`p-${count}`);
    given(history).when(sign('other', '2021-03-15')).thenThrows('ALREADY_SIGNED_BY_PARTY');
    given(history)
      .when(cmd('AddMeasure', measure(99_999)))
      .thenThrows('CONVENTION_NOT_EDITABLE');
  });
});
