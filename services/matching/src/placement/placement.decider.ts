import type { IntegrationEvent, RegionCode } from '@tashghil/contracts';
import {
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type Command,
  type ModelledDecider,
} from '@tashghil/event-store';
import type { ContractType } from '../offer/offer.decider';
import type { ScoreParts } from '../matching-run/scoring';
import { placementQueryModel } from './placement.query-model';

/** The seeker's categories as they stood at the proposal, for subsidies and reporting: no identity. */
export interface Categories {
  readonly gender: 'female' | 'male';
  readonly ageBand: 'under_25' | '25_34' | '35_54' | '55_plus';
  readonly disability: boolean;
  readonly hasDiploma: boolean;
  readonly area: 'rural' | 'urban';
  readonly monthsRegistered: number;
  readonly longTermUnemployed: boolean;
  readonly pandemicJobLoss: boolean;
}

export interface Proposal {
  readonly placementId: string;
  readonly runId?: string;
  readonly seekerId: string;
  readonly offerId: string;
  readonly score: number;
  readonly parts: ScoreParts;
  readonly reasons: readonly string[];
  readonly origin: { readonly region: RegionCode; readonly province: string };
  readonly destination: { readonly region: RegionCode; readonly province: string; readonly abroadCountry?: string };
  readonly employer: { readonly kind: string; readonly id: string; readonly sector: string };
  readonly occupation: string;
  readonly categories: Categories;
}

export interface Hire {
  readonly contractType: ContractType;
  readonly startDate: string;
  readonly contractMonths: number;
  readonly monthlyWageCentimes: number;
}

export type ProposePlacement = Command<'ProposePlacement', Proposal>;
export type AnswerProposal = Command<'AnswerProposal', { readonly accepted: boolean; readonly reason?: string }>;
export type ScheduleInterview = Command<'ScheduleInterview', { readonly date: string }>;
export type RecordHire = Command<'RecordHire', Hire>;
export type RejectCandidate = Command<'RejectCandidate', { readonly reason: string }>;
export type PlacementCommand = ProposePlacement | AnswerProposal | ScheduleInterview | RecordHire | RejectCandidate;

export type Flow = 'own_region' | 'other_region' | 'abroad';
type Ev<T extends string, D> = {
  readonly type: T;
  readonly schemaVersion?: number;
  readonly data: D & { readonly placementId: string; readonly on: string };
};
export type PlacementEvent =
  // The proposal keeps who and where for the fold; the contract carries what a consumer of proposals reads.
  | IntegrationEvent<'PlacementProposed', Proposal>
  | Ev<'ProposalAccepted', Record<never, never>>
  | Ev<'ProposalDeclined', { readonly reason?: string }>
  | Ev<'InterviewScheduled', { readonly date: string }>
  | IntegrationEvent<'SeekerHired', { readonly contractType: ContractType }>
  | Ev<'CandidateRejected', { readonly reason: string }>;

export type PlacementStatus = 'proposed' | 'accepted' | 'declined' | 'interviewing' | 'hired' | 'rejected';
export type Placement =
  | { readonly status: 'none' }
  | (Proposal & {
      readonly status: PlacementStatus;
      /** The day it was proposed: lists sort by it, newest first. */
      readonly proposedOn: string;
      readonly interviewOn?: string;
      readonly hire?: Hire;
    });

export const placementStreamId = (placementId: string): string => `matching.placement-${placementId}`;

export const flowOf = (p: Pick<Proposal, 'origin' | 'destination'>): Flow =>
  p.destination.abroadCountry ? 'abroad' : p.destination.region === p.origin.region ? 'own_region' : 'other_region';

const initialState = (): Placement => ({ status: 'none' });

const evolve = (s: Placement, e: PlacementEvent): Placement => {
  if (e.type === 'PlacementProposed') {
    const { on, ...proposal } = e.data;
    return { ...proposal, status: 'proposed', proposedOn: on };
  }
  if (s.status === 'none') return s;
  switch (e.type) {
    case 'ProposalAccepted':
      return { ...s, status: 'accepted' };
    case 'ProposalDeclined':
      return { ...s, status: 'declined' };
    case 'InterviewScheduled':
      return { ...s, status: 'interviewing', interviewOn: e.data.date };
    case 'SeekerHired': {
      const { contractType, startDate, contractMonths, monthlyWageCentimes } = e.data;
      return { ...s, status: 'hired', hire: { contractType, startDate, contractMonths, monthlyWageCentimes } };
    }
    case 'CandidateRejected':
      return { ...s, status: 'rejected' };
    default: {
      const _exhaustive: never = e;
      return s;
    }
  }
};

