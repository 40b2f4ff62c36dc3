import { givenFor } from '@tashghil/testing';
import { conventionDecider, type ConventionDrafted, type DraftConvention } from './convention.decider';

const given = givenFor(conventionDecider);

const metadata = {
  now: '2021-03-15T10:00:00.000Z', actor: 'officer-ma09', roles: ['officer'], region: 'MA-09',
  correlationId: 'corr-1', commandId: 'cmd-1',
};

const draftSoussMassa: DraftConvention = {
  type: 'DraftConvention',
  data: { conventionId: 'souss-massa-2020', region: 'MA-09', title: 'Convention régionale Souss-Massa', period: { start: '2020-01-01', end: '2022-12-31' } },
  metadata,
};

const soussMassaDrafted: ConventionDrafted = {
  type: 'ConventionDrafted',
  schemaVersion: 1,
  data: { ...draftSoussMassa.data, draftedAt: metadata.now, draftedBy: 'officer-ma09' },
};

describe('convention decider', () => {
  it('drafts a convention for a region and a period', () => {
    given([]).when(draftSoussMassa).then([soussMassaDrafted]);
  });

  it('refuses a second draft of the same convention', () => {
    given([soussMassaDrafted]).when(draftSoussMassa).thenThrows('CONVENTION_ALREADY_EXISTS');
  });

  it('refuses a period that ends before it starts', () => {
    given([]).when({ ...draftSoussMassa, data: { ...draftSoussMassa.data, period: { start: '2022-01-01', end: '2021-12-31' } } })
      .thenThrows('PERIOD_ENDS_BEFORE_START');
  });

  it('folds a drafted convention into its state', () => {
    const state = [soussMassaDrafted].reduce(conventionDecider.evolve, conventionDecider.initialState());
    expect(state).toEqual({ status: 'drafted', conventionId: 'souss-massa-2020', region: 'MA-09', title: 'Convention régionale Souss-Massa', period: { start: '2020-01-01', end: '2022-12-31' } });
  });
});
