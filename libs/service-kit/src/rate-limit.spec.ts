import { loadConfig } from './config';
import { clientKey, TokenBuckets } from './rate-limit';

/** A clock the test moves by hand, in milliseconds. */
const manualClock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

const takes = (buckets: TokenBuckets, client: string, n: number): number[] =>
  Array.from({ length: n }, () => buckets.take(client));

describe('a token bucket per client', () => {
  it('lets a burst through at once, then one request per refill interval', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3 }, clock.now);
    expect(takes(buckets, 'a', 3)).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1);
    clock.advance(999);
    expect(buckets.take('a')).toBe(1);
    clock.advance(1);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1);
  });

  it('says in whole seconds, rounded up, when the next request may go', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 4, burst: 1 }, clock.now);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(15);
    clock.advance(14_500);
    expect(buckets.take('a')).toBe(1);
  });

  it('counts each client on its own', () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 2 }, manualClock().now);
    expect(takes(buckets, 'a', 3)).toEqual([0, 0, 1]);
    expect(takes(buckets, 'b', 2)).toEqual([0, 0]);
  });

  it('never refills beyond the burst, however long a client was away', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 600, burst: 2 }, clock.now);
    buckets.take('a');
    clock.advance(3_600_000);
    expect(takes(buckets, 'a', 3)).toEqual([0, 0, 1]);
  });

  it('drops the buckets of clients that have been idle long enough to be full again', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 5 }, clock.now);
    for (let i = 0; i < 50; i += 1) buckets.take(`10.0.0.${i}`);
    expect(buckets.size).toBe(50);
    clock.advance(4_000);
    buckets.take('busy');
    expect(buckets.size).toBe(51);
    clock.advance(1_000);
    buckets.take('busy');
    expect(buckets.size).toBe(1);
  });

  it('keeps at most maxClients buckets, evicting the least recently seen', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 }, clock.now, 3);
    for (const c of ['a', 'b', 'c']) buckets.take(c);
    buckets.take('a');
    buckets.take('d');
    expect(buckets.size).toBe(3);
    // b was evicted: it starts again with a full bucket; a, seen recently, is still empty.
    expect(buckets.take('b')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('neither refills nor breaks when the clock goes back', () => {
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 1 }, clock.now);
    buckets.take('a');
    clock.advance(-10_000);
    expect(buckets.take('a')).toBe(1);
  });

  it('never starves, with the default limit, a Prometheus scrape every 15 s and two probes every 5 s from one address', () => {
    const { rateLimitPerMinute, rateLimitBurst } = loadConfig({}, { port: 1 });
    const clock = manualClock();
    const buckets = new TokenBuckets({ perMinute: rateLimitPerMinute, burst: rateLimitBurst }, clock.now);
    const refused: number[] = [];
    for (let second = 0; second < 3_600; second += 5) {
      const calls = second % 15 === 0 ? 3 : 2;
      for (let i = 0; i < calls; i += 1) if (buckets.take('10.1.2.3') > 0) refused.push(second);
      clock.advance(5_000);
    }
    expect(refused).toEqual([]);
  });

  it('refuses a limit that would let nothing through', () => {
    expect(() => new TokenBuckets({ perMinute: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ perMinute: 60, burst: 0 })).toThrow(RangeError);
  });
});

describe('the key a client is counted under', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:0DB8:00aa:bb::9', '2001:db8:aa:bb::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('counts %s as %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});
