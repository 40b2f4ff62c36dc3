const base = require('./jest.preset');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/src/**/*.e2e.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: require('node:path').join(__dirname, 'libs/testing/src/integration-setup.js'),
  testTimeout: 180_000,
  maxWorkers: 1,
};
