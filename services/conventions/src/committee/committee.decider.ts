import { IllegalStateError, NotFoundError, ValidationError, type Command, type Decider } from '@tashghil/event-store';

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
  readonly region: string;
  readonly programme: string;
}

interface Membership {
  readonly chair: Seat;
  readonly secretary: Seat;
  readonly members: readonly Member[];
}

interface Charter {
  readonly committeeId: string;
  readonly region: string;
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
export type CommitteeDecisionRecorded = {
  readonly type: 'CommitteeDecisionRecorded';
  readonly schemaVersion: 1;
  readonly data: Omit<Charter, 'parentCommitteeId'> &
    Decision & { readonly recordedBy: string; readonly recordedAt: string };
};

export type CommitteeEvent =
  | CommitteeEstablished
  | CommitteeMembershipUpdated
  | CommitteeMeetingHeld
  | CommitteeDecisionRecorded;

export type EstablishedCommittee = Charter &
  Membership & {
    readonly status: 'established';
    readonly meetings: readonly Meeting[];
    readonly decisions: readonly Decision[];
  };
export type Committee = { readonly status: 'none' } | EstablishedCommittee;

export const COMMITTEE_CATEGORY = 'conventions.committee';
export const committeeStreamId = (committeeId: string): string => `${COMMITTEE_CATEGORY}-${committeeId}`;

export const parentFrom = (state: Committee): ParentCommittee | undefined =>
  state.status === 'established'
    ? { committeeId: state.committeeId, kind: state.kind, region: state.region, programme: state.programme }
    : undefined;

const initialState = (): Committee => ({ status: 'none' });

const evolve = (state: Committee, event: CommitteeEvent): Committee => {
  switch (event.type) {
    case 'CommitteeEstablished': {
      const { establishedBy: _by, establishedAt: _at, ...committee } = event.data;
      return { status: 'established', ...committee, meetings: [], decisions: [] };
    }
    case 'CommitteeMembershipUpdated': {
      if (state.status === 'none') return state;
      const { chair, secretary, members } = event.data;
      return { ...state, chair, secretary, members };
    }
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
        decisions: [
          ...state.decisions,
          { decisionNumber, ...(meetingId ? { meetingId } : {}), date, subject, outcome, references },
        ],
      };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};

const invalid = (code: string, path: string, message: string): ValidationError =>
  new ValidationError(code, message, [{ path, message }]);

/** People are compared as written by hand in minutes: case and spacing do not make a second person. */
const personKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');

const repeatedIndexes = <T>(items: readonly T[], key: (item: T) => string): number[] => {
  const seen = new Set<string>();
  return items.flatMap((item, i) => {
    const k = key(item);
    if (seen.has(k)) return [i];
    seen.add(k);
    return [];
  });
};

const checkMembership = ({ chair, secretary, members }: Membership): void => {
  if (personKey(chair.name) === personKey(secretary.name)) {
    throw invalid(
      'CHAIR_IS_SECRETARY',
      'secretary.name',
      `${secretary.name} already chairs the committee; the secretary keeps its minutes`,
    );
  }
  const repeated = repeatedIndexes(members, (m) => personKey(m.name));
  if (repeated.length) {
    throw new ValidationError(
      'DUPLICATE_MEMBER',
      'a person is listed once among the members',
      repeated.map((i) => ({ path: `members.${i}.name`, message: `${members[i]?.name ?? ''} is already a member` })),
    );
  }
};

const checkParent = (data: EstablishCommittee['data']): void => {
  const { kind, parentCommitteeId, parent } = data;
  if (kind === 'regional') {
    if (parentCommitteeId !== undefined)
      throw invalid(
        'PARENT_ONLY_FOR_TECHNICAL',
        'parentCommitteeId',
        'a regional committee sits under no other committee',
      );
    return;
  }
  if (parentCommitteeId === undefined)
    throw invalid(
      'TECHNICAL_NEEDS_PARENT',
      'parentCommitteeId',
      'a technical committee sits under a regional committee',
    );
  if (parent?.committeeId !== parentCommitteeId) {
    throw new NotFoundError('PARENT_COMMITTEE_NOT_FOUND', `no committee ${parentCommitteeId}`, { parentCommitteeId });
  }
  if (parent.kind !== 'regional')
    throw invalid(
      'PARENT_NOT_REGIONAL',
      'parentCommitteeId',
      `${parentCommitteeId} is a technical committee, not a regional one`,
    );
  const mismatches = [
    ...(parent.region !== data.region
      ? [{ path: 'region', message: `the regional committee sits in ${parent.region}` }]
      : []),
    ...(parent.programme !== data.programme
      ? [{ path: 'programme', message: `the regional committee governs ${parent.programme}` }]
      : []),
  ];
  if (mismatches.length)
    throw new ValidationError(
      'PARENT_MISMATCH',
      'a technical committee serves the region and programme of its regional committee',
      mismatches,
    );
};

const establish = (c: EstablishCommittee, s: Committee): CommitteeEvent[] => {
  if (s.status !== 'none')
    throw new IllegalStateError('COMMITTEE_ALREADY_EXISTS', `committee ${c.data.committeeId} already exists`);
  checkParent(c.data);
  checkMembership(c.data);
  const { committeeId, region, programme, kind, parentCommitteeId, chair, secretary, members } = c.data;
  return [
    {
      type: 'CommitteeEstablished',
      schemaVersion: 1,
      data: {
        committeeId,
        region,
        programme,
        kind,
        ...(parentCommitteeId !== undefined ? { parentCommitteeId } : {}),
        chair,
        secretary,
        members,
        establishedBy: c.metadata.actor,
        establishedAt: c.metadata.now,
      },
    },
  ];
};

// Compared field by field: a membership read back from jsonb does not keep the keys' order.
const membershipKey = ({ chair, secretary, members }: Membership): string =>
  JSON.stringify([
    [chair.name, chair.role],
    [secretary.name, secretary.role],
    members.map((m) => [m.name, m.role, m.organisation ?? null]),
  ]);

const updateMembership = (c: UpdateMembership, s: EstablishedCommittee): CommitteeEvent[] => {
  const next: Membership = {
    chair: c.data.chair ?? s.chair,
    secretary: c.data.secretary ?? s.secretary,
    members: c.data.members,
  };
  checkMembership(next);
  // A repeated update (a retry, a second click) changes nothing and so records nothing.
  if (membershipKey(next) === membershipKey(s)) return [];
  return [
    {
      type: 'CommitteeMembershipUpdated',
      schemaVersion: 1,
      data: { committeeId: s.committeeId, ...next, updatedBy: c.metadata.actor, updatedAt: c.metadata.now },
    },
  ];
};

const holdMeeting = (c: HoldMeeting, s: EstablishedCommittee): CommitteeEvent[] => {
  const { committeeId: _id, ...meeting } = c.data;
  if (s.meetings.some((m) => m.meetingId === meeting.meetingId)) {
    throw new IllegalStateError('MEETING_ALREADY_RECORDED', `meeting ${meeting.meetingId} is already recorded`);
  }
  if (meeting.agenda.length === 0) throw invalid('EMPTY_AGENDA', 'agenda', 'a meeting has at least one agenda item');
  const repeated = repeatedIndexes(meeting.attendance, (a) => personKey(a.name));
  if (repeated.length) {
    throw new ValidationError(
      'DUPLICATE_ATTENDEE',
      'a person is listed once in the attendance',
      repeated.map((i) => ({
        path: `attendance.${i}.name`,
        message: `${meeting.attendance[i]?.name ?? ''} is already listed`,
      })),
    );
  }
  return [
    {
      type: 'CommitteeMeetingHeld',
      schemaVersion: 1,
      data: { committeeId: s.committeeId, ...meeting, recordedBy: c.metadata.actor, recordedAt: c.metadata.now },
    },
  ];
};

const recordDecision = (c: RecordDecision, s: EstablishedCommittee): CommitteeEvent[] => {
  const { decisionNumber, meetingId, date, subject, outcome, references } = c.data;
  if (s.decisions.some((d) => d.decisionNumber === decisionNumber)) {
    throw new IllegalStateError('DECISION_NUMBER_TAKEN', `decision ${decisionNumber} is already recorded`);
  }
  if (meetingId !== undefined) {
    const meeting = s.meetings.find((m) => m.meetingId === meetingId);
    if (!meeting)
      throw new NotFoundError('MEETING_NOT_FOUND', `committee ${s.committeeId} held no meeting ${meetingId}`, {
        meetingId,
      });
    if (date < meeting.date)
      throw invalid('DECISION_BEFORE_MEETING', 'date', `${date} is before the meeting of ${meeting.date}`);
  }
  const repeated = repeatedIndexes(references, (r) => `${r.kind}/${r.id}`);
  if (repeated.length) {
    throw new ValidationError(
      'DUPLICATE_REFERENCE',
      'a decision names each file once',
      repeated.map((i) => ({ path: `references.${i}`, message: 'this file is already referenced' })),
    );
  }
  return [
    {
      type: 'CommitteeDecisionRecorded',
      schemaVersion: 1,
      data: {
        committeeId: s.committeeId,
        region: s.region,
        programme: s.programme,
        kind: s.kind,
        decisionNumber,
        ...(meetingId !== undefined ? { meetingId } : {}),
        date,
        subject,
        outcome,
        references,
        recordedBy: c.metadata.actor,
        recordedAt: c.metadata.now,
      },
    },
  ];
};

const existing = (s: Committee, committeeId: string): EstablishedCommittee => {
  if (s.status === 'none') throw new NotFoundError('COMMITTEE_NOT_FOUND', `no committee ${committeeId}`);
  return s;
};

const decide = (command: CommitteeCommand, state: Committee): CommitteeEvent[] => {
  switch (command.type) {
    case 'EstablishCommittee':
      return establish(command, state);
    case 'UpdateMembership':
      return updateMembership(command, existing(state, command.data.committeeId));
    case 'HoldMeeting':
      return holdMeeting(command, existing(state, command.data.committeeId));
    case 'RecordDecision':
      return recordDecision(command, existing(state, command.data.committeeId));
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
};

export const committeeDecider: Decider<CommitteeCommand, Committee, CommitteeEvent> = { initialState, evolve, decide };
