export * from './convention/convention.decider';
export * from './convention/convention.module';
export * from './service';
