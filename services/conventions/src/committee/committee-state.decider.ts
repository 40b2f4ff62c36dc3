import type { IntegrationEvent, RegionCode } from '@tashghil/contracts';
import { AppendList } from '@tashghil/event-store';
import type { Command } from '@tashghil/event-store';

export type CommitteeKind = 'regional' | 'technical';
export type DecisionOutcome = 'approved' | 'rejected' | 'deferred' | 'noted';

/** The chair or the secretary: a named person in an office, e.g. the ANAPEC regional director. */
export interface Seat {
  readonly name: string;
  readonly role: string;
}

export interface Member extends Seat {
  readonly organisation?: string;
}

export interface Attendee extends Seat {
  readonly present: boolean;
}

export interface FileReference {
  readonly kind: string;
  readonly id: string;
}

export interface Meeting {
  readonly meetingId: string;
  readonly date: string;
  readonly place: string;
  readonly agenda: readonly string[];
  readonly attendance: readonly Attendee[];
  readonly minutes?: string;
}

export interface Decision {
  readonly decisionNumber: string;
  readonly meetingId?: string;
  readonly date: string;
  readonly subject: string;
  readonly outcome: DecisionOutcome;
  readonly references: readonly FileReference[];
}

/** The parent committee as the store held it when the command was made; looked up by the caller. */
export interface ParentCommittee {
  readonly committeeId: string;
  readonly kind: CommitteeKind;
  readonly region: RegionCode;
  readonly programme: string;
}

export interface Membership {
  readonly chair: Seat;
  readonly secretary: Seat;
  readonly members: readonly Member[];
}

interface Charter {
  readonly committeeId: string;
  readonly region: RegionCode;
  readonly programme: string;
  readonly kind: CommitteeKind;
  readonly parentCommitteeId?: string;
}

export type EstablishCommittee = Command<
  'EstablishCommittee',
  Charter & Membership & { readonly parent?: ParentCommittee }
>;
export type UpdateMembership = Command<
  'UpdateMembership',
  {
    readonly committeeId: string;
    readonly members: readonly Member[];
    readonly chair?: Seat;
    readonly secretary?: Seat;
  }
>;
export type HoldMeeting = Command<'HoldMeeting', Meeting & { readonly committeeId: string }>;
export type RecordDecision = Command<'RecordDecision', Decision & { readonly committeeId: string }>;

export type CommitteeCommand = EstablishCommittee | UpdateMembership | HoldMeeting | RecordDecision;

export type CommitteeEstablished = {
  readonly type: 'CommitteeEstablished';
  readonly schemaVersion: 1;
  readonly data: Charter & Membership & { readonly establishedBy: string; readonly establishedAt: string };
};
export type CommitteeMembershipUpdated = {
  readonly type: 'CommitteeMembershipUpdated';
  readonly schemaVersion: 1;
  readonly data: Membership & { readonly committeeId: string; readonly updatedBy: string; readonly updatedAt: string };
};
export type CommitteeMeetingHeld = {
  readonly type: 'CommitteeMeetingHeld';
  readonly schemaVersion: 1;
  readonly data: Meeting & { readonly committeeId: string; readonly recordedBy: string; readonly recordedAt: string };
};
/** The integration event: it names the committee fully, so a consumer needs no other event. */
export type CommitteeDecisionRecorded = IntegrationEvent<'CommitteeDecisionRecorded'>;

export type CommitteeEvent =
  | CommitteeEstablished
  | CommitteeMembershipUpdated
  | CommitteeMeetingHeld
  | CommitteeDecisionRecorded;

/** Meetings and decisions only grow, one event each: append lists keep the fold of a long-lived committee linear. */
export type EstablishedCommittee = Charter &
  Membership & {
    readonly status: 'established';
    readonly meetings: AppendList<Meeting>;
    readonly decisions: AppendList<Decision>;
  };
export type Committee = { readonly status: 'none' } | EstablishedCommittee;

export const COMMITTEE_CATEGORY = 'conventions.committee';
export const committeeStreamId = (committeeId: string): string => `${COMMITTEE_CATEGORY}-${committeeId}`;

export const parentFrom = (state: Committee): ParentCommittee | undefined =>
  state.status === 'established'
    ? { committeeId: state.committeeId, kind: state.kind, region: state.region, programme: state.programme }
    : undefined;

export const initialState = (): Committee => ({ status: 'none' });

export const evolve = (state: Committee, event: CommitteeEvent): Committee => {
  switch (event.type) {
    case 'CommitteeEstablished': {
      const { establishedBy: _by, establishedAt: _at, ...committee } = event.data;
      return { status: 'established', ...committee, meetings: AppendList.empty(), decisions: AppendList.empty() };
    }
    case 'CommitteeMembershipUpdated': {
      if (state.status === 'none') return state;
      const { chair, secretary, members } = event.data;
      return { ...state, chair, secretary, members };
    }
    case 'CommitteeMeetingHeld': {
      if (state.status === 'none') return state;
      const { committeeId: _id, recordedBy: _by, recordedAt: _at, ...meeting } = event.data;
      return { ...state, meetings: state.meetings.append(meeting) };
    }
    case 'CommitteeDecisionRecorded': {
      if (state.status === 'none') return state;
      const { decisionNumber, meetingId, date, subject, outcome, references } = event.data;
      const decision = { decisionNumber, ...(meetingId ? { meetingId } : {}), date, subject, outcome, references };
      return { ...state, decisions: state.decisions.append(decision) };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
