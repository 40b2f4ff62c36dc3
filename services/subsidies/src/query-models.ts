import { ensureQueryModel, type EventStore } from '@tashghil/event-store';
import { envelopeDecider } from './envelope/envelope.decider';
import { grantDecider } from './grant/grant.decider';
import { worksProjectDecider } from './works-project/works-project.decider';

/**
 * Creates (or rebuilds) every query model of the subsidies service. The service's modules do it at
 * start-up; a store written without the service (a test, a tool) calls this before its first write
 * to a grant, a works site or an envelope, since each append writes its model's row.
 */
export const ensureSubsidiesQueryModels = async (store: EventStore): Promise<void> => {
  await ensureQueryModel(store, grantDecider);
  await ensureQueryModel(store, worksProjectDecider);
  await ensureQueryModel(store, envelopeDecider);
};
