export * from './service';
export * from './envelope/envelope.decider';
export * from './grant/grant.decider';
export * from './parameter/parameter.decider';
export * from './parameter/parameter-table';
export * from './rules/parameters';
export * from './rules/schemes';
export * from './works-project/works-project.decider';
