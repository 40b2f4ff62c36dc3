import type { z } from 'zod';
import { CONVENTIONS_CONTRACTS } from './conventions.events';
import { GOVERNANCE_CONTRACTS } from './governance.events';
import { MATCHING_CONTRACTS } from './matching.events';
import { SUBSIDIES_CONTRACTS } from './subsidies.events';

export interface Contract {
  readonly topic: string;
  readonly versions: Readonly<Record<number, z.ZodType>>;
}

/** Every integration event that some service consumes, by type. */
export const CONTRACTS: Readonly<Record<string, Contract>> = {
  ...CONVENTIONS_CONTRACTS,
  ...GOVERNANCE_CONTRACTS,
  ...MATCHING_CONTRACTS,
  ...SUBSIDIES_CONTRACTS,
};

export type ContractType = keyof typeof CONTRACTS;

/** Own entries only: `constructor` or `toString` is a name a message may carry, not a contract. */
export const contractFor = (type: string): Contract | undefined =>
  Object.hasOwn(CONTRACTS, type) ? CONTRACTS[type] : undefined;

/** The topic a type of event travels on, from its contract; undefined for a type no contract declares. */
export const topicForType = (type: string): string | undefined => contractFor(type)?.topic;
