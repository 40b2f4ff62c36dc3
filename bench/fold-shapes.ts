/** The stream shapes of bench/folds.bench.ts for conventions and matching, each with the copying fold it replaced. */
import {
  committeeDecider,
  type Committee,
  type CommitteeEvent,
} from '../services/conventions/src/committee/committee.decider';
import {
  conventionDecider,
  type ConventionEvent,
  type ConventionState,
  type Measure,
  type Party,
} from '../services/conventions/src/convention/convention.decider';
import { offerDecider, type Offer, type OfferEvent } from '../services/matching/src/offer/offer.decider';

export interface Shape {
  readonly name: string;
  readonly events: (count: number) => readonly unknown[];
  /** The decider's fold as it is now. */
  readonly fold: (events: readonly unknown[]) => unknown;
  /** The fold it replaced, copying each list on every event. */
  readonly copyFold: (events: readonly unknown[]) => unknown;
  /** How many items the folded state holds, so a fold that dropped events would show. */
  readonly items: (state: unknown) => number;
}

export const meta = { actor: 'bench', now: '2022-04-22T16:00:00.000Z' };

export const committee: Shape = (() => {
  const established: CommitteeEvent = {
    type: 'CommitteeEstablished',
    schemaVersion: 1,
    data: {
      committeeId: 'cr-bench',
      region: 'MA-10',
      programme: 'awrach',
      kind: 'regional',
      chair: { name: 'Président', role: 'président' },
      secretary: { name: 'Secrétaire', role: 'secrétaire' },
      members: [],
      establishedBy: meta.actor,
      establishedAt: meta.now,
    },
  };
  const held = (n: number): CommitteeEvent => ({
    type: 'CommitteeMeetingHeld',
    schemaVersion: 1,
    data: {
      committeeId: 'cr-bench',
      meetingId: `m-${n}`,
      date: '2022-04-22',
      place: 'Guelmim',
      agenda: ['programmation'],
      attendance: [],
      recordedBy: meta.actor,
      recordedAt: meta.now,
    },
  });
  const decided = (n: number): CommitteeEvent => ({
    type: 'CommitteeDecisionRecorded',
    schemaVersion: 1,
    data: {
      committeeId: 'cr-bench',
      region: 'MA-10',
      programme: 'awrach',
      kind: 'regional',
      decisionNumber: `d-${n}`,
      meetingId: `m-${n}`,
      date: '2022-04-22',
      subject: 'programmation',
      outcome: 'approved',
      references: [],
      recordedBy: meta.actor,
      recordedAt: meta.now,
    },
  });
  type Copied = { status: 'none' } | { status: 'established'; meetings: unknown[]; decisions: unknown[] };
  const copyEvolve = (state: Copied, event: CommitteeEvent): Copied => {
    switch (event.type) {
      case 'CommitteeEstablished': {
        const { establishedBy: _by, establishedAt: _at, ...rest } = event.data;
        return { status: 'established', ...rest, meetings: [], decisions: [] };
      }
      case 'CommitteeMembershipUpdated':
        return state.status === 'none' ? state : { ...state, ...event.data };
      case 'CommitteeMeetingHeld': {
        if (state.status === 'none') return state;
        const { committeeId: _id, recordedBy: _by, recordedAt: _at, ...meeting } = event.data;
        return { ...state, meetings: [...state.meetings, meeting] };
      }
      case 'CommitteeDecisionRecorded': {
        if (state.status === 'none') return state;
        const { decisionNumber, meetingId, date, subject, outcome, references } = event.data;
        return {
          ...state,
          decisions: [...state.decisions, { decisionNumber, meetingId, date, subject, outcome, references }],
        };
      }
    }
  };
  return {
    name: 'committee: meetings and decisions',
    events: (count) => [established, ...Array.from({ length: count - 1 }, (_, i) => (i % 2 ? decided(i) : held(i)))],
    fold: (events) => (events as CommitteeEvent[]).reduce(committeeDecider.evolve, committeeDecider.initialState()),
    copyFold: (events) => (events as CommitteeEvent[]).reduce(copyEvolve, { status: 'none' } as Copied),
    items: (state) => {
      const folded = state as Committee | Copied;
      return folded.status === 'none' ? 0 : folded.meetings.length + folded.decisions.length;
    },
  };
})();

