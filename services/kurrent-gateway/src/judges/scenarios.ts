import type { Backend } from '@tashghil/event-store';
import type { Driver } from './driver';
import type { Harness } from './harness';
import { READ_SCENARIOS } from './scenarios-read';
import { SUBSCRIBE_SCENARIOS } from './scenarios-subscribe';
import { WRITE_SCENARIOS } from './scenarios-write';

/** One judgement of the gateway, run unchanged through every official client's driver. */
export interface Scenario {
  /** Its entry in judges/scenarios.json, the list every language's judge runs. */
  readonly id: string;
  readonly name: string;
  /** The store backends it can run on; every one when unset. */
  readonly backends?: ReadonlyArray<Backend['name']>;
  readonly run: (driver: Driver, harness: Harness) => Promise<void>;
}

export const SCENARIOS: readonly Scenario[] = [...WRITE_SCENARIOS, ...READ_SCENARIOS, ...SUBSCRIBE_SCENARIOS];