const requireStatus = (
  s: Exclude<Placement, { status: 'none' }>,
  allowed: readonly PlacementStatus[],
  what: string,
): void => {
  if (!allowed.includes(s.status))
    throw new IllegalStateError('PLACEMENT_WRONG_STATE', `a placement that is ${s.status} cannot ${what}`);
};

type Active = Exclude<Placement, { status: 'none' }>;
const today = (c: PlacementCommand): string => c.metadata.now.slice(0, 10);

const existing = (s: Placement): Active => {
  if (s.status === 'none') throw new NotFoundError('PLACEMENT_NOT_FOUND', 'no such placement');
  return s;
};

const propose = (c: ProposePlacement, s: Placement): PlacementEvent[] => {
  if (s.status !== 'none')
    throw new IllegalStateError('PLACEMENT_ALREADY_PROPOSED', `placement ${c.data.placementId} already exists`);
  return [{ type: 'PlacementProposed', schemaVersion: 1, data: { ...c.data, on: today(c) } }];
};

const answer = (c: AnswerProposal, p: Active): PlacementEvent[] => {
  requireStatus(p, ['proposed'], 'be answered');
  const id = { placementId: p.placementId, on: today(c) };
  return c.data.accepted
    ? [{ type: 'ProposalAccepted', data: id }]
    : [{ type: 'ProposalDeclined', data: { ...id, ...(c.data.reason ? { reason: c.data.reason } : {}) } }];
};

const scheduleInterview = (c: ScheduleInterview, p: Active): PlacementEvent[] => {
  requireStatus(p, ['accepted'], 'go to interview');
  const on = today(c);
  if (c.data.date < on)
    throw new ValidationError('DATE_IN_THE_PAST', 'an interview is scheduled ahead', [
      { path: 'date', message: `${c.data.date} has passed` },
    ]);
  return [{ type: 'InterviewScheduled', data: { placementId: p.placementId, on, date: c.data.date } }];
};

const recordHire = (c: RecordHire, p: Active): PlacementEvent[] => {
  requireStatus(p, ['interviewing'], 'be hired');
  const fields: Array<{ path: string; message: string }> = [];
  if (!Number.isInteger(c.data.monthlyWageCentimes) || c.data.monthlyWageCentimes <= 0)
    fields.push({ path: 'monthlyWageCentimes', message: 'a positive whole number of centimes' });
  if (!Number.isInteger(c.data.contractMonths) || c.data.contractMonths < 1)
    fields.push({ path: 'contractMonths', message: 'at least one month' });
  if (p.interviewOn && c.data.startDate < p.interviewOn)
    fields.push({ path: 'startDate', message: 'the contract starts after the interview' });
  if (fields.length) throw new ValidationError('INVALID_HIRE', 'the hire cannot be recorded as it is', fields);
  const { placementId, score: _s, parts: _parts, reasons: _r, runId: _run, ...who } = p;
  const { status: _status, proposedOn: _p, interviewOn: _i, hire: _h, ...rest } = who;
  return [
    {
      type: 'SeekerHired',
      schemaVersion: 1,
      data: { placementId, on: today(c), ...rest, ...c.data, flow: flowOf(p) },
    },
  ];
};

const reject = (c: RejectCandidate, p: Active): PlacementEvent[] => {
  requireStatus(p, ['interviewing', 'accepted'], 'be rejected');
  return [{ type: 'CandidateRejected', data: { placementId: p.placementId, on: today(c), reason: c.data.reason } }];
};

const decide = (c: PlacementCommand, s: Placement): PlacementEvent[] => {
  switch (c.type) {
    case 'ProposePlacement':
      return propose(c, s);
    case 'AnswerProposal':
      return answer(c, existing(s));
    case 'ScheduleInterview':
      return scheduleInterview(c, existing(s));
    case 'RecordHire':
      return recordHire(c, existing(s));
    case 'RejectCandidate':
      return reject(c, existing(s));
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

/** Its query model, q.placements, is written in the transaction of every append to a placement's stream. */
export const placementDecider: ModelledDecider<PlacementCommand, Placement, PlacementEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: placementQueryModel,
};
