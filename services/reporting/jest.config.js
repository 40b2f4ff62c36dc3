module.exports = { ...require('../../jest.preset'), displayName: 'reporting' };
