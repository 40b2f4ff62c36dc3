import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Problem } from './problem.filter';

export interface RateLimit {
  /** Requests a client may send per minute, on average. */
  readonly perMinute: number;
  /** Requests a client may send at once: the bucket's size. */
  readonly burst: number;
}

interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

/**
 * A token bucket per client. A bucket that has filled up again is no different from a new one, so
 * idle clients are dropped; past `maxClients`, the least recently seen go first. Memory stays
 * bounded however many addresses call.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly sweepEveryMs: number;
  private lastSweep: number;

  constructor(
    readonly limit: RateLimit,
    // Monotonic, so a wall-clock step neither refills nor empties every bucket.
    private readonly clock: () => number = () => performance.now(),
    private readonly maxClients = 100_000,
  ) {
    if (!(limit.perMinute > 0) || !(limit.burst >= 1))
      throw new RangeError('a rate limit needs perMinute > 0 and burst >= 1');
    this.perMs = limit.perMinute / 60_000;
    this.sweepEveryMs = Math.min(limit.burst / this.perMs, 60_000);
    this.lastSweep = clock();
  }

  /** Takes a token for `client`: 0 when the request may go on, else the whole seconds until one is back. */
  take(client: string): number {
    const now = this.clock();
    this.sweep(now);
    const tokens = this.tokensOf(this.buckets.get(client), now);
    // Re-inserting keeps the Map in least-recently-seen order, the order overflow evicts in.
    this.buckets.delete(client);
    const allowed = tokens >= 1;
    this.buckets.set(client, { tokens: allowed ? tokens - 1 : tokens, at: now });
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) break;
      this.buckets.delete(oldest);
    }
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  /** Clients with a bucket in memory. */
  get size(): number {
    return this.buckets.size;
  }

  private tokensOf(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.limit.burst;
    return Math.min(this.limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    for (const [client, bucket] of this.buckets) {
      if (this.tokensOf(bucket, now) >= this.limit.burst) this.buckets.delete(client);
    }
  }
}

/**
 * The key a client is counted under: its IPv4 address, or its IPv6 /64, the block one subscriber
 * is usually given, so that walking through its own addresses does not give it fresh buckets.
 */
export const clientKey = (ip: string): string => {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4?.[1]) return v4[1];
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0] ?? ip;
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
};

/**
 * Express middleware: requests `limited` picks take a token from their client's bucket, and get a
 * 429 problem with Retry-After when it is empty.
 */
export const rateLimiter =
  (buckets: TokenBuckets, limited: (req: Request) => boolean) =>
  (req: Request & { correlationId?: string }, res: Response, next: NextFunction): void => {
    if (!limited(req)) return next();
    const wait = buckets.take(clientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown'));
    if (wait === 0) return next();
    const problem: Problem = {
      type: 'urn:tashghil:problem:rate_limited',
      title: 'Too many requests',
      status: 429,
      detail: `more than ${buckets.limit.perMinute} requests a minute (${buckets.limit.burst} at once) from this address without a valid token; retry in ${wait} s`,
      code: 'RATE_LIMITED',
      instance: req.originalUrl,
      ...(req.correlationId ? { correlationId: req.correlationId } : {}),
    };
    res.setHeader('Retry-After', String(wait));
    res.status(429).type('application/problem+json').send(JSON.stringify(problem));
  };
