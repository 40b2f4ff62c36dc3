export * from './in-process-bus';
export * from './inbox-processor';
export * from './inbox-transport';
export * from './kafka';
export * from './message';
export * from './migrations';
export * from './relay';
export * from './record-message';
