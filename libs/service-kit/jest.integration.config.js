module.exports = { ...require('../../jest.integration.preset'), displayName: 'service-kit' };
