import { DomainError, IllegalStateError, NotFoundError, ValidationError } from '@tashghil/event-store';
import { givenFor } from '@tashghil/testing';
import {
  committeeDecider,
  parentFrom,
  type CommitteeCommand,
  type CommitteeDecisionRecorded,
  type CommitteeEstablished,
  type CommitteeEvent,
  type CommitteeMeetingHeld,
  type CommitteeMembershipUpdated,
  type EstablishCommittee,
  type HoldMeeting,
  type RecordDecision,
  type UpdateMembership,
} from './committee.decider';

const given = givenFor(committeeDecider);
const fold = (history: readonly CommitteeEvent[]) =>
  history.reduce(committeeDecider.evolve, committeeDecider.initialState());

const metadata = {
  now: '2022-04-22T16:00:00.000Z',
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'corr-1',
  commandId: 'cmd-1',
};

const chair = { name: 'Secrétaire général de la Wilaya de Guelmim-Oued Noun', role: 'président' };
const secretary = { name: "Directeur régional de l'ANAPEC Guelmim-Oued Noun", role: 'secrétaire' };
const members = [
  { name: 'Représentant de la province de Sidi Ifni', role: 'membre', organisation: 'Province de Sidi Ifni' },
  { name: 'Représentant de la province de Tan-Tan', role: 'membre', organisation: 'Province de Tan-Tan' },
  { name: "Représentant de la province d'Assa-Zag", role: 'membre', organisation: "Province d'Assa-Zag" },
];

const establishRegional: EstablishCommittee = {
  type: 'EstablishCommittee',
  data: {
    committeeId: 'cr-awrach-gon-2022',
    region: 'MA-10',
    programme: 'awrach-2022',
    kind: 'regional',
    chair,
    secretary,
    members,
  },
  metadata,
};
const regionalEstablished: CommitteeEstablished = {
  type: 'CommitteeEstablished',
  schemaVersion: 1,
  data: { ...establishRegional.data, establishedBy: 'officer-ma10', establishedAt: metadata.now },
};

const regionalParent = {
  committeeId: 'cr-awrach-gon-2022',
  kind: 'regional',
  region: 'MA-10',
  programme: 'awrach-2022',
} as const;
const technicalData = {
  committeeId: 'ct-awrach-gon-2022',
  region: 'MA-10',
  programme: 'awrach-2022',
  kind: 'technical',
  parentCommitteeId: 'cr-awrach-gon-2022',
  chair: secretary,
  secretary: { name: 'Chef de service, ANAPEC Guelmim', role: 'secrétaire' },
  members: [],
} as const;
const establishTechnical: EstablishCommittee = {
  type: 'EstablishCommittee',
  data: { ...technicalData, parent: regionalParent },
  metadata,
};

const holdFirstMeeting: HoldMeeting = {
  type: 'HoldMeeting',
  data: {
    committeeId: 'cr-awrach-gon-2022',
    meetingId: 'cr-2022-04-22',
    date: '2022-04-22',
    place: 'Siège de la Wilaya, Guelmim',
    agenda: [
      'Lancement du programme Awrach 2022',
      'Répartition des 3 800 emplois temporaires entre Sidi Ifni, Tan-Tan et Assa-Zag',
    ],
    attendance: [
      { ...chair, present: true },
      { ...secretary, present: true },
      { name: 'Représentant du conseil provincial', role: 'élu', present: false },
    ],
    minutes: 'Le comité adopte la programmation des chantiers de la première tranche.',
  },
  metadata,
};
const firstMeetingHeld: CommitteeMeetingHeld = {
  type: 'CommitteeMeetingHeld',
  schemaVersion: 1,
  data: { ...holdFirstMeeting.data, recordedBy: 'officer-ma10', recordedAt: metadata.now },
};

