// The dashboard in a real browser: Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium)
// driven by playwright-core, against the embedded platform started as a child process.
module.exports = {
  ...require('../../jest.preset'),
  displayName: 'reporting-browser',
  testMatch: ['<rootDir>/src/**/*.browser.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180_000,
  maxWorkers: 1,
};
