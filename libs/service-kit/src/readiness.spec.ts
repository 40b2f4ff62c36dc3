import { loadConfig } from './config';

describe('the readiness threshold on projection lag', () => {
  it('is 10,000 events for 60 seconds unless the environment says otherwise', () => {
    expect(loadConfig({}, { port: 1 })).toMatchObject({ readyMaxLagEvents: 10_000, readyMaxLagSeconds: 60 });
    expect(
      loadConfig({ TASHGHIL_READY_MAX_LAG: '250', TASHGHIL_READY_MAX_LAG_SECONDS: '0' }, { port: 1 }),
    ).toMatchObject({ readyMaxLagEvents: 250, readyMaxLagSeconds: 0 });
  });

  it('refuses a threshold that is not a whole number', () => {
    expect(() => loadConfig({ TASHGHIL_READY_MAX_LAG: 'lots' }, { port: 1 })).toThrow(
      /TASHGHIL_READY_MAX_LAG must be a whole number/,
    );
    expect(() => loadConfig({ TASHGHIL_READY_MAX_LAG_SECONDS: '-5' }, { port: 1 })).toThrow(
      /TASHGHIL_READY_MAX_LAG_SECONDS/,
    );
  });
});
