import type { z } from 'zod';
import { CONVENTIONS_CONTRACTS } from './conventions.events';
import { GOVERNANCE_CONTRACTS } from './governance.events';
import { MATCHING_CONTRACTS } from './matching.events';
import { SUBSIDIES_CONTRACTS } from './subsidies.events';

/**
 * The contract registry as each context declares it, every type with its own schemas. `CONTRACTS`
 * in registry.ts is the same entries widened to any name, for code that looks a type up at run time.
 */
const DECLARED = { ...CONVENTIONS_CONTRACTS, ...GOVERNANCE_CONTRACTS, ...MATCHING_CONTRACTS, ...SUBSIDIES_CONTRACTS };
type Declared = typeof DECLARED;

/** The name of an integration event that has a contract: `'SeekerHired'`, not any string. */
export type IntegrationEventType = keyof Declared;

type VersionsOf<T extends IntegrationEventType> = Declared[T]['versions'];

/**
 * What a consumer holds once an event of type `T` parsed: the output of one of its contract's
 * versions, whichever the message carried (a union once a type has a second version).
 */
export type IntegrationEventData<T extends IntegrationEventType> = {
  [V in keyof VersionsOf<T>]: VersionsOf<T>[V] extends z.ZodType ? z.output<VersionsOf<T>[V]> : never;
}[keyof VersionsOf<T>];

/** Data as a message holds it: read-only all the way down, since nothing changes an event once decided. */
export type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/**
 * An integration event as the decider that records it types it: the contract's name, and for each
 * of the contract's versions its number and data, so a decider cannot emit what its consumers would
 * refuse. `Own` is what the stream keeps beyond the contract, or a field the aggregate types more
 * narrowly, for the decider's own fold; consumers see only what the contract declares.
 */
export type IntegrationEvent<T extends IntegrationEventType, Own = unknown> = {
  [V in keyof VersionsOf<T>]: {
    readonly type: T;
    readonly schemaVersion: V;
    readonly data: Frozen<VersionsOf<T>[V] extends z.ZodType ? z.output<VersionsOf<T>[V]> : never> & Own;
  };
}[keyof VersionsOf<T>];

export const isIntegrationEventType = (type: string): type is IntegrationEventType => Object.hasOwn(DECLARED, type);

/**
 * Parses `data` as an event of type `T`, trying its contract's versions from the newest down (a
 * zod object drops the keys it does not know, so an older version first would cut a newer message).
 * Returns undefined when no version accepts it.
 */
export const parseIntegrationData = <T extends IntegrationEventType>(
  type: T,
  data: unknown,
): IntegrationEventData<T> | undefined => {
  const versions: Readonly<Record<number, z.ZodType>> = DECLARED[type].versions;
  const newestFirst = Object.keys(versions)
    .map(Number)
    .sort((a, b) => b - a);
  for (const version of newestFirst) {
    const result = versions[version]?.safeParse(data);
    // The schemas tried are exactly `T`'s versions, which is what IntegrationEventData<T> unites;
    // TypeScript cannot follow a generic key through the registry, so it is told here, once.
    if (result?.success) return result.data as IntegrationEventData<T>;
  }
  return undefined;
};
