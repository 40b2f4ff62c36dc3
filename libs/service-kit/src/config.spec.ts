import { z } from 'zod';
import { loadConfig } from './config';
import { expectedVersionFrom, type AuthedRequest } from './index';
import { parseInput } from './validation';

describe('configuration', () => {
  it('defaults to the embedded mode under ./data', () => {
    const c = loadConfig({}, { port: 3000 });
    expect(c).toMatchObject({ mode: 'embedded', port: 3000, seedDemo: true });
    expect(c.dataDir).toMatch(/data$/);
  });

  it('needs DATABASE_URL and KAFKA_BROKERS in the distributed mode', () => {
    expect(() => loadConfig({ TASHGHIL_MODE: 'distributed' }, { port: 1 })).toThrow(/DATABASE_URL and KAFKA_BROKERS/);
    expect(loadConfig({ TASHGHIL_MODE: 'distributed', DATABASE_URL: 'postgres://x', KAFKA_BROKERS: 'k:9092' }, { port: 1 }).seedDemo).toBe(false);
  });

  it('refuses development secrets in production, and an unknown mode', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { port: 1 })).toThrow(/refuses the development/);
    expect(() => loadConfig({ TASHGHIL_MODE: 'cloud' }, { port: 1 })).toThrow(/embedded or distributed/);
    expect(() => loadConfig({ PORT: 'eighty' }, { port: 1 })).toThrow(/PORT/);
  });
});

describe('request parts', () => {
  it('names every invalid field of a body at once', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }) });
    try {
      parseInput(schema, { b: { c: 'x' } });
      throw new Error('should have failed');
    } catch (error) {
      expect((error as { fields: Array<{ path: string }> }).fields.map((f) => f.path)).toEqual(['a', 'b.c']);
    }
  });

  it('reads If-Match as a stream version', () => {
    const req = (v?: string) => ({ headers: v === undefined ? {} : { 'if-match': v } }) as unknown as AuthedRequest;
    expect(expectedVersionFrom(req('"3"'))).toBe(3);
    expect(expectedVersionFrom(req('W/"12"'))).toBe(12);
    expect(expectedVersionFrom(req('7'))).toBe(7);
    expect(expectedVersionFrom(req('*'))).toBeUndefined();
    expect(() => expectedVersionFrom(req('W/"308-abc"'))).toThrow(/If-Match/);
    expect(expectedVersionFrom(req())).toBeUndefined();
  });
});
