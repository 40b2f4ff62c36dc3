import { ensureQueryModel, type EventStore } from '@tashghil/event-store';
import { committeeDecider } from './committee/committee.decider';
import { conventionDecider } from './convention/convention.decider';
import { programmeTargetsDecider } from './programme-targets/programme-targets.decider';

/**
 * Creates (or rebuilds) every query model of the conventions service. The service's modules do it
 * at start-up; a store written without the service (a test, a tool) calls this before its first
 * write to a convention, a committee or programme targets, since each append writes its model's row.
 */
export const ensureConventionsQueryModels = async (store: EventStore): Promise<void> => {
  await ensureQueryModel(store, conventionDecider);
  await ensureQueryModel(store, committeeDecider);
  await ensureQueryModel(store, programmeTargetsDecider);
};
