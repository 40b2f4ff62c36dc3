module.exports = { ...require('../../jest.integration.preset'), displayName: 'matching' };
