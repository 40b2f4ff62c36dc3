import { randomUUID } from 'node:crypto';
import {
  handleCommand,
  loadAggregate,
  openStore,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import {
  COMMITTEE_CATEGORY,
  committeeDecider,
  committeeStreamId,
  parentFrom,
  type CommitteeCommand,
  type EstablishCommittee,
  type HoldMeeting,
  type RecordDecision,
} from './committee.decider';
import { ensureConventionsQueryModels } from '../query-models';

const metadata = (now: string) => ({
  now,
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'corr-awrach',
  commandId: randomUUID(),
});

const chair = { name: 'Secrétaire général de la Wilaya de Guelmim-Oued Noun', role: 'président' };
const secretary = { name: "Directeur régional de l'ANAPEC Guelmim-Oued Noun", role: 'secrétaire' };
const provinces = ['Sidi Ifni', 'Tan-Tan', 'Assa-Zag'].map((p) => ({
  name: `Représentant de la province de ${p}`,
  role: 'membre',
  organisation: `Province de ${p}`,
}));

const establish = (committeeId: string, extra: Partial<EstablishCommittee['data']> = {}): EstablishCommittee => ({
  type: 'EstablishCommittee',
  data: {
    committeeId,
    region: 'MA-10',
    programme: 'awrach-2022',
    kind: 'regional',
    chair,
    secretary,
    members: provinces,
    ...extra,
  },
  metadata: metadata('2022-04-20T09:00:00.000Z'),
});

const firstMeeting = (committeeId: string): HoldMeeting => ({
  type: 'HoldMeeting',
  data: {
    committeeId,
    meetingId: 'cr-2022-04-22',
    date: '2022-04-22',
    place: 'Siège de la Wilaya, Guelmim',
    agenda: ['Lancement du programme Awrach 2022', 'Répartition des chantiers entre Sidi Ifni, Tan-Tan et Assa-Zag'],
    attendance: [
      { ...chair, present: true },
      { ...secretary, present: true },
      ...provinces.map(({ name, role }) => ({ name, role, present: true })),
    ],
    minutes: 'Le comité adopte la programmation des chantiers de la première tranche.',
  },
  metadata: metadata('2022-04-22T17:00:00.000Z'),
});

const decision = (committeeId: string, decisionNumber: string, date = '2022-04-22'): RecordDecision => ({
  type: 'RecordDecision',
  data: {
    committeeId,
    decisionNumber,
    meetingId: 'cr-2022-04-22',
    date,
    subject: 'Programmation des chantiers de travaux temporaires 2022',
    outcome: 'approved',
    references: [{ kind: 'programme-targets', id: 'MA-10/awrach/2022' }],
  },
  metadata: metadata('2022-04-22T17:30:00.000Z'),
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'a committee through the command handler on %s',
  (_n, backend) => {
    let database: TestDatabase;
    let store: EventStore;
    const run = (id: string, command: CommitteeCommand, expectedVersion?: number) =>
      handleCommand(
        store,
        committeeDecider,
        committeeStreamId(id),
        command,
        expectedVersion === undefined ? {} : { expectedVersion },
      );

    beforeAll(async () => {
      database = await backend.open();
      store = await openStore(database);
      await ensureConventionsQueryModels(store);
    });
    afterAll(() => database.dispose());

    it('lives from establishment to a decision on its first meeting, and refuses a decision number twice', async () => {
      const regional = 'cr-awrach-gon-2022';
      const technical = 'ct-awrach-gon-2022';
      expect((await run(regional, establish(regional))).version).toBe(0);

      const parent = parentFrom((await loadAggregate(store, committeeDecider, committeeStreamId(regional))).state);
      await run(
        technical,
        establish(technical, {
          kind: 'technical',
          parentCommitteeId: regional,
          chair: secretary,
          secretary: { name: 'Chef de service, ANAPEC Guelmim', role: 'secrétaire' },
          members: [],
          ...(parent ? { parent } : {}),
        }),
      );

      const held = await run(regional, firstMeeting(regional), 0);
      expect(held.version).toBe(1);
      const decided = await run(regional, decision(regional, 'CR-GON-2022-001'), 1);
      expect(decided.version).toBe(2);

      await expect(run(regional, decision(regional, 'CR-GON-2022-001'))).rejects.toMatchObject({
        code: 'DECISION_NUMBER_TAKEN',
      });
      await expect(run(regional, decision(regional, 'CR-GON-2022-002', '2022-04-21'))).rejects.toMatchObject({
        code: 'DECISION_BEFORE_MEETING',
      });

      const events = await store.readStream(committeeStreamId(regional));
      expect(events.map((e) => e.type)).toEqual([
        'CommitteeEstablished',
        'CommitteeMeetingHeld',
        'CommitteeDecisionRecorded',
      ]);
      expect(events[2]?.metadata).toMatchObject({
        actor: 'officer-ma10',
        commandType: 'RecordDecision',
        correlationId: 'corr-awrach',
      });
      expect(events[2]?.data).toEqual({
        committeeId: regional,
        region: 'MA-10',
        programme: 'awrach-2022',
        kind: 'regional',
        decisionNumber: 'CR-GON-2022-001',
        meetingId: 'cr-2022-04-22',
        date: '2022-04-22',
        subject: 'Programmation des chantiers de travaux temporaires 2022',
        outcome: 'approved',
        references: [{ kind: 'programme-targets', id: 'MA-10/awrach/2022' }],
        recordedBy: 'officer-ma10',
        recordedAt: '2022-04-22T17:30:00.000Z',
      });

      const { state } = await loadAggregate(store, committeeDecider, committeeStreamId(technical));
      expect(state).toMatchObject({ status: 'established', kind: 'technical', parentCommitteeId: regional });
    });

    it('files every committee under the category the list endpoint reads', async () => {
      const id = `cr-${randomUUID().slice(0, 8)}`;
      await run(id, establish(id));
      const { rows } = await database.db.query<{ category: string }>(
        `SELECT category FROM es.streams WHERE stream_id = $1`,
        [committeeStreamId(id)],
      );
      expect(rows).toEqual([{ category: COMMITTEE_CATEGORY }]);
    });

    it('refuses a technical committee under a committee the store does not hold', async () => {
      const id = `ct-${randomUUID().slice(0, 8)}`;
      const parent = parentFrom((await loadAggregate(store, committeeDecider, committeeStreamId('cr-nowhere'))).state);
      await expect(
        run(id, establish(id, { kind: 'technical', parentCommitteeId: 'cr-nowhere', ...(parent ? { parent } : {}) })),
      ).rejects.toMatchObject({ code: 'PARENT_COMMITTEE_NOT_FOUND' });
      expect(await store.streamVersion(committeeStreamId(id))).toBe(-1);
    });

    it('appends nothing for a membership that is read back from the store unchanged', async () => {
      const id = `cr-${randomUUID().slice(0, 8)}`;
      await run(id, establish(id));
      // jsonb does not keep key order, so the same members sent in another key order must compare equal.
      const members = provinces.map(({ name, role, organisation }) => ({ organisation, role, name }));
      const update: CommitteeCommand = {
        type: 'UpdateMembership',
        data: { committeeId: id, members },
        metadata: metadata('2022-05-01T09:00:00.000Z'),
      };
      const result = await run(id, update);
      expect(result.events).toEqual([]);
      expect(result.version).toBe(0);
    });

    it('refuses a stale If-Match version with a typed conflict', async () => {
      const id = `cr-${randomUUID().slice(0, 8)}`;
      await run(id, establish(id));
      await run(id, firstMeeting(id));
      await expect(run(id, decision(id, 'CR-GON-2022-009'), 0)).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_VERSION',
      });
    });
  },
);
