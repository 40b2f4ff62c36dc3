import { IllegalStateError, NotFoundError, ValidationError, invalidField } from '@tashghil/event-store';
import type {
  Committee,
  CommitteeEvent,
  EstablishCommittee,
  EstablishedCommittee,
  Membership,
  UpdateMembership,
} from './committee-state.decider';

/** People are compared as written by hand in minutes: case and spacing do not make a second person. */
export const personKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');

export const repeatedIndexes = <T>(items: readonly T[], key: (item: T) => string): number[] => {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const itemKey = key(item);
    if (seen.has(itemKey)) return [index];
    seen.add(itemKey);
    return [];
  });
};

const checkMembership = ({ chair, secretary, members }: Membership): void => {
  if (personKey(chair.name) === personKey(secretary.name)) {
    throw invalidField(
      'CHAIR_IS_SECRETARY',
      'secretary.name',
      `${secretary.name} already chairs the committee; the secretary keeps its minutes`,
    );
  }
  const repeated = repeatedIndexes(members, (member) => personKey(member.name));
  if (repeated.length) {
    throw new ValidationError(
      'DUPLICATE_MEMBER',
      'a person is listed once among the members',
      repeated.map((index) => ({
        path: `members.${index}.name`,
        message: `${members[index]?.name ?? ''} is already a member`,
      })),
    );
  }
};

const checkParent = (data: EstablishCommittee['data']): void => {
  const { kind, parentCommitteeId, parent } = data;
  if (kind === 'regional') {
    if (parentCommitteeId !== undefined)
      throw invalidField(
        'PARENT_ONLY_FOR_TECHNICAL',
        'parentCommitteeId',
        'a regional committee sits under no other committee',
      );
    return;
  }
  if (parentCommitteeId === undefined)
    throw invalidField(
      'TECHNICAL_NEEDS_PARENT',
      'parentCommitteeId',
      'a technical committee sits under a regional committee',
    );
  if (parent?.committeeId !== parentCommitteeId) {
    throw new NotFoundError('PARENT_COMMITTEE_NOT_FOUND', `no committee ${parentCommitteeId}`, { parentCommitteeId });
  }
  if (parent.kind !== 'regional')
    throw invalidField(
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

export const establish = (command: EstablishCommittee, state: Committee): CommitteeEvent[] => {
  if (state.status !== 'none')
    throw new IllegalStateError('COMMITTEE_ALREADY_EXISTS', `committee ${command.data.committeeId} already exists`);
  checkParent(command.data);
  checkMembership(command.data);
  const { committeeId, region, programme, kind, parentCommitteeId, chair, secretary, members } = command.data;
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
        establishedBy: command.metadata.actor,
        establishedAt: command.metadata.now,
      },
    },
  ];
};

// Compared field by field: a membership read back from jsonb does not keep the keys' order.
const membershipKey = ({ chair, secretary, members }: Membership): string =>
  JSON.stringify([
    [chair.name, chair.role],
    [secretary.name, secretary.role],
    members.map((member) => [member.name, member.role, member.organisation ?? null]),
  ]);

export const updateMembership = (command: UpdateMembership, state: EstablishedCommittee): CommitteeEvent[] => {
  const next: Membership = {
    chair: command.data.chair ?? state.chair,
    secretary: command.data.secretary ?? state.secretary,
    members: command.data.members,
  };
  checkMembership(next);
  // A repeated update (a retry, a second click) changes nothing and so records nothing.
  if (membershipKey(next) === membershipKey(state)) return [];
  return [
    {
      type: 'CommitteeMembershipUpdated',
      schemaVersion: 1,
      data: {
        committeeId: state.committeeId,
        ...next,
        updatedBy: command.metadata.actor,
        updatedAt: command.metadata.now,
      },
    },
  ];
};
