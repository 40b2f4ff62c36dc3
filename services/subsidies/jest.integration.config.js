module.exports = { ...require('../../jest.integration.preset'), displayName: 'subsidies' };
