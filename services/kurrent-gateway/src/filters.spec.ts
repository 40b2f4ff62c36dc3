import { compileFilter } from './filters';

describe('$all filters', () => {
  it('match stream names by prefix or by an unanchored regular expression', () => {
    const prefix = compileFilter({ filter: 'stream_identifier', stream_identifier: { prefix: ['ext.a', 'conv'] } });
    expect(prefix?.matches('ext.a-1', 'X')).toBe(true);
    expect(prefix?.matches('conventions.convention-1', 'X')).toBe(true);
    expect(prefix?.matches('ext.b-1', 'X')).toBe(false);
    const regex = compileFilter({ filter: 'stream_identifier', stream_identifier: { regex: 'a-\\d' } });
    expect(regex?.matches('ext.a-1', 'X')).toBe(true);
    expect(regex?.matches('ext.b-1', 'X')).toBe(false);
  });

  it('match event types, as esdbclient excludes system events by default', () => {
    const filter = compileFilter({
      filter: 'event_type',
      event_type: { regex: '^(?!(\\$.+$|PersistentConfig\\d+$))' },
    });
    expect(filter?.matches('any', 'ConventionSigned')).toBe(true);
    expect(filter?.matches('any', '$metadata')).toBe(false);
  });

  it('checkpoint every window times the interval multiplier, 32 events by default', () => {
    expect(compileFilter({ filter: 'event_type', event_type: { prefix: ['A'] } })?.checkpointInterval).toBe(32);
    const custom = compileFilter({
      filter: 'event_type',
      event_type: { prefix: ['A'] },
      window: 'max',
      max: 10,
      checkpointIntervalMultiplier: 3,
    });
    expect(custom?.checkpointInterval).toBe(30);
  });

  it('refuse an invalid regular expression as an invalid argument', () => {
    expect(() => compileFilter({ filter: 'event_type', event_type: { regex: '(' } })).toThrow(/invalid/);
    expect(compileFilter(undefined)).toBeUndefined();
  });
});
