/** The grant files the decider specs share: one Awrach 1 hire of 10 May 2022, and its Awrach 2 variant of 2023. */
import { givenFor } from '@tashghil/testing';
import { BASELINE } from '../rules/parameters';
import {
  grantDecider,
  type ApplyForGrant,
  type DecideGrant,
  type GrantApplied,
  type GrantDecided,
  type GrantEvent,
  type PayInstalment,
} from './grant.decider';

export const given = givenFor(grantDecider);
export const metadata = (now = '2022-05-10T10:00:00.000Z') => ({
  now,
  actor: 'officer-ma10',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'c',
  commandId: `cmd-${now}`,
});

// A lasting hire in Guelmim: 24 months at 3,000 MAD from 10 May 2022, a seeker registered 30 months.
export const application: ApplyForGrant['data'] = {
  grantId: 'awrach-1-pl-0001',
  region: 'MA-10',
  scheme: 'awrach-1',
  employer: { kind: 'company', id: 'emp-guelmim-1', name: 'Conserverie de Guelmim' },
  hire: {
    source: 'manual',
    seekerId: 'sk-0001',
    startDate: '2022-05-10',
    contractMonths: 24,
    monthlyWageCentimes: 300_000,
  },
  person: { monthsRegistered: 30, pandemicJobLoss: false, hardToPlace: false, disability: false, priorCnssMonths: 0 },
  appliedOn: '2022-05-10',
  table: BASELINE,
  beneficiary: {
    province: 'Guelmim',
    categories: {
      gender: 'female',
      ageBand: '25_34',
      disability: false,
      hasDiploma: true,
      area: 'urban',
      longTermUnemployed: true,
    },
  },
};
export const apply = (
  patch: (d: ApplyForGrant['data']) => ApplyForGrant['data'] = (d) => d,
  now?: string,
): ApplyForGrant => ({ type: 'ApplyForGrant', data: patch(application), metadata: metadata(now) });
export const applied = (command: ApplyForGrant = apply()): GrantApplied => {
  const [event] = given([]).when(command).events();
  if (event?.type !== 'GrantApplied') throw new Error('expected an application');
  return event;
};
export const ruleOf = (e: GrantApplied, rule: string) => e.data.eligibility.rules.find((r) => r.rule === rule);

export const decide = (data: Partial<DecideGrant['data']> = {}): DecideGrant => ({
  type: 'DecideGrant',
  data: { outcome: 'approved', decisionNumber: 'CT-GON-2022-014', date: '2022-05-20', table: BASELINE, ...data },
  metadata: metadata('2022-05-20T15:00:00.000Z'),
});
export const approved = (history: GrantEvent[]): GrantDecided => {
  const [event] = given(history).when(decide()).events();
  if (event?.type !== 'GrantDecided') throw new Error('expected a decision');
  return event;
};
export const declared = (month: string, days = 26): GrantEvent => ({
  type: 'GrantCnssDeclarationRecorded',
  schemaVersion: 1,
  data: { grantId: application.grantId, region: 'MA-10', month, days, wageCentimes: 300_000, source: 'entered' },
});
export const pay = (month: string, paidOn = '2022-07-05'): PayInstalment => ({
  type: 'PayInstalment',
  data: { month, paidOn },
  metadata: metadata(`${paidOn}T09:00:00.000Z`),
});

// Awrach 2 is the 2023 edition: a hire of 1 August 2023, after its launch of 25 July 2023.
export const awrach2Hire = (d: ApplyForGrant['data']): ApplyForGrant['data'] => ({
  ...d,
  scheme: 'awrach-2',
  grantId: 'awrach-2-pl-0001',
  employer: { ...d.employer, turnover3yCentimes: 400_000_000, newlyCreated: false },
  hire: { ...d.hire, startDate: '2023-08-01', contractMonths: 12 },
  appliedOn: '2023-08-01',
  person: { ...d.person, priorCnssMonths: 2 },
});
