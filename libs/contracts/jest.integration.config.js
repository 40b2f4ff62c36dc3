module.exports = { ...require('../../jest.integration.preset'), displayName: 'contracts' };
