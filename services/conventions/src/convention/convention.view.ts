import { REGIONS, type RegionCode } from '@tashghil/contracts';
import type { ConventionState } from './convention.model';
import { phaseOn, signatoriesMissing } from './convention.model';

/** Centimes as a MAD amount with two decimals, computed in integers. */
export const mad = (centimes: number): string => {
  const sign = centimes < 0 ? '-' : '';
  const abs = Math.abs(centimes);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/** The convention as an officer reads it: its file, where it stands today, and its totals. */
export const conventionView = (s: Exclude<ConventionState, { status: 'none' }>, version: number, today: string) => {
  const state = s.measures.reduce((n, m) => n + (m.budget?.stateCentimes ?? 0), 0);
  const region = s.measures.reduce((n, m) => n + (m.budget?.regionCentimes ?? 0), 0);
  return {
    conventionId: s.conventionId,
    region: s.region,
    regionName: REGIONS[s.region as RegionCode],
    title: s.title,
    period: s.period,
    legalBasis: s.legalBasis,
    status: s.status,
    phase: phaseOn(s, today),
    parties: s.parties,
    measures: s.measures,
    signatures: s.signatures,
    missingSignatories:
      s.status === 'draft'
        ? signatoriesMissing(s).map((p) => ({ partyId: p.partyId, role: p.role, name: p.name }))
        : [],
    amendments: s.amendments,
    ...(s.status === 'closed' ? { closure: s.closure } : {}),
    ...(s.status !== 'draft' && s.signedOn ? { signedOn: s.signedOn } : {}),
    totals: {
      stateCentimes: state,
      regionCentimes: region,
      totalCentimes: state + region,
      stateMad: mad(state),
      regionMad: mad(region),
      totalMad: mad(state + region),
      targetBeneficiaries: s.measures.reduce((n, m) => n + (m.target?.total ?? 0), 0),
    },
    version,
  };
};
