import { IllegalStateError, NotFoundError, invalidField } from '@tashghil/event-store';
import { checkAmounts, checkPeriod, replaceMeasure } from './convention-state.decider';
import {
  completeMeasure,
  isInside,
  signatoriesMissing,
  type AmendConvention,
  type Amendment,
  type CloseConvention,
  type ConventionEvent,
  type ConventionState,
  type Measure,
  type SignConvention,
} from './convention.model';

/** A convention that was drafted, whatever has happened to it since. */
type Drafted = Exclude<ConventionState, { status: 'none' }>;

export const signConvention = (command: SignConvention, state: Drafted): ConventionEvent[] => {
  if (state.status === 'closed') throw new IllegalStateError('CONVENTION_CLOSED', 'the convention is closed');
  if (state.status === 'signed')
    throw new IllegalStateError('CONVENTION_ALREADY_SIGNED', 'every required signatory has already signed');
  const { role, partyId, signatory, date, place } = command.data;
  const party = state.parties.find(
    (candidate) => candidate.role === role && (partyId === undefined || candidate.partyId === partyId),
  );
  if (!party) throw new IllegalStateError('SIGNATORY_NOT_A_PARTY', `no party of the convention has the role ${role}`);
  if (state.signatures.some((signature) => signature.partyId === party.partyId))
    throw new IllegalStateError('ALREADY_SIGNED_BY_PARTY', `${party.name} has already signed`);
  if (state.measures.length === 0)
    throw new IllegalStateError('CONVENTION_HAS_NO_MEASURES', 'a convention is signed with at least one measure');
  const incomplete = state.measures.filter((measure) => !completeMeasure(measure));
  if (incomplete.length) {
    throw new IllegalStateError(
      'MEASURE_INCOMPLETE',
      `measures without a target or a budget: ${incomplete.map((measure) => measure.measureId).join(', ')}`,
      { measures: incomplete.map((measure) => measure.measureId) },
    );
  }
  if (date > state.period.end)
    throw invalidField('DATE_OUTSIDE_PERIOD', 'date', `${date} is after the end of the period ${state.period.end}`);
  const signature = { partyId: party.partyId, role: party.role, signatory, date, place };
  const collected: ConventionEvent = {
    type: 'SignatureCollected',
    data: { conventionId: state.conventionId, signature },
  };
  const signatures = state.signatures.append(signature);
  if (signatoriesMissing({ parties: state.parties, signatures }).length > 0) return [collected];
  return [
    collected,
    {
      type: 'ConventionSigned',
      schemaVersion: 1,
      data: {
        conventionId: state.conventionId,
        region: state.region,
        title: state.title,
        period: state.period,
        legalBasis: state.legalBasis,
        signedOn:
          signatures
            .map((collectedSignature) => collectedSignature.date)
            .sort()
            .at(-1) ?? date,
        place,
        signatures: signatures.toArray(),
        measures: state.measures.toArray(),
      },
    },
  ];
};

export const amendConvention = (command: AmendConvention, state: Drafted): ConventionEvent[] => {
  if (state.status === 'closed')
    throw new IllegalStateError('CONVENTION_CLOSED', 'a closed convention cannot be amended');
  if (state.status !== 'signed')
    throw new IllegalStateError('CONVENTION_NOT_SIGNED', 'before its signature a convention is edited, not amended');
  const { effectiveDate, reason } = command.data;
  if (!isInside(effectiveDate, state.period))
    throw invalidField(
      'DATE_OUTSIDE_PERIOD',
      'effectiveDate',
      `${effectiveDate} is outside the period ${state.period.start} – ${state.period.end}`,
    );
  const period = { ...state.period, ...command.data.period };
  checkPeriod(period);
  let measures: Measure[] = [...state.measures];
  for (const [index, change] of (command.data.measures ?? []).entries()) {
    const current = measures.find((measure) => measure.measureId === change.measureId);
    if (!current) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure ${change.measureId}`);
    checkAmounts(change.target, change.budget, period, `measures.${index}.`);
    measures = replaceMeasure(measures, {
      ...current,
      ...(change.target ? { target: change.target } : {}),
      ...(change.budget ? { budget: change.budget } : {}),
    });
  }
  for (const measure of measures) checkAmounts(measure.target, undefined, period, `measures.${measure.measureId}.`);
  if (
    JSON.stringify(measures) === JSON.stringify(state.measures) &&
    JSON.stringify(period) === JSON.stringify(state.period)
  ) {
    throw new IllegalStateError('AMENDMENT_CHANGES_NOTHING', 'the amendment changes no target, budget or date');
  }
  const amendment: Amendment = {
    number: state.amendments.length + 1,
    effectiveDate,
    reason,
    recordedAt: command.metadata.now,
    recordedBy: command.metadata.actor,
  };
  return [
    {
      type: 'ConventionAmended',
      schemaVersion: 1,
      data: { conventionId: state.conventionId, region: state.region, amendment, period, measures },
    },
  ];
};

export const closeConvention = (command: CloseConvention, state: Drafted): ConventionEvent[] => {
  if (state.status === 'closed') throw new IllegalStateError('CONVENTION_CLOSED', 'the convention is already closed');
  if (state.status !== 'signed')
    throw new IllegalStateError('CONVENTION_NOT_SIGNED', 'only a signed convention is closed');
  const { date, reason } = command.data;
  if (date < state.period.start)
    throw invalidField('DATE_OUTSIDE_PERIOD', 'date', `${date} is before the period starts (${state.period.start})`);
  const early = date < state.period.end;
  if (early && !reason?.trim())
    throw invalidField(
      'TERMINATION_NEEDS_REASON',
      'reason',
      'a convention ended before its period ends needs a reason',
    );
  return [
    {
      type: 'ConventionClosed',
      schemaVersion: 1,
      data: {
        conventionId: state.conventionId,
        region: state.region,
        date,
        early,
        ...(reason ? { reason } : {}),
      },
    },
  ];
};
