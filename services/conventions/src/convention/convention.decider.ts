import { IllegalStateError, NotFoundError, ValidationError, type Decider } from '@tashghil/event-store';
import type {
  Amendment,
  Budget,
  ConventionCommand,
  ConventionEvent,
  ConventionState,
  Measure,
  MeasureTarget,
  Party,
  Period,
} from './convention.model';
import { completeMeasure, draftOf, isInside, signatoriesMissing } from './convention.model';

export * from './convention.model';

export const conventionStreamId = (conventionId: string): string => `conventions.convention-${conventionId}`;

const initialState = (): ConventionState => ({ status: 'none' });

const replaceMeasure = (measures: readonly Measure[], m: Measure): Measure[] =>
  measures.map((x) => (x.measureId === m.measureId ? m : x));

const evolve = (state: ConventionState, event: ConventionEvent): ConventionState => {
  if (event.type === 'ConventionDrafted') {
    const { conventionId, region, title, period, legalBasis } = event.data;
    return {
      status: 'draft',
      conventionId,
      region,
      title,
      period,
      legalBasis: legalBasis ?? [],
      parties: [],
      measures: [],
      signatures: [],
      amendments: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ConventionEdited':
      return { ...state, ...event.data.changes };
    case 'PartyAdded':
      return { ...state, parties: [...state.parties, event.data.party] };
    case 'PartyRemoved':
      return { ...state, parties: state.parties.filter((p) => p.partyId !== event.data.partyId) };
    case 'MeasureAdded':
      return { ...state, measures: [...state.measures, event.data.measure] };
    case 'MeasureChanged':
      return { ...state, measures: replaceMeasure(state.measures, event.data.measure) };
    case 'MeasureRemoved':
      return { ...state, measures: state.measures.filter((m) => m.measureId !== event.data.measureId) };
    case 'SignatureCollected':
      return { ...state, signatures: [...state.signatures, event.data.signature] };
    case 'ConventionSigned':
      return { ...state, status: 'signed', signedOn: event.data.signedOn };
    case 'ConventionAmended':
      return {
        ...state,
        period: event.data.period,
        measures: event.data.measures,
        amendments: [...state.amendments, event.data.amendment],
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

const invalid = (code: string, path: string, message: string): ValidationError =>
  new ValidationError(code, message, [{ path, message }]);

const checkAmounts = (
  target: MeasureTarget | undefined,
  budget: Budget | undefined,
  period: Period,
  at: string,
): void => {
  const negatives = [
    ...(target
      ? [
          ['target.total', target.total] as const,
          ...Object.entries(target.byYear ?? {}).map(([y, n]) => [`target.byYear.${y}`, n] as const),
        ]
      : []),
    ...(budget
      ? [
          ['budget.stateCentimes', budget.stateCentimes] as const,
          ['budget.regionCentimes', budget.regionCentimes] as const,
        ]
      : []),
  ].filter(([, n]) => n < 0);
  if (negatives.length) {
    throw new ValidationError(
      'NEGATIVE_AMOUNT',
      'targets and budgets are never negative',
      negatives.map(([p]) => ({ path: `${at}${p}`, message: 'must not be negative' })),
    );
  }
  for (const year of Object.keys(target?.byYear ?? {})) {
    if (year < period.start.slice(0, 4) || year > period.end.slice(0, 4)) {
      throw invalid(
        'DATE_OUTSIDE_PERIOD',
        `${at}target.byYear.${year}`,
        `${year} is outside the period ${period.start} – ${period.end}`,
      );
    }
  }
};

const checkPeriod = (period: Period): void => {
  if (period.end < period.start)
    throw invalid('PERIOD_ENDS_BEFORE_START', 'period.end', `${period.end} is before the start ${period.start}`);
};

/** Drafting and everything edited before the first signature. */
const decideDraft = (c: ConventionCommand, s: ConventionState): ConventionEvent[] => {
  if (c.type === 'DraftConvention') {
    if (s.status !== 'none')
      throw new IllegalStateError('CONVENTION_ALREADY_EXISTS', `convention ${c.data.conventionId} already exists`);
    checkPeriod(c.data.period);
    return [
      {
        type: 'ConventionDrafted',
        schemaVersion: 1,
        data: {
          ...c.data,
          legalBasis: c.data.legalBasis ?? [],
          draftedAt: c.metadata.now,
          draftedBy: c.metadata.actor,
        },
      },
    ];
  }
  if (c.type === 'SignConvention' || c.type === 'AmendConvention' || c.type === 'CloseConvention')
    return decideSigned(c, s);
  const d = draftOf(s);
  switch (c.type) {
    case 'EditConvention': {
      const period = c.data.period ?? d.period;
      checkPeriod(period);
      for (const m of d.measures) checkAmounts(m.target, m.budget, period, `measures.${m.measureId}.`);
      return [{ type: 'ConventionEdited', data: { conventionId: d.conventionId, changes: c.data } }];
    }
    case 'AddParty':
      if (d.parties.some((p) => p.partyId === c.data.partyId))
        throw new IllegalStateError('PARTY_ALREADY_ADDED', `party ${c.data.partyId} is already a party`);
      return [
        {
          type: 'PartyAdded',
          data: { conventionId: d.conventionId, party: { ...c.data, mustSign: c.data.mustSign ?? true } },
        },
      ];
    case 'RemoveParty':
      if (!d.parties.some((p) => p.partyId === c.data.partyId))
        throw new NotFoundError('PARTY_NOT_FOUND', `no party ${c.data.partyId}`);
      return [{ type: 'PartyRemoved', data: { conventionId: d.conventionId, partyId: c.data.partyId } }];
    case 'AddMeasure': {
      if (d.measures.some((m) => m.measureId === c.data.measureId))
        throw new IllegalStateError('MEASURE_ALREADY_ADDED', `measure ${c.data.measureId} already exists`);
      checkAmounts(c.data.target, c.data.budget, d.period, '');
      return [{ type: 'MeasureAdded', data: { conventionId: d.conventionId, measure: c.data } }];
    }
    case 'ChangeMeasure': {
      const current = d.measures.find((m) => m.measureId === c.data.measureId);
      if (!current) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure ${c.data.measureId}`);
      checkAmounts(c.data.target, c.data.budget, d.period, '');
      return [{ type: 'MeasureChanged', data: { conventionId: d.conventionId, measure: { ...current, ...c.data } } }];
    }
    case 'RemoveMeasure':
      if (!d.measures.some((m) => m.measureId === c.data.measureId))
        throw new NotFoundError('MEASURE_NOT_FOUND', `no measure ${c.data.measureId}`);
      return [{ type: 'MeasureRemoved', data: { conventionId: d.conventionId, measureId: c.data.measureId } }];
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

/** Signatures, amendments and the close. */
const decideSigned = (
  c: Extract<ConventionCommand, { type: 'SignConvention' | 'AmendConvention' | 'CloseConvention' }>,
  s: ConventionState,
): ConventionEvent[] => {
  if (s.status === 'none') throw new NotFoundError('CONVENTION_NOT_FOUND', 'no such convention');
  switch (c.type) {
    case 'SignConvention': {
      if (s.status === 'closed') throw new IllegalStateError('CONVENTION_CLOSED', 'the convention is closed');
      if (s.status === 'signed')
        throw new IllegalStateError('CONVENTION_ALREADY_SIGNED', 'every required signatory has already signed');
      const party: Party | undefined = s.parties.find(
        (p) => p.role === c.data.role && (c.data.partyId === undefined || p.partyId === c.data.partyId),
      );
      if (!party)
        throw new IllegalStateError('SIGNATORY_NOT_A_PARTY', `no party of the convention has the role ${c.data.role}`);
      if (s.signatures.some((x) => x.partyId === party.partyId))
        throw new IllegalStateError('ALREADY_SIGNED_BY_PARTY', `${party.name} has already signed`);
      if (s.measures.length === 0)
        throw new IllegalStateError('CONVENTION_HAS_NO_MEASURES', 'a convention is signed with at least one measure');
      const incomplete = s.measures.filter((m) => !completeMeasure(m));
      if (incomplete.length) {
        throw new IllegalStateError(
          'MEASURE_INCOMPLETE',
          `measures without a target or a budget: ${incomplete.map((m) => m.measureId).join(', ')}`,
          { measures: incomplete.map((m) => m.measureId) },
        );
      }
      if (c.data.date > s.period.end)
        throw invalid('DATE_OUTSIDE_PERIOD', 'date', `${c.data.date} is after the end of the period ${s.period.end}`);
      const signature = {
        partyId: party.partyId,
        role: party.role,
        signatory: c.data.signatory,
        date: c.data.date,
        place: c.data.place,
      };
      const events: ConventionEvent[] = [
        { type: 'SignatureCollected', data: { conventionId: s.conventionId, signature } },
      ];
      if (signatoriesMissing({ ...s, signatures: [...s.signatures, signature] }).length === 0) {
        const signatures = [...s.signatures, signature];
        events.push({
          type: 'ConventionSigned',
          schemaVersion: 1,
          data: {
            conventionId: s.conventionId,
            region: s.region,
            title: s.title,
            period: s.period,
            legalBasis: s.legalBasis,
            signedOn:
              signatures
                .map((x) => x.date)
                .sort()
                .at(-1) ?? c.data.date,
            place: c.data.place,
            signatures,
            measures: s.measures,
          },
        });
      }
      return events;
    }
    case 'AmendConvention': {
      if (s.status === 'closed')
        throw new IllegalStateError('CONVENTION_CLOSED', 'a closed convention cannot be amended');
      if (s.status !== 'signed')
        throw new IllegalStateError(
          'CONVENTION_NOT_SIGNED',
          'before its signature a convention is edited, not amended',
        );
      if (!isInside(c.data.effectiveDate, s.period))
        throw invalid(
          'DATE_OUTSIDE_PERIOD',
          'effectiveDate',
          `${c.data.effectiveDate} is outside the period ${s.period.start} – ${s.period.end}`,
        );
      const period = { ...s.period, ...c.data.period };
      checkPeriod(period);
      let measures: Measure[] = [...s.measures];
      for (const [i, change] of (c.data.measures ?? []).entries()) {
        const current = measures.find((m) => m.measureId === change.measureId);
        if (!current) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure ${change.measureId}`);
        checkAmounts(change.target, change.budget, period, `measures.${i}.`);
        measures = replaceMeasure(measures, {
          ...current,
          ...(change.target ? { target: change.target } : {}),
          ...(change.budget ? { budget: change.budget } : {}),
        });
      }
      for (const m of measures) checkAmounts(m.target, undefined, period, `measures.${m.measureId}.`);
      if (
        JSON.stringify(measures) === JSON.stringify(s.measures) &&
        JSON.stringify(period) === JSON.stringify(s.period)
      ) {
        throw new IllegalStateError('AMENDMENT_CHANGES_NOTHING', 'the amendment changes no target, budget or date');
      }
      const amendment: Amendment = {
        number: s.amendments.length + 1,
        effectiveDate: c.data.effectiveDate,
        reason: c.data.reason,
        recordedAt: c.metadata.now,
        recordedBy: c.metadata.actor,
      };
      return [
        {
          type: 'ConventionAmended',
          schemaVersion: 1,
          data: { conventionId: s.conventionId, region: s.region, amendment, period, measures },
        },
      ];
    }
    case 'CloseConvention': {
      if (s.status === 'closed') throw new IllegalStateError('CONVENTION_CLOSED', 'the convention is already closed');
      if (s.status !== 'signed')
        throw new IllegalStateError('CONVENTION_NOT_SIGNED', 'only a signed convention is closed');
      if (c.data.date < s.period.start)
        throw invalid('DATE_OUTSIDE_PERIOD', 'date', `${c.data.date} is before the period starts (${s.period.start})`);
      const early = c.data.date < s.period.end;
      if (early && !c.data.reason?.trim())
        throw invalid('TERMINATION_NEEDS_REASON', 'reason', 'a convention ended before its period ends needs a reason');
      return [
        {
          type: 'ConventionClosed',
          schemaVersion: 1,
          data: {
            conventionId: s.conventionId,
            region: s.region,
            date: c.data.date,
            early,
            ...(c.data.reason ? { reason: c.data.reason } : {}),
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

export const conventionDecider: Decider<ConventionCommand, ConventionState, ConventionEvent> = {
  initialState,
  evolve,
  decide: (command, state) => decideDraft(command, state),
};
