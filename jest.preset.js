// Shared by every project. Unit runs take *.spec.ts and the *.int.spec.ts suites on PGlite;
// the integration run adds the PostgreSQL server and the Kafka broker (see jest.integration.preset.js).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
delete swc.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.spec\\.ts$', '\\.faults\\.spec\\.ts$'],
  setupFiles: [join(__dirname, 'libs/testing/src/jest-setup.js')],
  testTimeout: 60_000,
};