const recordProgramming: RecordDecision = {
  type: 'RecordDecision',
  data: {
    committeeId: 'cr-awrach-gon-2022',
    decisionNumber: 'CR-GON-2022-001',
    meetingId: 'cr-2022-04-22',
    date: '2022-04-22',
    subject: 'Programmation des chantiers de travaux temporaires 2022',
    outcome: 'approved',
    references: [
      { kind: 'programme-targets', id: 'MA-10/awrach/2022' },
      { kind: 'convention', id: 'awrach-gon-2022' },
    ],
  },
  metadata,
};
const programmingDecided: CommitteeDecisionRecorded = {
  type: 'CommitteeDecisionRecorded',
  schemaVersion: 1,
  data: {
    committeeId: 'cr-awrach-gon-2022',
    region: 'MA-10',
    programme: 'awrach-2022',
    kind: 'regional',
    decisionNumber: 'CR-GON-2022-001',
    meetingId: 'cr-2022-04-22',
    date: '2022-04-22',
    subject: 'Programmation des chantiers de travaux temporaires 2022',
    outcome: 'approved',
    references: recordProgramming.data.references,
    recordedBy: 'officer-ma10',
    recordedAt: metadata.now,
  },
};

const addTanTanChamber: UpdateMembership = {
  type: 'UpdateMembership',
  data: {
    committeeId: 'cr-awrach-gon-2022',
    members: [...members, { name: 'Représentant de la chambre de commerce', role: 'membre' }],
  },
  metadata,
};

describe('committee decider: establishing', () => {
  it('establishes the regional committee with its chair, secretary and members', () => {
    given([]).when(establishRegional).then([regionalEstablished]);
  });

  it('establishes a technical committee under the regional one', () => {
    given([])
      .when(establishTechnical)
      .then([
        {
          type: 'CommitteeEstablished',
          schemaVersion: 1,
          data: { ...technicalData, establishedBy: 'officer-ma10', establishedAt: metadata.now },
        },
      ]);
  });

  it('refuses a committee id that is taken', () => {
    given([regionalEstablished]).when(establishRegional).thenThrows('COMMITTEE_ALREADY_EXISTS');
  });

  it('refuses a parent for a regional committee', () => {
    given([])
      .when({ ...establishRegional, data: { ...establishRegional.data, parentCommitteeId: 'cr-other' } })
      .thenThrows('PARENT_ONLY_FOR_TECHNICAL');
  });

  it('refuses a technical committee without a parent', () => {
    const { parentCommitteeId: _p, ...orphan } = technicalData;
    given([])
      .when({ ...establishTechnical, data: orphan })
      .thenThrows('TECHNICAL_NEEDS_PARENT');
  });

  it('refuses a parent that the store does not hold', () => {
    given([])
      .when({ ...establishTechnical, data: technicalData })
      .thenThrows('PARENT_COMMITTEE_NOT_FOUND');
  });

  it('refuses a technical committee as a parent', () => {
    given([])
      .when({ ...establishTechnical, data: { ...technicalData, parent: { ...regionalParent, kind: 'technical' } } })
      .thenThrows('PARENT_NOT_REGIONAL');
  });

  it('refuses a parent of another region or programme', () => {
    given([])
      .when({ ...establishTechnical, data: { ...technicalData, parent: { ...regionalParent, region: 'MA-09' } } })
      .thenThrows('PARENT_MISMATCH');
    given([])
      .when({
        ...establishTechnical,
        data: { ...technicalData, parent: { ...regionalParent, programme: 'awrach-2023' } },
      })
      .thenThrows('PARENT_MISMATCH');
  });

  it('refuses a chair who is also the secretary', () => {
    given([])
      .when({
        ...establishRegional,
        data: { ...establishRegional.data, secretary: { name: ` ${chair.name.toUpperCase()} `, role: 'secrétaire' } },
      })
      .thenThrows('CHAIR_IS_SECRETARY');
  });

  it('refuses a member listed twice', () => {
    given([])
      .when({
        ...establishRegional,
        data: {
          ...establishRegional.data,
          members: [...members, { name: 'représentant de la province de  Sidi Ifni', role: 'suppléant' }],
        },
      })
      .thenThrows('DUPLICATE_MEMBER');
  });

  it('reads a committee back as its parent', () => {
    expect(parentFrom(fold([regionalEstablished]))).toEqual(regionalParent);
    expect(parentFrom(fold([]))).toBeUndefined();
  });
});

