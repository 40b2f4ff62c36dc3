module.exports = { ...require('../../jest.preset'), displayName: 'matching-engine' };
