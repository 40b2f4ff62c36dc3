/** The stream shapes of bench/folds.bench.ts for subsidies, each with the copying fold it replaced. */
import { parameterDecider, type ParameterValueSet } from '../services/subsidies/src/parameter/parameter.decider';
import { BASELINE } from '../services/subsidies/src/rules/parameters';
import {
  worksProjectDecider,
  type WorksProjectCommand,
  type WorksProjectEvent,
} from '../services/subsidies/src/works-project/works-project.decider';
import { meta, type Shape } from './fold-shapes';

export const worksProject: Shape = (() => {
  // The head of a real site, decided by the decider itself, then its enrolment and payroll repeated.
  const at = (day: string) => ({
    now: `${day}T09:00:00.000Z`,
    actor: meta.actor,
    roles: ['officer'],
    region: 'MA-10',
    correlationId: 'c',
    commandId: `k-${day}`,
  });
  const command = (type: WorksProjectCommand['type'], data: object, day: string) =>
    ({ type, data: { ...data, table: BASELINE }, metadata: at(day) }) as unknown as WorksProjectCommand;
  const run = [
    command(
      'ProposeWorksProject',
      {
        projectId: 'bench',
        region: 'MA-10',
        province: 'Sidi Ifni',
        promoter: { kind: 'association', id: 'a', name: 'Association (fictive)' },
        kind: 'small',
        title: 'Chantier (banc d’essai)',
        jobs: 3,
        months: 6,
        start: '2022-05-02',
        end: '2022-11-01',
        // The monthly SMIG of May 2022, 14.81 MAD × 191 h (accord social du 25 avril 2019; Code du travail, art. 184).
        monthlyWageCentimes: 282_871,
        proposedOn: '2022-04-25',
      },
      '2022-04-25',
    ),
    command('DecideWorksProject', { outcome: 'approved', decisionNumber: 'CT-1', date: '2022-04-28' }, '2022-04-28'),
    command('LaunchWorksSite', { on: '2022-05-02' }, '2022-05-02'),
    command(
      'EnrolBeneficiary',
      {
        beneficiaryId: 'b',
        source: 'matching',
        seekerId: 'sk',
        on: '2022-05-02',
        categories: {
          gender: 'female',
          ageBand: '25_34',
          disability: false,
          hasDiploma: false,
          area: 'rural',
          longTermUnemployed: true,
        },
      },
      '2022-05-02',
    ),
    command('RecordPayroll', { month: '2022-05', lines: [{ beneficiaryId: 'b', days: 26 }] }, '2022-06-01'),
  ];
  const decided: WorksProjectEvent[] = [];
  let state = worksProjectDecider.initialState();
  for (const step of run) {
    const events = worksProjectDecider.decide(step, state);
    state = events.reduce(worksProjectDecider.evolve, state);
    decided.push(...events);
  }
  const [proposed, approval, launched, enrolled, paid] = decided;
  if (
    proposed?.type !== 'WorksProjectProposed' ||
    !approval ||
    !launched ||
    enrolled?.type !== 'WorksBeneficiaryEnrolled' ||
    paid?.type !== 'WorksPayrollRecorded'
  )
    throw new Error(`the works site decided ${decided.map((event) => event.type).join(', ')}`);
  // Nine enrolments to one payroll month, as a site of many beneficiaries records them.
  const repeated = (n: number): WorksProjectEvent =>
    n % 10 === 9
      ? { ...paid, data: { ...paid.data, month: `m-${n}` } }
      : { ...enrolled, data: { ...enrolled.data, beneficiaryId: `b-${n}` } };
  type Copied = { status: string; decisions: unknown[]; beneficiaries: unknown[]; payroll: unknown[] };
  const copyEvolve = (copied: Copied, event: WorksProjectEvent): Copied => {
    switch (event.type) {
      case 'WorksProjectProposed':
        return { ...event.data, status: 'proposed', decisions: [], beneficiaries: [], payroll: [] };
      case 'WorksProjectDecided':
        return { ...copied, status: event.data.outcome, decisions: [...copied.decisions, event.data] };
      case 'WorksSiteLaunched':
        return { ...copied, status: 'launched' };
      case 'WorksBeneficiaryEnrolled':
        return { ...copied, beneficiaries: [...copied.beneficiaries, event.data] };
      case 'WorksPayrollRecorded':
        return { ...copied, payroll: [...copied.payroll, event.data] };
      default:
        return copied;
    }
  };
  return {
    name: 'works project: enrolments and payrolls',
    events: (count) => [
      { ...proposed, data: { ...proposed.data, jobs: count } },
      approval,
      launched,
      ...Array.from({ length: count - 3 }, (_, n) => repeated(n)),
    ],
    fold: (events) =>
      (events as WorksProjectEvent[]).reduce(worksProjectDecider.evolve, worksProjectDecider.initialState()),
    copyFold: (events) =>
      (events as WorksProjectEvent[]).reduce(copyEvolve, {
        status: 'none',
        decisions: [],
        beneficiaries: [],
        payroll: [],
      }),
    items: (folded) => {
      const site = folded as { status: string; beneficiaries: { length: number }; payroll: { length: number } };
      return site.status === 'none' ? 0 : site.beneficiaries.length + site.payroll.length;
    },
  };
})();

export const parameter: Shape = (() => {
  const valueSet = (n: number): ParameterValueSet => ({
    type: 'ParameterValueSet',
    schemaVersion: 1,
    data: {
      name: 'cnss.capped_salary',
      value: 600_000 + n,
      effectiveFrom: new Date(Date.UTC(2027, 0, 1 + n)).toISOString().slice(0, 10),
      reference: 'texte (banc d’essai)',
      setBy: meta.actor,
      setAt: meta.now,
    },
  });
  type Copied = { values: unknown[] };
  return {
    name: 'parameter: dated values',
    events: (count) => Array.from({ length: count }, (_, n) => valueSet(n)),
    fold: (events) => (events as ParameterValueSet[]).reduce(parameterDecider.evolve, parameterDecider.initialState()),
    copyFold: (events) =>
      (events as ParameterValueSet[]).reduce(
        (state: Copied, event): Copied => ({ values: [...state.values, event.data] }),
        { values: [] },
      ),
    items: (state) => (state as { values: { length: number } }).values.length,
  };
})();
