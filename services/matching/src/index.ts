export * from './offer/offer.decider';
export * from './seeker/seeker.decider';
export * from './service';
export * from './placement/placement.decider';
export * from './demo/demo-generator';
export * from './demo/demo-run';
export * from './matching-run/matching-run.decider';
export * from './matching-run/replay';
export { hire } from './placement/hire.workflow';
