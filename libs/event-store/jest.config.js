module.exports = { ...require('../../jest.preset'), displayName: 'event-store' };
