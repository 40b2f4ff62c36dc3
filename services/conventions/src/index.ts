export * from './convention/convention.decider';
export * from './convention/convention.module';
export * from './service';
export * from './committee/committee.decider';
export * from './programme-targets/programme-targets.decider';
export * from './query-models';
