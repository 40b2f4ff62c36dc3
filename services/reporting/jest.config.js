const preset = require('../../jest.preset');

// The dashboard's browser tests start the whole platform and Chromium: `npm run test:browser`.
module.exports = {
  ...preset,
  displayName: 'reporting',
  testPathIgnorePatterns: [...preset.testPathIgnorePatterns, '\\.browser\\.spec\\.ts$'],
};
