import { addDays, addMonths } from '@tashghil/contracts';
import {
  handleWorkflow,
  loadAggregate,
  step,
  type EventStore,
  type Issued,
  type Workflow,
} from '@tashghil/event-store';
import { mulberry32 } from '@tashghil/matching-engine';
import {
  BASELINE,
  decideGrant,
  decideWorksProject,
  endContract,
  monthlySmig,
  envelopeDecider,
  envelopeStreamId,
  grantDecider,
  grantStreamId,
  recommitting,
  worksProjectDecider,
  worksProjectStreamId,
  type DecideGrant,
  type DecideWorksProject,
  type EndContract,
  type GrantCommand,
  type WorksProjectCommand,
} from '@tashghil/subsidies';
import { followUps, handleAt, type Dated, type StoreAt } from './demo-calendar';
import { seedMetadata } from './demo-metadata';

const PROVINCES = ['Guelmim', 'Sidi Ifni', 'Tan-Tan', 'Assa-Zag'] as const;
const GRANTS = 50; // a twentieth of the 1,000 lasting-integration jobs of 2022

/**
 * Waits for the targets to reach the envelope through the bus, as any approval must. A loaded
 * machine can take well over ten seconds to deliver them, and without them the demo has no grants.
 * After a start that was killed, longer: its reporting build lease runs out only after 60 s, the
 * reporting consumer waits for the read model with a backoff of up to 37.5 s, and the in-process
 * bus delivers the targets behind it (measured on the demo-resume spec, 2026-12-05).
 */