export const offer: Shape = (() => {
  const step = { offerId: 'o-bench', on: '2024-03-01', by: meta.actor };
  const head = (positions: number): OfferEvent[] => [
    {
      type: 'OfferReceived',
      schemaVersion: 1,
      data: {
        ...step,
        employer: { kind: 'company', id: 'e', name: 'Employeur (fictif)', sector: 'automotive' },
        region: 'MA-09',
        province: 'Agadir-Ida Ou Tanane',
        occupation: '8211',
        positions,
        requiredEducation: 'vocational',
        skills: [],
        contractType: 'permanent',
        mass: true,
        validUntil: '2024-12-31',
      },
    },
    { type: 'OfferValidated', data: step },
    {
      type: 'OfferPublished',
      schemaVersion: 1,
      data: { ...step, region: 'MA-09', occupation: '8211', positions, mass: true, opensToOtherRegionsOn: step.on },
    },
  ];
  type Copied = { status: string; steps: unknown[]; placements: string[]; filled: number };
  const copyEvolve = (state: Copied, event: OfferEvent): Copied => {
    const entry = { step: event.type, on: event.data.on, by: event.data.by };
    if (event.type === 'OfferReceived')
      return { ...event.data, status: 'received', filled: 0, placements: [], steps: [entry] };
    const next = { ...state, steps: [...state.steps, entry] };
    switch (event.type) {
      case 'OfferPositionFilled':
        return { ...next, filled: event.data.filled, placements: [...state.placements, event.data.placementId] };
      case 'OfferValidated':
        return { ...next, status: 'validated' };
      case 'OfferPublished':
        return { ...next, status: 'published' };
      default:
        return next;
    }
  };
  return {
    name: 'offer: a mass offer filled',
    events: (count) => [
      ...head(count),
      ...Array.from(
        { length: count - 3 },
        (_, i): OfferEvent => ({
          type: 'OfferPositionFilled',
          data: { ...step, placementId: `p-${i}`, filled: i + 1, positions: count },
        }),
      ),
    ],
    fold: (events) => (events as OfferEvent[]).reduce(offerDecider.evolve, offerDecider.initialState()),
    copyFold: (events) =>
      (events as OfferEvent[]).reduce(copyEvolve, { status: 'none', steps: [], placements: [], filled: 0 }),
    items: (state) => {
      const folded = state as Exclude<Offer, { status: 'none' }> | Copied;
      return folded.steps.length + folded.placements.length;
    },
  };
})();

export const convention: Shape = (() => {
  const conventionId = 'bench';
  const drafted: ConventionEvent = {
    type: 'ConventionDrafted',
    schemaVersion: 1,
    data: {
      conventionId,
      region: 'MA-09',
      title: 'Convention (banc d’essai)',
      period: { start: '2020-01-01', end: '2022-12-31' },
      legalBasis: [],
      draftedAt: meta.now,
      draftedBy: meta.actor,
    },
  };
  const party = (n: number): Party => ({ partyId: `p-${n}`, name: `Partie ${n}`, role: 'other', mustSign: true });
  const measure = (n: number): Measure => ({ measureId: `m-${n}`, programmeLine: 'tahfiz' });
  const event = (n: number): ConventionEvent => {
    const k = Math.floor(n / 3);
    if (n % 3 === 0) return { type: 'PartyAdded', data: { conventionId, party: party(k) } };
    if (n % 3 === 1) return { type: 'MeasureAdded', data: { conventionId, measure: measure(k) } };
    const signature = {
      partyId: `p-${k}`,
      role: 'other' as const,
      signatory: 'x',
      date: '2021-03-15',
      place: 'Agadir',
    };
    return { type: 'SignatureCollected', data: { conventionId, signature } };
  };
  type Copied = { status: string; parties: unknown[]; measures: unknown[]; signatures: unknown[] };
  const copyEvolve = (state: Copied, event: ConventionEvent): Copied => {
    switch (event.type) {
      case 'ConventionDrafted':
        return { ...event.data, status: 'draft', parties: [], measures: [], signatures: [] };
      case 'PartyAdded':
        return { ...state, parties: [...state.parties, event.data.party] };
      case 'MeasureAdded':
        return { ...state, measures: [...state.measures, event.data.measure] };
      case 'SignatureCollected':
        return { ...state, signatures: [...state.signatures, event.data.signature] };
      default:
        return state;
    }
  };
  return {
    name: 'convention: parties, measures, signatures',
    events: (count) => [drafted, ...Array.from({ length: count - 1 }, (_, n) => event(n))],
    fold: (events) => (events as ConventionEvent[]).reduce(conventionDecider.evolve, conventionDecider.initialState()),
    copyFold: (events) =>
      (events as ConventionEvent[]).reduce(copyEvolve, { status: 'none', parties: [], measures: [], signatures: [] }),
    items: (state) => {
      const folded = state as Exclude<ConventionState, { status: 'none' }> | Copied;
      return folded.parties.length + folded.measures.length + folded.signatures.length;
    },
  };
})();
