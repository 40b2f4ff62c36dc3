module.exports = { ...require('../../jest.preset'), displayName: 'conventions' };