describe('committee decider: membership', () => {
  const updated: CommitteeMembershipUpdated = {
    type: 'CommitteeMembershipUpdated',
    schemaVersion: 1,
    data: {
      committeeId: 'cr-awrach-gon-2022',
      chair,
      secretary,
      members: addTanTanChamber.data.members,
      updatedBy: 'officer-ma10',
      updatedAt: metadata.now,
    },
  };

  it('replaces the members and keeps the chair and secretary it is not given', () => {
    given([regionalEstablished]).when(addTanTanChamber).then([updated]);
  });

  it('records nothing when the membership is unchanged', () => {
    given([regionalEstablished, updated]).when(addTanTanChamber).then([]);
  });

  it('changes the chair when it is given', () => {
    const newChair = { name: 'Wali de la région de Guelmim-Oued Noun', role: 'président' };
    given([regionalEstablished])
      .when({ ...addTanTanChamber, data: { ...addTanTanChamber.data, chair: newChair } })
      .then([{ ...updated, data: { ...updated.data, chair: newChair } }]);
  });

  it('refuses a membership change on a committee that does not exist', () => {
    given([]).when(addTanTanChamber).thenThrows('COMMITTEE_NOT_FOUND');
  });

  it('holds the membership rules on an update', () => {
    given([regionalEstablished])
      .when({ ...addTanTanChamber, data: { ...addTanTanChamber.data, chair: secretary } })
      .thenThrows('CHAIR_IS_SECRETARY');
    given([regionalEstablished])
      .when({ ...addTanTanChamber, data: { committeeId: 'cr-awrach-gon-2022', members: [...members, ...members] } })
      .thenThrows('DUPLICATE_MEMBER');
  });
});

describe('committee decider: meetings', () => {
  it('records a meeting with its agenda, attendance and minutes', () => {
    given([regionalEstablished]).when(holdFirstMeeting).then([firstMeetingHeld]);
  });

  it('refuses the same meeting twice', () => {
    given([regionalEstablished, firstMeetingHeld]).when(holdFirstMeeting).thenThrows('MEETING_ALREADY_RECORDED');
  });

  it('refuses a meeting of a committee that does not exist', () => {
    given([]).when(holdFirstMeeting).thenThrows('COMMITTEE_NOT_FOUND');
  });

  it('refuses a meeting without an agenda', () => {
    given([regionalEstablished])
      .when({ ...holdFirstMeeting, data: { ...holdFirstMeeting.data, agenda: [] } })
      .thenThrows('EMPTY_AGENDA');
  });

  it('refuses a person listed twice in the attendance', () => {
    const attendance = [...holdFirstMeeting.data.attendance, { ...chair, present: false }];
    given([regionalEstablished])
      .when({ ...holdFirstMeeting, data: { ...holdFirstMeeting.data, attendance } })
      .thenThrows('DUPLICATE_ATTENDEE');
  });
});

describe('committee decider: decisions', () => {
  it('records a decision taken at a meeting, naming the committee in full', () => {
    given([regionalEstablished, firstMeetingHeld]).when(recordProgramming).then([programmingDecided]);
  });

  it('records a decision outside a meeting', () => {
    const { meetingId: _m, ...written } = recordProgramming.data;
    const { meetingId: _n, ...expected } = programmingDecided.data;
    given([regionalEstablished])
      .when({ ...recordProgramming, data: { ...written, outcome: 'noted' } })
      .then([{ ...programmingDecided, data: { ...expected, outcome: 'noted' } }]);
  });

  it('refuses a decision number that is taken', () => {
    given([regionalEstablished, firstMeetingHeld, programmingDecided])
      .when({ ...recordProgramming, data: { ...recordProgramming.data, outcome: 'deferred' } })
      .thenThrows('DECISION_NUMBER_TAKEN');
  });

  it('refuses a decision of a committee that does not exist', () => {
    given([]).when(recordProgramming).thenThrows('COMMITTEE_NOT_FOUND');
  });

  it('refuses a decision that names an unknown meeting', () => {
    given([regionalEstablished]).when(recordProgramming).thenThrows('MEETING_NOT_FOUND');
  });

  it('refuses a decision dated before its meeting', () => {
    given([regionalEstablished, firstMeetingHeld])
      .when({ ...recordProgramming, data: { ...recordProgramming.data, date: '2022-04-21' } })
      .thenThrows('DECISION_BEFORE_MEETING');
  });

  it('refuses a file referenced twice', () => {
    const references = [...recordProgramming.data.references, { kind: 'convention', id: 'awrach-gon-2022' }];
    given([regionalEstablished, firstMeetingHeld])
      .when({ ...recordProgramming, data: { ...recordProgramming.data, references } })
      .thenThrows('DUPLICATE_REFERENCE');
  });

  it('folds meetings and decisions into the committee', () => {
    const state = fold([regionalEstablished, firstMeetingHeld, programmingDecided]);
    expect(state).toMatchObject({ status: 'established', kind: 'regional', region: 'MA-10' });
    if (state.status !== 'established') throw new Error('not established');
    expect(state.meetings.toArray()).toMatchObject([{ meetingId: 'cr-2022-04-22', date: '2022-04-22' }]);
    expect(state.decisions.toArray()).toMatchObject([
      { decisionNumber: 'CR-GON-2022-001', meetingId: 'cr-2022-04-22', outcome: 'approved' },
    ]);
  });
});

