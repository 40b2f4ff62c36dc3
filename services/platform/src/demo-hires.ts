import { addDays, addMonths } from '@tashghil/contracts';
import { eventIdFor, step, type Issued } from '@tashghil/event-store';
import {
  generateDemo,
  hire,
  placementDecider,
  placementStreamId,
  recordBatchRun,
  recordedRun,
  type CompletedRun,
  type ContractType,
  type DemoOffer,
  type DemoSeeker,
  type Flow,
  type PlacementCommand,
  type RunParameters,
} from '@tashghil/matching';
import { mulberry32 } from '@tashghil/matching-engine';
import { BASELINE, monthlySmig } from '@tashghil/subsidies';
import { instant, seedOnCalendar, type Dated, type StoreAt } from './demo-calendar';
import { seedMetadata } from './demo-metadata';

export const DEMO_RUN_ID = 'demo-national-2022-05';
const RUN_DAY = '2022-05-02';
/** The defaults of `POST /matching-runs`, on the first Monday of May 2022. */
const PARAMETERS: RunParameters = { on: RUN_DAY, beta: 0.5, candidatesPerSeeker: 50 };
const LAST_HIRE = '2022-11-30';

/**
 * The share of proposals that end in a hire (seasonal work abroad is recruited almost in full), that
 * the employer turns down after the interview, and that the seeker declines; the rest are unanswered.
 */
const HIRED: Readonly<Record<Flow, number>> = { abroad: 0.85, other_region: 0.45, own_region: 0.4 };
const TURNED_DOWN = 0.1;
const DECLINED_SHARE = 0.2;
const DECLINED_REASONS = ['A trouvé un emploi par ailleurs', 'Horaires incompatibles', 'Trajet trop long'] as const;
const REJECTED_REASONS = [
  'Profil ne correspondant pas au poste',
  'Poste pourvu en interne',
  'Expérience insuffisante',
] as const;
/** Levels the Idmaj insertion contract is for: graduates, from the baccalaureate up. */
const GRADUATE = new Set(['baccalaureate', 'vocational', 'bac_plus_2', 'licence', 'master', 'doctorate']);

/** One step on a placement, on its day, as the seeker, the officer or the employer takes it. */
interface PlannedStep {
  readonly now: string;
  readonly placementId: string;
  readonly command: Issued<PlacementCommand>;
}

export interface HiresSeeded {
  readonly run: string;
  readonly proposals: number;
  readonly hires: number;
  readonly hiresByFlow: Readonly<Record<Flow, number>>;
}

const earlier = (a: string, b: string): string => (a < b ? a : b);
const later = (a: string, b: string): string => (a > b ? a : b);

const flowOf = (seeker: DemoSeeker, offer: DemoOffer): Flow =>
  offer.abroadCountry ? 'abroad' : offer.region === seeker.region ? 'own_region' : 'other_region';

/**
 * The contract the employer offers, and sometimes, to a graduate, an Idmaj insertion contract in its
 * place. Wages start at the SMIG of the start date (raised in September 2022).
 */
const contractFor = (r: () => number, seeker: DemoSeeker, offer: DemoOffer, startDate: string) => {
  if (offer.abroadCountry)
    return {
      contractType: offer.contractType,
      contractMonths: 3 + Math.floor(r() * 4),
      monthlyWageCentimes: 1_100_000 + 10_000 * Math.floor(r() * 20),
    };
  const contractType: ContractType = GRADUATE.has(seeker.education) && r() < 0.5 ? 'idmaj' : offer.contractType;
  const contractMonths =
    contractType === 'permanent' ? 36 : contractType === 'idmaj' ? 24 : 6 * (1 + Math.floor(r() * 3));
  return {
    contractType,
    contractMonths,
    monthlyWageCentimes: monthlySmig(BASELINE, startDate).centimes + 10_000 * Math.floor(r() * 15),
  };
};

/**
 * Each proposal's way, from the run of 2 May: the seeker answers within the week; an accepted one is
 * interviewed and, for most, hired between mid-May and November (most in the first months), to start
 * on the hire day or within two weeks, or with the next monthly cohort on the automotive lines. The
 * rest decline, or are turned down after the interview, or have not answered yet.
 */
