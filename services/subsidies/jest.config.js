module.exports = { ...require('../../jest.preset'), displayName: 'subsidies' };
