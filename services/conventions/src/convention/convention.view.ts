import { madFromCentimes, REGIONS } from '@tashghil/contracts';
import type { ConventionState } from './convention.model';
import { phaseOn, signatoriesMissing } from './convention.model';

type Drafted = Exclude<ConventionState, { status: 'none' }>;

/** The budget and beneficiary totals of the measures. */
export const totalsOf = (s: Drafted) => {
  // Each line is a safe integer of centimes, their sum may not be: the totals are added as bigints.
  const state = s.measures.reduce((n, m) => n + BigInt(m.budget?.stateCentimes ?? 0), 0n);
  const region = s.measures.reduce((n, m) => n + BigInt(m.budget?.regionCentimes ?? 0), 0n);
  return {
    stateCentimes: Number(state),
    regionCentimes: Number(region),
    totalCentimes: Number(state + region),
    stateMad: madFromCentimes(state),
    regionMad: madFromCentimes(region),
    totalMad: madFromCentimes(state + region),
    targetBeneficiaries: s.measures.reduce((n, m) => n + (m.target?.total ?? 0), 0),
  };
};

/** The convention as an officer reads it: its file, where it stands today, and its totals. */
export const conventionView = (s: Drafted, version: number, today: string) => ({
  conventionId: s.conventionId,
  region: s.region,
  regionName: REGIONS[s.region],
  title: s.title,
  period: s.period,
  legalBasis: s.legalBasis,
  status: s.status,
  phase: phaseOn(s, today),
  parties: s.parties,
  measures: s.measures,
  signatures: s.signatures,
  missingSignatories:
    s.status === 'draft' ? signatoriesMissing(s).map((p) => ({ partyId: p.partyId, role: p.role, name: p.name })) : [],
  amendments: s.amendments,
  ...(s.status === 'closed' ? { closure: s.closure } : {}),
  ...(s.status !== 'draft' && s.signedOn ? { signedOn: s.signedOn } : {}),
  totals: totalsOf(s),
  version,
});
