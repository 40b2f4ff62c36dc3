import { MAX_JOBS } from '@tashghil/contracts';
import { ValidationError, AppendList, invalidField } from '@tashghil/event-store';
import type { Budget, ConventionEvent, ConventionState, Measure, MeasureTarget, Period } from './convention.model';

export const initialState = (): ConventionState => ({ status: 'none' });

export const replaceMeasure = (measures: Iterable<Measure>, measure: Measure): Measure[] =>
  Array.from(measures, (current) => (current.measureId === measure.measureId ? measure : current));

/**
 * Every addition, signature and amendment appends to its list in O(1), so folding a long convention is linear.
 * Removing or changing a party or a measure rebuilds that list: a convention holds tens of them, not thousands.
 */
export const evolve = (state: ConventionState, event: ConventionEvent): ConventionState => {
  if (event.type === 'ConventionDrafted') {
    const { conventionId, region, title, period, legalBasis } = event.data;
    return {
      status: 'draft',
      conventionId,
      region,
      title,
      period,
      legalBasis: legalBasis ?? [],
      parties: AppendList.empty(),
      measures: AppendList.empty(),
      signatures: AppendList.empty(),
      amendments: AppendList.empty(),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ConventionEdited':
      return { ...state, ...event.data.changes };
    case 'PartyAdded':
      return { ...state, parties: state.parties.append(event.data.party) };
    case 'PartyRemoved': {
      const parties = state.parties.filter((party) => party.partyId !== event.data.partyId);
      return { ...state, parties: AppendList.of(parties) };
    }
    case 'MeasureAdded':
      return { ...state, measures: state.measures.append(event.data.measure) };
    case 'MeasureChanged':
      return { ...state, measures: AppendList.of(replaceMeasure(state.measures, event.data.measure)) };
    case 'MeasureRemoved': {
      const measures = state.measures.filter((measure) => measure.measureId !== event.data.measureId);
      return { ...state, measures: AppendList.of(measures) };
    }
    case 'SignatureCollected':
      return { ...state, signatures: state.signatures.append(event.data.signature) };
    case 'ConventionSigned':
      return { ...state, status: 'signed', signedOn: event.data.signedOn };
    case 'ConventionAmended':
      return {
        ...state,
        period: event.data.period,
        measures: AppendList.of(event.data.measures),
        amendments: state.amendments.append(event.data.amendment),
      };
    case 'ConventionClosed':
      return {
        ...state,
        status: 'closed',
        closure: {
          date: event.data.date,
          early: event.data.early,
          ...(event.data.reason ? { reason: event.data.reason } : {}),
        },
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

export const checkAmounts = (
  target: MeasureTarget | undefined,
  budget: Budget | undefined,
  period: Period,
  at: string,
): void => {
  const negatives = [
    ...(target
      ? [
          ['target.total', target.total] as const,
          ...Object.entries(target.byYear ?? {}).map(([year, count]) => [`target.byYear.${year}`, count] as const),
        ]
      : []),
    ...(budget
      ? [
          ['budget.stateCentimes', budget.stateCentimes] as const,
          ['budget.regionCentimes', budget.regionCentimes] as const,
        ]
      : []),
  ].filter(([, amount]) => amount < 0);
  if (negatives.length) {
    throw new ValidationError(
      'NEGATIVE_AMOUNT',
      'targets and budgets are never negative',
      negatives.map(([path]) => ({ path: `${at}${path}`, message: 'must not be negative' })),
    );
  }
  const counts = target
    ? [
        ['target.total', target.total] as const,
        ...Object.entries(target.byYear ?? {}).map(([year, count]) => [`target.byYear.${year}`, count] as const),
      ]
    : [];
  const tooMany = counts.filter(([, count]) => count > MAX_JOBS);
  if (tooMany.length) {
    throw new ValidationError(
      'TOO_MANY_JOBS',
      `a measure targets at most ${MAX_JOBS.toLocaleString('en')} jobs`,
      tooMany.map(([path]) => ({ path: `${at}${path}`, message: `must be at most ${MAX_JOBS.toLocaleString('en')}` })),
    );
  }
  for (const year of Object.keys(target?.byYear ?? {})) {
    if (year < period.start.slice(0, 4) || year > period.end.slice(0, 4)) {
      throw invalidField(
        'DATE_OUTSIDE_PERIOD',
        `${at}target.byYear.${year}`,
        `${year} is outside the period ${period.start} – ${period.end}`,
      );
    }
  }
};

export const checkPeriod = (period: Period): void => {
  if (period.end < period.start)
    throw invalidField('PERIOD_ENDS_BEFORE_START', 'period.end', `${period.end} is before the start ${period.start}`);
};