const plan = (run: CompletedRun): { steps: PlannedStep[]; hires: number; hiresByFlow: Record<Flow, number> } => {
  const { seekers, offers } = generateDemo();
  const seekerById = new Map(seekers.map((s) => [s.seekerId, s]));
  const offerById = new Map(offers.map((o) => [o.offerId, o]));
  const r = mulberry32(20221130);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const steps: PlannedStep[] = [];
  const hiresByFlow: Record<Flow, number> = { own_region: 0, other_region: 0, abroad: 0 };
  for (const { placementId, seekerId, offerId } of run.proposals) {
    const seeker = seekerById.get(seekerId);
    const offer = offerById.get(offerId);
    if (!seeker || !offer) continue;
    const flow = flowOf(seeker, offer);
    const fate = r();
    const answered = instant(addDays(RUN_DAY, 1 + Math.floor(r() * 6)), '10:00');
    if (fate >= HIRED[flow] + TURNED_DOWN + DECLINED_SHARE) continue;
    if (fate >= HIRED[flow] + TURNED_DOWN) {
      steps.push({
        now: answered,
        placementId,
        command: { type: 'AnswerProposal', data: { accepted: false, reason: pick(DECLINED_REASONS) } },
      });
      continue;
    }
    steps.push({ now: answered, placementId, command: { type: 'AnswerProposal', data: { accepted: true } } });
    const hireDay = earlier(addDays(RUN_DAY, 10 + Math.floor(r() ** 1.6 * 200)), LAST_HIRE);
    const interview = later(addDays(hireDay, -Math.floor(r() * 8)), addDays(answered.slice(0, 10), 1));
    const scheduled = later(addDays(interview, -(2 + Math.floor(r() * 10))), answered.slice(0, 10));
    steps.push({
      now: instant(scheduled, '11:00'),
      placementId,
      command: { type: 'ScheduleInterview', data: { date: interview } },
    });
    if (fate >= HIRED[flow]) {
      steps.push({
        now: instant(interview, '17:00'),
        placementId,
        command: { type: 'RejectCandidate', data: { reason: pick(REJECTED_REASONS) } },
      });
      continue;
    }
    const startDate = offer.mass ? `${addMonths(hireDay, 1).slice(0, 7)}-01` : addDays(hireDay, Math.floor(r() * 15));
    steps.push({
      now: instant(hireDay, '15:00'),
      placementId,
      command: { type: 'RecordHire', data: { startDate, ...contractFor(r, seeker, offer, startDate) } },
    });
    hiresByFlow[flow] += 1;
  }
  steps.sort((a, b) => (a.now < b.now ? -1 : a.now > b.now ? 1 : 0));
  return { steps, hires: hiresByFlow.own_region + hiresByFlow.other_region + hiresByFlow.abroad, hiresByFlow };
};

const metadataOf = (planned: PlannedStep) =>
  seedMetadata(`placement:${planned.placementId}:${planned.command.type}`, planned.now);

/** A step on its day: a hire through the hire's workflow, any other command on the placement alone. */
const datedOf = (planned: PlannedStep): Dated => {
  const metadata = metadataOf(planned);
  const { placementId, command } = planned;
  if (command.type === 'RecordHire') return { now: planned.now, workflow: hire(placementId, { ...command, metadata }) };
  return {
    now: planned.now,
    workflow: [
      step({
        decider: placementDecider,
        streamId: placementStreamId(placementId),
        command: { ...command, metadata } as PlacementCommand,
      }),
    ],
  };
};

/**
 * One national batch run, recorded as an administrator records it (`demo-national-2022-05`), and a
 * subset of its proposals taken to hires through the placement pipeline, each step on its day.
 * The steps are seeded in one transaction, so the last one stored means all are; the run is
 * recorded once and every step has a fixed command id, so seeding again adds nothing.
 */
export const seedHires = async (at: StoreAt): Promise<HiresSeeded> => {
  const runAt = instant(RUN_DAY, '07:00');
  const store = at(runAt);
  const recorded = await recordedRun(store, DEMO_RUN_ID);
  const planned = recorded ? plan(recorded) : undefined;
  const last = planned?.steps[planned.steps.length - 1];
  if (recorded && planned && last && (await store.eventExists(eventIdFor(metadataOf(last).commandId, 0)))) {
    return {
      run: DEMO_RUN_ID,
      proposals: recorded.proposals.length,
      hires: planned.hires,
      hiresByFlow: planned.hiresByFlow,
    };
  }
  const run = await recordBatchRun(store, DEMO_RUN_ID, PARAMETERS, seedMetadata(`matching-run:${DEMO_RUN_ID}`, runAt));
  const { steps, hires, hiresByFlow } = plan(run);
  await seedOnCalendar(at, steps.map(datedOf));
  return { run: DEMO_RUN_ID, proposals: run.proposals.length, hires, hiresByFlow };
};
