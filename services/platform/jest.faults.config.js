// The fault-injection suite (src/faults): its own PostgreSQL server and Kafka broker, the services as
// processes, faults injected under load. Minutes long, one suite at a time; run on its own, never
// with the unit or integration runs.
module.exports = {
  ...require('../../jest.preset'),
  displayName: 'platform-faults',
  testMatch: ['<rootDir>/src/faults/**/*.faults.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 420_000,
  maxWorkers: 1,
};