describe('committee decider: a long-lived committee', () => {
  // Ten thousand events, as a committee sitting for decades would record: the fold appends, never copies.
  const sittings = 5_000;
  const meetingHeld = (n: number): CommitteeMeetingHeld => ({
    ...firstMeetingHeld,
    data: { ...firstMeetingHeld.data, meetingId: `cr-${n}`, date: '2022-04-22' },
  });
  const decided = (n: number): CommitteeDecisionRecorded => ({
    ...programmingDecided,
    data: { ...programmingDecided.data, decisionNumber: `CR-GON-${n}`, meetingId: `cr-${n}` },
  });
  const history: CommitteeEvent[] = [regionalEstablished];
  for (let n = 1; n <= sittings; n += 1) history.push(meetingHeld(n), decided(n));

  it('folds 10,000 meetings and decisions, each in its order', () => {
    const state = fold(history);
    if (state.status !== 'established') throw new Error('not established');
    expect(history).toHaveLength(10_001);
    expect(state.meetings.length).toBe(sittings);
    expect(state.decisions.length).toBe(sittings);
    expect(state.meetings.at(0)?.meetingId).toBe('cr-1');
    expect(state.meetings.at(-1)?.meetingId).toBe(`cr-${sittings}`);
    expect(state.decisions.at(-1)).toMatchObject({ decisionNumber: `CR-GON-${sittings}`, meetingId: `cr-${sittings}` });
  });

  it('still decides against every meeting and decision of the long history', () => {
    given(history)
      .when({ ...recordProgramming, data: { ...recordProgramming.data, decisionNumber: 'CR-GON-1' } })
      .thenThrows('DECISION_NUMBER_TAKEN');
    given(history)
      .when({ ...holdFirstMeeting, data: { ...holdFirstMeeting.data, meetingId: `cr-${sittings}` } })
      .thenThrows('MEETING_ALREADY_RECORDED');
    given(history)
      .when({ ...recordProgramming, data: { ...recordProgramming.data, decisionNumber: 'new', meetingId: 'cr-1' } })
      .then([
        { ...programmingDecided, data: { ...programmingDecided.data, decisionNumber: 'new', meetingId: 'cr-1' } },
      ]);
  });

  it('leaves an earlier state as it was when the fold goes on from it', () => {
    const early = fold(history.slice(0, 3));
    const later = history.slice(3).reduce(committeeDecider.evolve, early);
    if (early.status !== 'established' || later.status !== 'established') throw new Error('not established');
    expect(early.meetings.toArray().map((meeting) => meeting.meetingId)).toEqual(['cr-1']);
    expect(early.decisions.length).toBe(1);
    expect(later.meetings.length).toBe(sittings);
    const secondMeeting = { ...holdFirstMeeting, data: { ...holdFirstMeeting.data, meetingId: 'cr-2' } };
    expect(committeeDecider.decide(secondMeeting, early)).toHaveLength(1);
    expect(() => committeeDecider.decide(secondMeeting, later)).toThrow('meeting cr-2 is already recorded');
  });
});

