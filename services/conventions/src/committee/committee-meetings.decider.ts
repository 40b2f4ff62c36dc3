import { IllegalStateError, NotFoundError, ValidationError, invalidField } from '@tashghil/event-store';
import { personKey, repeatedIndexes } from './committee-membership.decider';
import type { CommitteeEvent, EstablishedCommittee, HoldMeeting, RecordDecision } from './committee-state.decider';

export const holdMeeting = (command: HoldMeeting, state: EstablishedCommittee): CommitteeEvent[] => {
  const { committeeId: _id, ...meeting } = command.data;
  if (state.meetings.some((held) => held.meetingId === meeting.meetingId)) {
    throw new IllegalStateError('MEETING_ALREADY_RECORDED', `meeting ${meeting.meetingId} is already recorded`);
  }
  if (meeting.agenda.length === 0)
    throw invalidField('EMPTY_AGENDA', 'agenda', 'a meeting has at least one agenda item');
  const repeated = repeatedIndexes(meeting.attendance, (attendee) => personKey(attendee.name));
  if (repeated.length) {
    throw new ValidationError(
      'DUPLICATE_ATTENDEE',
      'a person is listed once in the attendance',
      repeated.map((index) => ({
        path: `attendance.${index}.name`,
        message: `${meeting.attendance[index]?.name ?? ''} is already listed`,
      })),
    );
  }
  return [
    {
      type: 'CommitteeMeetingHeld',
      schemaVersion: 1,
      data: {
        committeeId: state.committeeId,
        ...meeting,
        recordedBy: command.metadata.actor,
        recordedAt: command.metadata.now,
      },
    },
  ];
};

export const recordDecision = (command: RecordDecision, state: EstablishedCommittee): CommitteeEvent[] => {
  const { decisionNumber, meetingId, date, subject, outcome, references } = command.data;
  if (state.decisions.some((recorded) => recorded.decisionNumber === decisionNumber)) {
    throw new IllegalStateError('DECISION_NUMBER_TAKEN', `decision ${decisionNumber} is already recorded`);
  }
  if (meetingId !== undefined) {
    const meeting = state.meetings.find((held) => held.meetingId === meetingId);
    if (!meeting)
      throw new NotFoundError('MEETING_NOT_FOUND', `committee ${state.committeeId} held no meeting ${meetingId}`, {
        meetingId,
      });
    if (date < meeting.date)
      throw invalidField('DECISION_BEFORE_MEETING', 'date', `${date} is before the meeting of ${meeting.date}`);
  }
  const repeated = repeatedIndexes(references, (reference) => `${reference.kind}/${reference.id}`);
  if (repeated.length) {
    throw new ValidationError(
      'DUPLICATE_REFERENCE',
      'a decision names each file once',
      repeated.map((index) => ({ path: `references.${index}`, message: 'this file is already referenced' })),
    );
  }
  return [
    {
      type: 'CommitteeDecisionRecorded',
      schemaVersion: 1,
      data: {
        committeeId: state.committeeId,
        region: state.region,
        programme: state.programme,
        kind: state.kind,
        decisionNumber,
        ...(meetingId !== undefined ? { meetingId } : {}),
        date,
        subject,
        outcome,
        references,
        recordedBy: command.metadata.actor,
        recordedAt: command.metadata.now,
      },
    },
  ];
};