const envelopeReady = async (store: EventStore): Promise<boolean> => {
  const id = envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 });
  for (let i = 0; i < 1_200; i += 1) {
    if ((await loadAggregate(store, envelopeDecider, id)).state.status === 'set') return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

const day = (month: number, d: number): string =>
  `2022-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * Guelmim-Oued Noun's Awrach 2022 grant files, a twentieth of the targets: employers' applications
 * (some failing a rule), the technical committee's decisions within the envelope, CNSS declarations,
 * monthly payments to the end of 2022, and a few contracts that end early. Seeded, so every start
 * makes the same files, and idempotent by command id.
 */
export const seedSubsidies = async (
  at: StoreAt,
): Promise<{ complete: boolean; grants: number; worksSites: number }> => {
  if (!(await envelopeReady(at('2022-04-22T09:00:00.000Z')))) return { complete: false, grants: 0, worksSites: 0 };
  return { complete: true, grants: await seedGrants(at), worksSites: await seedWorksSites(at) };
};

/** A site's command through the write path an officer's takes: a launch or a payroll may move its envelope reservation. */
const worksStep = (projectId: string, command: WorksProjectCommand): Workflow =>
  command.type === 'LaunchWorksSite' || command.type === 'RecordPayroll'
    ? recommitting(projectId, command)
    : [step({ decider: worksProjectDecider, streamId: worksProjectStreamId(projectId), command })];

const SITES = 10; // 10 sites of 19 jobs: a twentieth of the 3,800 temporary jobs of 2022
const SITE_KINDS = [
  'Réhabilitation de pistes rurales',
  'Aménagement d’espaces verts',
  'Entretien de réseaux d’irrigation',
  'Nettoyage de l’oasis',
  'Restauration de ksour',
] as const;

/**
 * Awrach part 1 sites: proposed by associations and cooperatives in the four provinces, approved by
 * the technical committee within the envelope, launched, staffed at the SMIG (raised by the SMIG of
 * September 2022 where a site spans it), paid month by month; the earliest are completed with their
 * certificates and the last two are programmed but not yet launched. Each approval commits the wages
 * and employer contributions at each month's SMIG, as the payroll pays them, so a site paid to plan
 * shows 100 % paid and these, with a first short month, a little under.
 */
const seedWorksSites = async (at: StoreAt): Promise<number> => {
  const random = mulberry32(3800);
  for (let i = 0; i < SITES; i += 1) {
    const projectId = `demo-gon-chantier-${String(i + 1).padStart(2, '0')}`;
    const stream = worksProjectStreamId(projectId);
    const province = PROVINCES[i % PROVINCES.length] ?? 'Guelmim';
    // Sites 7 and 8 start in September and run into 2023: launched, still in progress.
    const startMonth = i < 6 ? 5 + Math.floor(i / 2) : 9;
    const months = i < 6 ? 4 + Math.floor(random() * 3) : 6;
    const start = day(startMonth, 1);
    const end = addDays(addMonths(start, months), -1);
    const issue = (key: string, now: string, command: Issued<WorksProjectCommand>): WorksProjectCommand => ({
      ...command,
      metadata: seedMetadata(`${projectId}:${key}`, now),
    });
    await handleAt(
      at,
      worksProjectDecider,
      stream,
      issue('propose', `${day(startMonth - 1, 20)}T10:00:00.000Z`, {
        type: 'ProposeWorksProject',
        data: {
          projectId,
          region: 'MA-10',
          province,
          promoter: {
            kind: i % 3 === 0 ? 'cooperative' : 'association',
            id: `promoteur-${i + 1}`,
            name: `${i % 3 === 0 ? 'Coopérative' : 'Association'} de démonstration ${i + 1} (${province})`,
          },
          kind: i % 4 === 0 ? 'large' : 'small',
          title: `${SITE_KINDS[i % SITE_KINDS.length] ?? 'Chantier'}, ${province}`,
          jobs: 19,
          months,
          start,
          end,
          monthlyWageCentimes: monthlySmig(BASELINE, start).centimes,
          proposedOn: day(startMonth - 1, 20),
          table: BASELINE,
        },
      }),
    );
    const date = day(startMonth - 1, 27);
    const command: DecideWorksProject = {
      type: 'DecideWorksProject',
      data: {
        outcome: 'approved',
        decisionNumber: `CT-GON-2022-T${String(i + 1).padStart(2, '0')}`,
        date,
        committeeId: 'awrach-guelmim-oued-noun-technical',
      },
      metadata: seedMetadata(`${projectId}:decide`, `${date}T16:00:00.000Z`),
    };
    await handleWorkflow(at(command.metadata.now), decideWorksProject(projectId, command));
    if (i >= SITES - 2) continue;
    const site: WorksProjectCommand[] = [
      issue('launch', `${start}T08:00:00.000Z`, { type: 'LaunchWorksSite', data: { on: start, table: BASELINE } }),
    ];
    for (let b = 0; b < 19; b += 1) {
      site.push(
        issue(`enrol-${b}`, `${start}T09:00:00.000Z`, {
          type: 'EnrolBeneficiary',
          data: {
            beneficiaryId: `${projectId}-b${String(b + 1).padStart(2, '0')}`,
            source: 'matching',
            seekerId: `demo-gon-works-seeker-${i * 19 + b + 1}`,
            on: start,
            categories: {
              gender: random() < 0.3 ? 'female' : 'male',
              ageBand: (['under_25', '25_34', '35_54', '55_plus'] as const)[Math.floor(random() * 4)] ?? '25_34',
              disability: random() < 0.05,
              hasDiploma: random() < 0.3,
              area: random() < 0.5 ? 'rural' : 'urban',
              longTermUnemployed: random() < 0.4,
            },
            table: BASELINE,
          },
        }),
      );
    }
    const beneficiaries = Array.from({ length: 19 }, (_, b) => `${projectId}-b${String(b + 1).padStart(2, '0')}`);
    const last = addDays(addMonths(start, months), -1);
    for (let m = 0; m < months; m += 1) {
      const month = addMonths(start, m).slice(0, 7);
      if (month > '2022-12') break;
      site.push(
        issue(`payroll-${month}`, `${addMonths(start, m + 1).slice(0, 10)}T09:00:00.000Z`, {
          type: 'RecordPayroll',
          data: {
            month,
            lines: beneficiaries.map((beneficiaryId, b) => ({ beneficiaryId, days: b === 0 && m === 0 ? 20 : 26 })),
            table: BASELINE,
          },
        }),
      );
    }
    if (last <= '2022-12-31')
      site.push(issue('complete', `${last}T17:00:00.000Z`, { type: 'CompleteWorksSite', data: { on: last } }));
    await followUps(
      at,
      site.map((c) => ({ now: c.metadata.now, workflow: worksStep(projectId, c) })),
    );
  }
  return SITES;
};

/**
 * Every 2022 file is Awrach 1 (the lasting-integration grant, « منحة دعم الإدماج المستدام »):
 * Awrach 2's prime d'appui à l'emploi only took hires from its launch of 25 July 2023.
 */
const seedGrants = async (at: StoreAt): Promise<number> => {
  const random = mulberry32(2022);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  for (let i = 0; i < GRANTS; i += 1) {
    const grantId = `demo-gon-2022-${String(i + 1).padStart(3, '0')}`;
    const stream = grantStreamId(grantId);
    const startMonth = 5 + Math.floor(random() * 5);
    const startDate = day(startMonth, 1 + Math.floor(random() * 28));
    // One file in ten is short of a rule (a contract too short), as files in a real intake are.
    const contractMonths = random() < 0.1 ? 6 : 24 + Math.floor(random() * 13);
    const wage = 290_000 + Math.floor(random() * 80) * 1_000;
    const province = pick(PROVINCES);
    const person = {
      monthsRegistered: Math.floor(random() * 48),
      pandemicJobLoss: random() < 0.3,
      hardToPlace: random() < 0.2,
      disability: random() < 0.08,
      priorCnssMonths: Math.floor(random() * 9),
    };
    const categories = {
      gender: random() < 0.3 ? 'female' : 'male',
      ageBand: (['under_25', '25_34', '35_54', '55_plus'] as const)[Math.floor(random() * 4)] ?? '25_34',
      disability: person.disability,
      hasDiploma: random() < 0.3,
      area: random() < 0.5 ? 'rural' : 'urban',
      longTermUnemployed: random() < 0.4,
    } as const;
    await handleAt(at, grantDecider, stream, {
      type: 'ApplyForGrant',
      data: {
        grantId,
        region: 'MA-10',
        scheme: 'awrach-1',
        employer: {
          kind: pick(['company', 'company', 'association', 'cooperative'] as const),
          id: `emp-${province.toLowerCase().replace(/[^a-z]/g, '')}-${1 + (i % 12)}`,
          name: `Employeur de démonstration ${1 + (i % 12)}`,
        },
        hire: {
          source: 'manual',
          seekerId: `demo-gon-seeker-${i + 1}`,
          startDate,
          contractMonths,
          monthlyWageCentimes: wage,
        },
        person,
        appliedOn: startDate,
        table: BASELINE,
        beneficiary: { province, categories },
      },
      metadata: seedMetadata(`${grantId}:apply`, `${startDate}T10:00:00.000Z`),
    });
    const { state } = await loadAggregate(at(`${startDate}T10:00:00.000Z`), grantDecider, stream);
    // A file a stopped start already decided goes on: its decision is answered as applied, and its
    // follow-ups and early end, each idempotent by command id, are added where they are missing.
    if (state.status === 'none') continue;
    const date = day(Math.min(startMonth + 1, 11), 15);
    const eligible = state.application.eligibility.outcome === 'eligible';
    const command: DecideGrant = {
      type: 'DecideGrant',
      data: eligible
        ? {
            outcome: 'approved',
            decisionNumber: `CT-GON-2022-${String(i + 1).padStart(3, '0')}`,
            date,
            committeeId: 'awrach-guelmim-oued-noun-technical',
            table: BASELINE,
          }
        : {
            outcome: 'rejected',
            decisionNumber: `CT-GON-2022-${String(i + 1).padStart(3, '0')}`,
            date,
            committeeId: 'awrach-guelmim-oued-noun-technical',
            reason: 'Dossier non éligible : voir les règles en échec',
            table: BASELINE,
          },
      metadata: seedMetadata(`${grantId}:decide`, `${date}T16:00:00.000Z`),
    };
    const decided = await (await handleWorkflow(at(command.metadata.now), decideGrant(grantId, command))).stream(
      grantDecider,
      stream,
    );
    if (decided.state.status !== 'approved') continue;
    const months = decided.state.schedule.map((m) => m.month).filter((m) => m <= '2022-12');
    const issue = (key: string, now: string, command: Issued<GrantCommand>): GrantCommand => ({
      ...command,
      metadata: seedMetadata(`${grantId}:${key}`, now),
    });
    const declare = (key: string, now: string, these: readonly string[]) =>
      these.length === 0
        ? []
        : [
            issue(key, now, {
              type: 'RecordCnssDeclarations',
              data: {
                months: these.map((month) => ({ month, days: 26, wageCentimes: wage })),
                source: 'imported',
                table: BASELINE,
              },
            }),
          ];
    // Months to October are declared and paid; November and December are declared and wait for the paying side.
    const paid = months.filter((m) => m <= '2022-10');
    const endsEarly = i % 9 === 4 && startDate < '2022-10-01';
    const grantStep = (c: GrantCommand): Dated => ({
      now: c.metadata.now,
      workflow: [step({ decider: grantDecider, streamId: stream, command: c })],
    });
    const steps: GrantCommand[] = [
      ...declare('declare-1', '2022-11-10T09:00:00.000Z', paid),
      ...paid.map((month) =>
        issue(`pay-${month}`, '2022-11-20T09:00:00.000Z', {
          type: 'PayInstalment',
          data: { month, paidOn: '2022-11-20' },
        }),
      ),
      ...(endsEarly
        ? []
        : declare(
            'declare-2',
            '2023-01-10T09:00:00.000Z',
            months.filter((m) => m > '2022-10'),
          )),
    ];
    await followUps(at, steps.map(grantStep));
    // The end gives the job place and the unpaid remainder back to the envelope in its own transaction.
    if (endsEarly) {
      const end: EndContract = {
        type: 'EndContract',
        data: { lastDay: '2022-10-10', reason: 'Démission du salarié', table: BASELINE },
        metadata: seedMetadata(`${grantId}:end`, '2022-11-25T09:00:00.000Z'),
      };
      await handleWorkflow(at(end.metadata.now), endContract(grantId, end));
    }
  }
  return GRANTS;
};
