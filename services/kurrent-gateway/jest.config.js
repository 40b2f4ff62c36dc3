module.exports = { ...require('../../jest.preset'), displayName: 'kurrent-gateway' };
