/** The works sites the decider specs share: a Guelmim-Oued Noun site of 3 jobs, May–November 2022, and its steps. */
import { DomainError } from '@tashghil/event-store';
import { givenFor } from '@tashghil/testing';
import { BASELINE } from '../rules/parameters';
import { worksProjectDecider, type WorksProjectCommand, type WorksProjectEvent } from './works-project.decider';

export const given = givenFor(worksProjectDecider);
export const at = (day: string) => ({
  now: `${day}T09:00:00.000Z`,
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'c',
  commandId: `k-${day}`,
});
export type Of<T extends WorksProjectCommand['type']> = Extract<WorksProjectCommand, { type: T }>;
export const cmd = <T extends WorksProjectCommand['type']>(
  type: T,
  data: Omit<Of<T>['data'], 'table'>,
  day = '2022-04-25',
): Of<T> => ({ type, data: { ...data, table: BASELINE }, metadata: at(day) }) as unknown as Of<T>;

/** The events a run of commands decides, as the store would hold them. */
export const history = (...commands: WorksProjectCommand[]): WorksProjectEvent[] => {
  let state = worksProjectDecider.initialState();
  const events: WorksProjectEvent[] = [];
  for (const command of commands) {
    const decided = worksProjectDecider.decide(command, state);
    state = decided.reduce(worksProjectDecider.evolve, state);
    events.push(...decided);
  }
  return events;
};

export const refusal = (events: readonly WorksProjectEvent[], command: WorksProjectCommand): DomainError => {
  try {
    worksProjectDecider.decide(command, events.reduce(worksProjectDecider.evolve, worksProjectDecider.initialState()));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the command was accepted');
};

// The SMIG of May 2022: 14.81 MAD × 191 h = 2,828.71 MAD. A month costs that plus 596.58 MAD of employer
// contributions (payroll.spec.ts), 3,425.29 MAD; from September 2022, 2,970.05 + 626.38 = 3,596.43 MAD.
// 2 May–1 November prices its months in June to November: 3 jobs × (3 × 3,425.29 + 3 × 3,596.43) = 63,195.48 MAD.
export const SMIG_2022 = 282_871;
export const BUDGET = 3 * (3 * 342_529 + 3 * 359_643);
export const project = {
  projectId: 'gon-pistes-2022',
  region: 'MA-10' as const,
  province: 'Sidi Ifni',
  promoter: { kind: 'association', id: 'asso-amal', name: 'Association Amal pour le développement' },
  kind: 'small' as const,
  title: 'Réhabilitation de pistes rurales',
  jobs: 3,
  months: 6,
  start: '2022-05-02',
  end: '2022-11-01',
  monthlyWageCentimes: SMIG_2022,
  proposedOn: '2022-04-25',
};
export const propose = (over: Partial<typeof project> = {}) => cmd('ProposeWorksProject', { ...project, ...over });
export const decision = (
  outcome: 'approved' | 'rejected' | 'waitlisted',
  extra: { reason?: string; decisionNumber?: string; date?: string } = {},
) =>
  cmd(
    'DecideWorksProject',
    { outcome, decisionNumber: 'CT-GON-2022-014', date: '2022-04-28', committeeId: 'ct-awrach-gon-2022', ...extra },
    '2022-04-28',
  );
export const launch = (on = '2022-05-02') => cmd('LaunchWorksSite', { on }, on);
export const categories = {
  gender: 'female',
  ageBand: '25_34',
  disability: false,
  hasDiploma: false,
  area: 'rural',
  longTermUnemployed: true,
} as const;
export const fromMatching = (beneficiaryId = 'b-1', extra: Partial<Of<'EnrolBeneficiary'>['data']> = {}) =>
  cmd(
    'EnrolBeneficiary',
    { beneficiaryId, source: 'matching', seekerId: `sk-${beneficiaryId}`, on: '2022-05-02', categories, ...extra },
    '2022-05-02',
  );
export const direct = (beneficiaryId = 'b-2', on = '2022-05-16') =>
  cmd(
    'EnrolBeneficiary',
    {
      beneficiaryId,
      source: 'direct',
      identity: { fullName: 'Personne Fictive', cin: 'JB123456' },
      on,
      categories: { ...categories, gender: 'male' },
    },
    on,
  );
export const payroll = (month: string, lines: Array<{ beneficiaryId: string; days: number }>, day = '2022-11-05') =>
  cmd('RecordPayroll', { month, lines }, day);
export const complete = (on = '2022-11-01') => cmd('CompleteWorksSite', { on }, on);

export const proposed = history(propose());
export const approved = history(propose(), decision('approved'));
export const launched = history(propose(), decision('approved'), launch());
export const staffed = history(propose(), decision('approved'), launch(), fromMatching(), direct());
export const completed = history(propose(), decision('approved'), launch(), fromMatching(), direct(), complete());
export const ineligible = history(
  propose({ promoter: { ...project.promoter, kind: 'company' }, monthlyWageCentimes: 250_000 }),
);

export const monthOf = (events: readonly WorksProjectEvent[]) => {
  const [event] = events;
  if (event?.type !== 'WorksPayrollRecorded') throw new Error('no payroll');
  return event.data;
};
