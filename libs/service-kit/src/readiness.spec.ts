import { backlogNote, isReady, Readiness } from './readiness';
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

describe('readiness of one process', () => {
  it('is ready only when no check of this process says down', () => {
    expect(isReady({ database: 'up', broker: 'in-process', projection: 'up' })).toBe(true);
    expect(isReady({ database: 'up', read_model: 'down: building reporting_g2: 10 of 40 events' })).toBe(false);
    expect(isReady({ database: 'down: timeout', broker: 'up' })).toBe(false);
  });

  it('reports a backlog every replica shares without leaving the load balancer for it', () => {
    const projection = backlogNote('down: reporting 20000 events behind for 90 s');
    expect(projection).toBe('behind: reporting 20000 events behind for 90 s');
    expect(isReady({ database: 'up', broker: 'up', projection })).toBe(true);
    expect(backlogNote('catching up: reporting 12 events behind for 0 s')).toMatch(/^catching up/);
    expect(backlogNote('up')).toBe('up');
  });

  it('gathers the checks modules added, one that throws being down with its message', async () => {
    const readiness = new Readiness();
    readiness.add('read_model', async () => 'down: waiting for replica-b to build reporting_g7');
    readiness.add('cache', async () => {
      throw new Error('no connection');
    });
    readiness.add('spare', async () => 'up');
    const checks = await readiness.run();
    expect(checks).toEqual({
      read_model: 'down: waiting for replica-b to build reporting_g7',
      cache: 'down: no connection',
      spare: 'up',
    });
    expect(isReady(checks)).toBe(false);
  });
});
