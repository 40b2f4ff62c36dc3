module.exports = { ...require('../../jest.integration.preset'), displayName: 'kurrent-gateway' };
