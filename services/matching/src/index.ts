export * from './offer/offer.decider';
export * from './seeker/seeker.decider';
export * from './service';
export * from './placement/placement.decider';
export * from './demo/demo-generator';
