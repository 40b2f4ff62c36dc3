module.exports = { ...require('../../jest.integration.preset'), displayName: 'reporting' };
