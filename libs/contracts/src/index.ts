export * from './conventions.events';
export * from './envelope';
export * from './governance.events';
export * from './matching.events';
export * from './regions';
export * from './registry';
export * from './subsidies.events';
export * from './topics';
