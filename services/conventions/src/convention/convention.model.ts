import type { IntegrationEvent, RegionCode } from '@tashghil/contracts';
import { IllegalStateError, NotFoundError, type Command } from '@tashghil/event-store';
import type { AppendList } from '@tashghil/event-store';

export interface Period {
  readonly start: string;
  readonly end: string;
}

export const PARTY_ROLES = ['minister_employment', 'wali', 'region_president', 'employment_agency', 'other'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export const PROGRAMME_LINES = [
  'idmaj_training_contracts',
  'tahfiz',
  'taehil',
  'self_employment',
  'associations_employment',
  'qualifying_training_no_diploma',
  'awrach_temporary_works',
  'awrach_lasting_integration',
  'other',
] as const;
export type ProgrammeLine = (typeof PROGRAMME_LINES)[number];

export interface Party {
  readonly partyId: string;
  readonly name: string;
  readonly role: PartyRole;
  readonly mustSign: boolean;
}

/** A beneficiary target: the total, and per calendar year where the convention gives it. */
export interface MeasureTarget {
  readonly total: number;
  readonly byYear?: Readonly<Record<string, number>>;
}

/** Money is integer centimes of MAD, never a float. */
export interface Budget {
  readonly stateCentimes: number;
  readonly regionCentimes: number;
}

export interface Measure {
  readonly measureId: string;
  readonly programmeLine: ProgrammeLine;
  /** Names the line when it is `other`, or says more about it. */
  readonly label?: string;
  readonly target?: MeasureTarget;
  readonly budget?: Budget;
}

export interface Signature {
  readonly partyId: string;
  readonly role: PartyRole;
  readonly signatory: string;
  readonly date: string;
  readonly place: string;
}

export interface Amendment {
  readonly number: number;
  readonly effectiveDate: string;
  readonly reason: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

interface ConventionFile {
  readonly conventionId: string;
  readonly region: RegionCode;
  readonly title: string;
  readonly period: Period;
  readonly legalBasis: readonly string[];
  readonly parties: AppendList<Party>;
  readonly measures: AppendList<Measure>;
  readonly signatures: AppendList<Signature>;
  readonly amendments: AppendList<Amendment>;
}

export type ConventionState =
  | { readonly status: 'none' }
  | (ConventionFile & { readonly status: 'draft' })
  | (ConventionFile & { readonly status: 'signed'; readonly signedOn: string })
  | (ConventionFile & {
      readonly status: 'closed';
      readonly signedOn?: string;
      readonly closure: { readonly date: string; readonly early: boolean; readonly reason?: string };
    });

export type Convention = ConventionState;

type Cmd<T extends string, D> = Command<T, D>;
export type DraftConvention = Cmd<
  'DraftConvention',
  {
    readonly conventionId: string;
    readonly region: RegionCode;
    readonly title: string;
    readonly period: Period;
    readonly legalBasis?: readonly string[];
  }
>;
export type EditConvention = Cmd<
  'EditConvention',
  { readonly title?: string; readonly period?: Period; readonly legalBasis?: readonly string[] }
>;
export type AddParty = Cmd<
  'AddParty',
  { readonly partyId: string; readonly name: string; readonly role: PartyRole; readonly mustSign?: boolean }
>;
export type RemoveParty = Cmd<'RemoveParty', { readonly partyId: string }>;
export type AddMeasure = Cmd<'AddMeasure', Measure>;
export type ChangeMeasure = Cmd<'ChangeMeasure', Pick<Measure, 'measureId'> & Partial<Omit<Measure, 'measureId'>>>;
export type RemoveMeasure = Cmd<'RemoveMeasure', { readonly measureId: string }>;
export type SignConvention = Cmd<
  'SignConvention',
  {
    readonly role: PartyRole;
    readonly partyId?: string;
    readonly signatory: string;
    readonly date: string;
    readonly place: string;
  }
>;
export type AmendConvention = Cmd<
  'AmendConvention',
  {
    readonly effectiveDate: string;
    readonly reason: string;
    readonly period?: Partial<Period>;
    readonly measures?: ReadonlyArray<{
      readonly measureId: string;
      readonly target?: MeasureTarget;
      readonly budget?: Budget;
    }>;
  }
>;
export type CloseConvention = Cmd<'CloseConvention', { readonly date: string; readonly reason?: string }>;

export type ConventionCommand =
  | DraftConvention
  | EditConvention
  | AddParty
  | RemoveParty
  | AddMeasure
  | ChangeMeasure
  | RemoveMeasure
  | SignConvention
  | AmendConvention
  | CloseConvention;

type Ev<T extends string, D> = { readonly type: T; readonly schemaVersion?: number; readonly data: D };
export type ConventionDrafted = IntegrationEvent<'ConventionDrafted'>;
export type ConventionEvent =
  | ConventionDrafted
  | Ev<'ConventionEdited', { readonly conventionId: string; readonly changes: EditConvention['data'] }>
  | Ev<'PartyAdded', { readonly conventionId: string; readonly party: Party }>
  | Ev<'PartyRemoved', { readonly conventionId: string; readonly partyId: string }>
  | Ev<'MeasureAdded', { readonly conventionId: string; readonly measure: Measure }>
  | Ev<'MeasureChanged', { readonly conventionId: string; readonly measure: Measure }>
  | Ev<'MeasureRemoved', { readonly conventionId: string; readonly measureId: string }>
  | Ev<'SignatureCollected', { readonly conventionId: string; readonly signature: Signature }>
  | IntegrationEvent<'ConventionSigned'>
  // The contract reads a measure's line as any text; the convention keeps it one of its programme lines.
  | IntegrationEvent<'ConventionAmended', { readonly measures: readonly Measure[] }>
  | IntegrationEvent<'ConventionClosed'>;

export const completeMeasure = (m: Measure): boolean => m.target !== undefined && m.budget !== undefined;

export const isInside = (date: string, period: Period): boolean => date >= period.start && date <= period.end;

export const signatoriesMissing = (s: Pick<ConventionFile, 'parties' | 'signatures'>): Party[] =>
  s.parties.filter((p) => p.mustSign && !s.signatures.some((x) => x.partyId === p.partyId));

/** The convention while it may still be edited: drafted, and no signature collected yet. */
export const draftOf = (s: ConventionState): ConventionFile => {
  if (s.status === 'none') throw new NotFoundError('CONVENTION_NOT_FOUND', 'no such convention');
  if (s.status !== 'draft' || s.signatures.length > 0) {
    throw new IllegalStateError(
      'CONVENTION_NOT_EDITABLE',
      'once signing has begun the convention changes only by amendment',
    );
  }
  return s;
};

/** Where a signed convention stands on a day: active inside its period. */
export const signedPhaseOn = (period: Period, today: string): string => {
  if (today < period.start) return 'signed';
  return today > period.end ? 'period-ended' : 'active';
};

/** Where the convention stands on a day: a signed convention is active inside its period. */
export const phaseOn = (s: ConventionState, today: string): string => {
  if (s.status === 'none') return 'none';
  if (s.status === 'closed') return s.closure.early ? 'terminated' : 'closed';
  if (s.status === 'draft') return s.signatures.length ? 'collecting-signatures' : 'draft';
  return signedPhaseOn(s.period, today);
};
