module.exports = { ...require('../../jest.integration.preset'), displayName: 'event-store' };
