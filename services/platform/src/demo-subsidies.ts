import { handleCommand, loadAggregate, type CommandMetadata, type EventStore } from '@tashghil/event-store';
import { mulberry32 } from '@tashghil/matching-engine';
import {
  approveWithinEnvelope, BASELINE, envelopeDecider, envelopeStreamId, grantDecider, grantStreamId, type DecideGrant, type GrantCommand,
} from '@tashghil/subsidies';

const meta = (key: string, now: string): CommandMetadata => ({
  now, actor: 'demo-seed', roles: ['admin'], correlationId: `demo-${key}`, commandId: `demo-seed:${key}`,
});

const PROVINCES = ['Guelmim', 'Sidi Ifni', 'Tan-Tan', 'Assa-Zag'] as const;
const GRANTS = 50; // a twentieth of the 1,000 lasting-integration jobs of 2022

/** Waits for the targets to reach the envelope through the bus, as any approval must. */
const envelopeReady = async (store: EventStore): Promise<boolean> => {
  const id = envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 });
  for (let i = 0; i < 100; i += 1) {
    if ((await loadAggregate(store, envelopeDecider, id)).state.status === 'set') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

const day = (month: number, d: number): string => `2022-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * Guelmim-Oued Noun's Awrach 2022 grant files, a twentieth of the targets: employers' applications
 * (some failing a rule), the technical committee's decisions within the envelope, CNSS declarations,
 * monthly payments to the end of 2022, and a few contracts that end early. Seeded, so every start
 * makes the same files, and idempotent by command id.
 */
export const seedSubsidies = async (store: EventStore): Promise<{ grants: number }> => {
  if (!(await envelopeReady(store))) return { grants: 0 };
  const random = mulberry32(2022);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  for (let i = 0; i < GRANTS; i += 1) {
    const grantId = `demo-gon-2022-${String(i + 1).padStart(3, '0')}`;
    const stream = grantStreamId(grantId);
    const scheme = random() < 0.7 ? 'awrach-1' : 'awrach-2';
    const startMonth = 5 + Math.floor(random() * 5);
    const startDate = day(startMonth, 1 + Math.floor(random() * 28));
    // One file in ten is short of a rule (a contract too short), as files in a real intake are.
    const contractMonths = random() < 0.1 ? 6 : scheme === 'awrach-1' ? 24 + Math.floor(random() * 13) : 12 + Math.floor(random() * 13);
    const wage = 290_000 + Math.floor(random() * 80) * 1_000;
    const run = (key: string, now: string, command: Omit<GrantCommand, 'metadata'>) =>
      handleCommand(store, grantDecider, stream, { ...command, metadata: meta(`${grantId}:${key}`, now) } as GrantCommand);
    await run('apply', `${startDate}T10:00:00.000Z`, {
      type: 'ApplyForGrant',
      data: {
        grantId, region: 'MA-10', scheme,
        employer: { kind: pick(['company', 'company', 'association', 'cooperative'] as const), id: `emp-${pick(PROVINCES).toLowerCase().replace(/[^a-z]/g, '')}-${1 + (i % 12)}`, name: `Employeur de démonstration ${1 + (i % 12)}`, turnover3yCentimes: 50_000_000 + Math.floor(random() * 1_200_000_000) },
        hire: { source: 'manual', seekerId: `demo-gon-seeker-${i + 1}`, startDate, contractMonths, monthlyWageCentimes: wage },
        person: { monthsRegistered: Math.floor(random() * 48), pandemicJobLoss: random() < 0.3, hardToPlace: random() < 0.2, disability: random() < 0.08, priorCnssMonths: Math.floor(random() * 9) },
        appliedOn: startDate, table: BASELINE,
      },
    });
    const { state } = await loadAggregate(store, grantDecider, stream);
    if (state.status !== 'applied') continue;
    const date = day(Math.min(startMonth + 1, 11), 15);
    const eligible = state.application.eligibility.outcome === 'eligible';
    const command: DecideGrant = {
      type: 'DecideGrant',
      data: eligible
        ? { outcome: 'approved', decisionNumber: `CT-GON-2022-${String(i + 1).padStart(3, '0')}`, date, committeeId: 'awrach-guelmim-oued-noun-technical', table: BASELINE }
        : { outcome: 'rejected', decisionNumber: `CT-GON-2022-${String(i + 1).padStart(3, '0')}`, date, committeeId: 'awrach-guelmim-oued-noun-technical', reason: 'Dossier non éligible : voir les règles en échec', table: BASELINE },
      metadata: meta(`${grantId}:decide`, `${date}T16:00:00.000Z`),
    };
    const decided = await approveWithinEnvelope({
      store, decider: grantDecider, streamId: stream, command,
      reservation: (s) => (s.status === 'approved'
        ? { region: 'MA-10', programme: 'awrach', year: 2022, component: 'lasting_integration', file: { kind: 'grant', id: grantId }, jobs: 1, centimes: s.decision?.totalCentimes ?? 0 }
        : undefined),
      whenExceeded: () => undefined,
    });
    if (decided.state.status !== 'approved') continue;
    const months = decided.state.schedule.map((m) => m.month).filter((m) => m <= '2022-12');
    const declare = (key: string, now: string, these: readonly string[]) => (these.length === 0 ? undefined : run(key, now, {
      type: 'RecordCnssDeclarations', data: { months: these.map((month) => ({ month, days: 26, wageCentimes: wage })), source: 'imported', table: BASELINE },
    }));
    // Months to October are declared and paid; November and December are declared and wait for the paying side.
    await declare('declare-1', '2022-11-10T09:00:00.000Z', months.filter((m) => m <= '2022-10'));
    for (const month of months.filter((m) => m <= '2022-10')) {
      await run(`pay-${month}`, '2022-11-20T09:00:00.000Z', { type: 'PayInstalment', data: { month, paidOn: '2022-11-20' } });
    }
    if (i % 9 === 4 && startDate < '2022-10-01') {
      await run('end', '2022-11-25T09:00:00.000Z', { type: 'EndContract', data: { lastDay: '2022-10-10', reason: 'Démission du salarié' } });
    } else {
      await declare('declare-2', '2023-01-10T09:00:00.000Z', months.filter((m) => m > '2022-10'));
    }
  }
  return { grants: GRANTS };
};