const refusal = (history: readonly CommitteeEvent[], command: CommitteeCommand): DomainError => {
  try {
    committeeDecider.decide(command, fold(history));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${command.type} was accepted`);
};

describe('committee decider: what each refusal maps to', () => {
  it.each([
    {
      code: 'COMMITTEE_ALREADY_EXISTS',
      kind: IllegalStateError,
      history: [regionalEstablished],
      command: establishRegional,
    },
    {
      code: 'MEETING_ALREADY_RECORDED',
      kind: IllegalStateError,
      history: [regionalEstablished, firstMeetingHeld],
      command: holdFirstMeeting,
    },
    {
      code: 'DECISION_NUMBER_TAKEN',
      kind: IllegalStateError,
      history: [regionalEstablished, firstMeetingHeld, programmingDecided],
      command: recordProgramming,
    },
    { code: 'COMMITTEE_NOT_FOUND', kind: NotFoundError, history: [], command: holdFirstMeeting },
    { code: 'MEETING_NOT_FOUND', kind: NotFoundError, history: [regionalEstablished], command: recordProgramming },
    {
      code: 'PARENT_COMMITTEE_NOT_FOUND',
      kind: NotFoundError,
      history: [],
      command: { ...establishTechnical, data: technicalData },
    },
  ] satisfies Array<{ code: string; kind: typeof DomainError; history: CommitteeEvent[]; command: CommitteeCommand }>)(
    '$code is a $kind.name',
    ({ code, kind, history, command }) => {
      const error = refusal(history, command);
      expect(error).toBeInstanceOf(kind);
      expect(error.code).toBe(code);
    },
  );

  const atMeeting = [regionalEstablished, firstMeetingHeld];
  const { parentCommitteeId: _p, ...orphan } = technicalData;
  it.each([
    {
      code: 'PARENT_ONLY_FOR_TECHNICAL',
      history: [],
      command: { ...establishRegional, data: { ...establishRegional.data, parentCommitteeId: 'cr-x' } },
      paths: ['parentCommitteeId'],
    },
    {
      code: 'TECHNICAL_NEEDS_PARENT',
      history: [],
      command: { ...establishTechnical, data: orphan },
      paths: ['parentCommitteeId'],
    },
    {
      code: 'PARENT_NOT_REGIONAL',
      history: [],
      command: { ...establishTechnical, data: { ...technicalData, parent: { ...regionalParent, kind: 'technical' } } },
      paths: ['parentCommitteeId'],
    },
    {
      code: 'PARENT_MISMATCH',
      history: [],
      command: {
        ...establishTechnical,
        data: { ...technicalData, region: 'MA-09', parent: { ...regionalParent, programme: 'x' } },
      },
      paths: ['region', 'programme'],
    },
    {
      code: 'CHAIR_IS_SECRETARY',
      history: [],
      command: { ...establishRegional, data: { ...establishRegional.data, secretary: chair } },
      paths: ['secretary.name'],
    },
    {
      code: 'DUPLICATE_MEMBER',
      history: [],
      command: { ...establishRegional, data: { ...establishRegional.data, members: [...members, ...members] } },
      paths: ['members.3.name', 'members.4.name', 'members.5.name'],
    },
    {
      code: 'EMPTY_AGENDA',
      history: [regionalEstablished],
      command: { ...holdFirstMeeting, data: { ...holdFirstMeeting.data, agenda: [] } },
      paths: ['agenda'],
    },
    {
      code: 'DUPLICATE_ATTENDEE',
      history: [regionalEstablished],
      command: {
        ...holdFirstMeeting,
        data: {
          ...holdFirstMeeting.data,
          attendance: [...holdFirstMeeting.data.attendance, { ...secretary, present: false }],
        },
      },
      paths: ['attendance.3.name'],
    },
    {
      code: 'DECISION_BEFORE_MEETING',
      history: atMeeting,
      command: { ...recordProgramming, data: { ...recordProgramming.data, date: '2022-04-01' } },
      paths: ['date'],
    },
    {
      code: 'DUPLICATE_REFERENCE',
      history: atMeeting,
      command: {
        ...recordProgramming,
        data: {
          ...recordProgramming.data,
          references: [...recordProgramming.data.references, ...recordProgramming.data.references],
        },
      },
      paths: ['references.2', 'references.3'],
    },
  ] satisfies Array<{ code: string; history: CommitteeEvent[]; command: CommitteeCommand; paths: string[] }>)(
    '$code is a value rule naming $paths',
    ({ code, history, command, paths }) => {
      const error = refusal(history, command);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code, fields: paths.map((path) => ({ path })) });
    },
  );
});
