import { randomUUID } from 'node:crypto';
import {
  type DomainError,
  handleCommand,
  handleWorkflow,
  loadAggregate,
  openStore,
  testBackends,
  type EventStore,
  type TestDatabase,
} from '@tashghil/event-store';
import {
  grantDecider,
  grantRelease,
  grantReservation,
  grantStreamId,
  type DecideGrant,
  type EndContract,
} from '../grant/grant.decider';
import { BASELINE } from '../rules/parameters';
import { releasingPlaces, reservingPlaces } from './envelope-places.workflow';
import { approveOrWaitlist } from './over-envelope';
import { envelopeDecider, envelopeStreamId, type SetEnvelopeLimits } from './envelope.decider';
import { ensureSubsidiesQueryModels } from '../query-models';

const metadata = (now: string) => ({
  now,
  actor: 'ct-ma10',
  roles: ['committee'],
  region: 'MA-10',
  correlationId: 'race',
  commandId: randomUUID(),
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'the envelope under concurrent approvals on %s',
  (_n, backend) => {
    let database: TestDatabase;
    let store: EventStore;

    beforeAll(async () => {
      database = await backend.open();
      store = await openStore(database);
      await ensureSubsidiesQueryModels(store);
    });
    afterAll(() => database.dispose());

    const setEnvelope = async (programme: string, targetJobs: number, budgetCentimes?: number): Promise<void> => {
      const command: SetEnvelopeLimits = {
        type: 'SetEnvelopeLimits',
        data: {
          region: 'MA-10',
          programme,
          year: 2022,
          revision: 1,
          reference: 'test',
          sourceEventId: randomUUID(),
          components: [
            {
              component: 'lasting_integration',
              targetJobs,
              ...(budgetCentimes === undefined ? {} : { budgetCentimes }),
            },
          ],
        },
        metadata: metadata('2022-04-22T10:00:00.000Z'),
      };
      await handleCommand(store, envelopeDecider, envelopeStreamId(command.data), command);
    };

    const applyFor = async (grantId: string): Promise<void> => {
      await handleCommand(store, grantDecider, grantStreamId(grantId), {
        type: 'ApplyForGrant',
        data: {
          grantId,
          region: 'MA-10',
          scheme: 'awrach-1',
          employer: { kind: 'cooperative', id: 'coop-assa', name: 'Coopérative (fictive) Assa' },
          hire: {
            source: 'manual',
            seekerId: `sk-${grantId}`,
            startDate: '2022-06-01',
            contractMonths: 24,
            monthlyWageCentimes: 290_000,
          },
          person: {
            monthsRegistered: 26,
            pandemicJobLoss: false,
            hardToPlace: false,
            disability: false,
            priorCnssMonths: 0,
          },
          appliedOn: '2022-06-01',
          table: BASELINE,
          beneficiary: {
            province: 'Assa-Zag',
            categories: {
              gender: 'male',
              ageBand: 'under_25',
              disability: false,
              hasDiploma: false,
              area: 'rural',
              longTermUnemployed: true,
            },
          },
        },
        metadata: metadata('2022-06-01T09:00:00.000Z'),
      });
    };

    const approve = (grantId: string, programme: string, policy: 'refuse' | 'waitlist') => {
      const command: DecideGrant = {
        type: 'DecideGrant',
        data: { outcome: 'approved', decisionNumber: `CT-${grantId}`, date: '2022-06-15', table: BASELINE },
        metadata: metadata('2022-06-15T10:00:00.000Z'),
      };
      // Each test draws on an envelope of its own programme, so the grant's reservation names it.
      const decided = (c: DecideGrant) =>
        handleWorkflow(
          store,
          reservingPlaces({ decider: grantDecider, streamId: grantStreamId(grantId), command: c }, (s) =>
            s.status === 'approved'
              ? {
                  region: 'MA-10',
                  programme,
                  year: 2022,
                  component: 'lasting_integration',
                  file: { kind: 'grant', id: grantId },
                  jobs: 1,
                  centimes: s.decision?.totalCentimes ?? 0,
                }
              : undefined,
          ),
        );
      return approveOrWaitlist(
        policy,
        () => decided(command),
        (refusal) => decided({ ...command, data: { ...command.data, outcome: 'waitlisted', reason: refusal.message } }),
      );
    };

    const outcomes = async (results: PromiseSettledResult<unknown>[]) =>
      results.map((r) => (r.status === 'fulfilled' ? 'approved' : (r.reason as DomainError).code)).sort();

    it('gives the last place to exactly one of two approvals sent at the same time', async () => {
      const programme = `race-${randomUUID().slice(0, 8)}`;
      await setEnvelope(programme, 1);
      const ids = [`${programme}-a`, `${programme}-b`];
      for (const id of ids) await applyFor(id);
      const results = await Promise.allSettled(ids.map((id) => approve(id, programme, 'refuse')));
      expect(await outcomes(results)).toEqual(['ENVELOPE_EXCEEDED', 'approved']);
      const { state } = await loadAggregate(
        store,
        envelopeDecider,
        envelopeStreamId({ region: 'MA-10', programme, year: 2022 }),
      );
      expect(state.reserved.lasting_integration).toEqual({ jobs: 1, centimes: 2_700_000 });
      const statuses = await Promise.all(
        ids.map(async (id) => (await loadAggregate(store, grantDecider, grantStreamId(id))).state.status),
      );
      expect(statuses.sort()).toEqual(['applied', 'approved']);
    });

    it('never overdraws under twelve racing approvals, and waitlists the rest when so set', async () => {
      const programme = `race-${randomUUID().slice(0, 8)}`;
      // Three jobs, but money for two grants and a half: the budget is what runs out first.
      await setEnvelope(programme, 3, 2 * 2_700_000 + 1_350_000);
      const ids = Array.from({ length: 12 }, (_, i) => `${programme}-${String(i).padStart(2, '0')}`);
      for (const id of ids) await applyFor(id);
      const results = await Promise.allSettled(ids.map((id) => approve(id, programme, 'waitlist')));
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const statuses = await Promise.all(
        ids.map(async (id) => (await loadAggregate(store, grantDecider, grantStreamId(id))).state.status),
      );
      expect(statuses.filter((s) => s === 'approved')).toHaveLength(2);
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(10);
      const { state, events } = await loadAggregate(
        store,
        envelopeDecider,
        envelopeStreamId({ region: 'MA-10', programme, year: 2022 }),
      );
      expect(state.reserved.lasting_integration).toEqual({ jobs: 2, centimes: 5_400_000 });
      expect(events.filter((e) => e.type === 'EnvelopePlacesReserved')).toHaveLength(2);
    });

    it('after an early end, the job place and unpaid remainder go back in the same transaction and another grant fits', async () => {
      const programme = `end-${randomUUID().slice(0, 8)}`;
      // One job, and money for one grant plus the two months the first one will have earned.
      await setEnvelope(programme, 1, 3_000_000);
      const [first, second] = [`${programme}-a`, `${programme}-b`];
      for (const id of [first, second]) await applyFor(id);
      const approveDrawing = (grantId: string) => {
        const command: DecideGrant = {
          type: 'DecideGrant',
          data: { outcome: 'approved', decisionNumber: `CT-${grantId}`, date: '2022-06-15', table: BASELINE },
          metadata: metadata('2022-06-15T10:00:00.000Z'),
        };
        return handleWorkflow(
          store,
          reservingPlaces({ decider: grantDecider, streamId: grantStreamId(grantId), command }, (s) => {
            const r = grantReservation(grantId, s);
            return r && { ...r, programme };
          }),
        );
      };
      await approveDrawing(first);
      await expect(approveDrawing(second)).rejects.toMatchObject({ code: 'ENVELOPE_EXCEEDED' });
      const end: EndContract = {
        type: 'EndContract',
        data: { lastDay: '2022-07-31', reason: 'démission', table: BASELINE },
        metadata: metadata('2022-08-05T10:00:00.000Z'),
      };
      const ended = await (
        await handleWorkflow(
          store,
          releasingPlaces({ decider: grantDecider, streamId: grantStreamId(first), command: end }, (s) => {
            const r = grantRelease(first, s);
            return r && { ...r, programme };
          }),
        )
      ).stream(grantDecider, grantStreamId(first));
      const cancelled = ended.events.find((e) => e.type === 'GrantContractEnded')?.data;
      expect(cancelled).toMatchObject({ commitmentBroken: true, cancelledCentimes: 2_700_000 - 300_000 });
      const envelopeId = envelopeStreamId({ region: 'MA-10', programme, year: 2022 });
      const { state, events } = await loadAggregate(store, envelopeDecider, envelopeId);
      expect(state.reserved.lasting_integration).toEqual({ jobs: 0, centimes: 300_000 });
      // One transaction: the envelope's release carries the end's command id.
      expect(events.at(-1)).toMatchObject({
        type: 'EnvelopePlacesReleased',
        metadata: { commandId: `${end.metadata.commandId}:envelope` },
      });
      expect((await (await approveDrawing(second)).stream(grantDecider, grantStreamId(second))).state.status).toBe(
        'approved',
      );
      expect((await loadAggregate(store, envelopeDecider, envelopeId)).state.reserved.lasting_integration).toEqual({
        jobs: 1,
        centimes: 3_000_000,
      });
    });

    it('refuses an approval when no targets reached the service, and leaves the grant as it was', async () => {
      const programme = `none-${randomUUID().slice(0, 8)}`;
      await applyFor(`${programme}-x`);
      await expect(approve(`${programme}-x`, programme, 'waitlist')).rejects.toMatchObject({
        code: 'ENVELOPE_NOT_SET',
      });
      expect((await loadAggregate(store, grantDecider, grantStreamId(`${programme}-x`))).state.status).toBe('applied');
    });
  },
);
