module.exports = { ...require('../../jest.preset'), displayName: 'messaging' };
