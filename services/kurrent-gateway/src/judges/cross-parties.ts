import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Driver, Expected, SeenEvent } from './driver';

/**
 * One official client as a party of the cross-client scenarios: it appends what it is given and
 * reads back in one canonical form, the same in every language (judges/python/agent.py), so what
 * one client wrote can be compared field by field with what each other client reads.
 */
export interface WireEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: 'application/json' | 'application/octet-stream';
  /** The bytes, base64. */
  readonly data: string;
  readonly metadata: string;
}

/** JSON content as its value, other bytes as `{ $base64 }`, no bytes as null. */
export type BytesValue = unknown;

export interface CanonicalEvent {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly revision: number;
  readonly contentType: string;
  readonly data: BytesValue;
  readonly metadata: BytesValue;
  /** The `$all` commit position, in decimal. */
  readonly commit: string;
  /** `created`, as milliseconds since the Unix epoch: the precision every client keeps. */
  readonly createdMs: number;
}

export interface Party {
  readonly name: string;
  /** The precision of `created` as this client's reads give it, in milliseconds. */
  readonly createdPrecisionMs: number;
  append(
    stream: string,
    events: readonly WireEvent[],
    expected: Expected,
  ): Promise<{ revision: number; commit: string }>;
  /** The stream, forwards from its start. */
  read(stream: string): Promise<CanonicalEvent[]>;
  /** `$all` forwards from its start, filtered to this stream's name. */
  readAll(stream: string): Promise<CanonicalEvent[]>;
  close(): Promise<void>;
}

const JSON_CONTENT = 'application/json';
const BINARY_CONTENT = 'application/octet-stream';

const base64 = (bytes: Uint8Array | string): { $base64: string } => ({
  $base64: Buffer.from(bytes).toString('base64'),
});

const canonicalOf = (e: SeenEvent): CanonicalEvent => ({
  id: e.id,
  type: e.type,
  stream: e.streamId,
  revision: Number(e.revision),
  contentType: e.isJson ? JSON_CONTENT : BINARY_CONTENT,
  data: e.isJson ? e.data : base64(e.data as Uint8Array),
  // The Node clients parse custom metadata as JSON and give other bytes as they came.
  metadata: e.metadata === undefined ? null : e.metadata instanceof Uint8Array ? base64(e.metadata) : e.metadata,
  commit: String(e.commit),
  createdMs: e.created.getTime(),
});

/** A Node client, through the judges' driver over it. */
export const nodeParty = (name: string, driver: Driver): Party => ({
  name,
  // @kurrent/kurrentdb-client 1.3.1 reads through its native bridge, which gives `created` in whole
  // seconds (seen 2026-12-05 against this gateway: the same events read by the Python and Go clients
  // carry their milliseconds).
  createdPrecisionMs: 1000,
  append: async (stream, events, expected) => {
    const outcome = await driver.append(
      stream,
      events.map((e) => {
        const bytes = Buffer.from(e.data, 'base64');
        const binary = e.contentType === BINARY_CONTENT;
        return {
          id: e.id,
          type: e.type,
          data: binary ? Uint8Array.from(bytes) : (JSON.parse(bytes.toString('utf8')) as unknown),
          binary,
          metadata: Buffer.from(e.metadata, 'base64'),
        };
      }),
      expected,
    );
    if (!outcome.ok) throw new Error(`${name}: wrong expected version, the stream is at ${String(outcome.current)}`);
    return { revision: Number(outcome.revision), commit: String(outcome.commit) };
  },
  read: async (stream) => {
    const events = await driver.readStream(stream, {});
    if (events === 'not-found') throw new Error(`${name}: ${stream} not found`);
    return events.map(canonicalOf);
  },
  readAll: async (stream) =>
    (await driver.readAll({ filter: { on: 'stream', prefixes: [stream] } }))
      .filter((e) => e.streamId === stream)
      .map(canonicalOf),
  close: () => driver.close(),
});

type Answer = { ok: true } & Record<string, unknown>;

/** How long one request to an agent may take, past which the scenario fails rather than hangs. */
const REQUEST_MS = 30_000;

/**
 * A client in another language, as a process of its own answering one JSON request a line
 * (`agent.py`, `.judge --agent`): started once per gateway, so the interpreter's start is paid once.
 */
export const processParty = (name: string, command: string, args: readonly string[], cwd: string): Party => {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let stderr = '';
  let exited: Error | undefined;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(line));
  child.on('exit', (code) => {
    exited = new Error(`${name} agent exited (${code}): ${stderr}`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  child.on('error', (error) => {
    exited = error;
    for (const w of waiting.splice(0)) w.reject(error);
  });

  const call = async (request: Record<string, unknown>): Promise<Answer> => {
    if (exited) throw exited;
    let timer: NodeJS.Timeout | undefined;
    const line = await new Promise<string>((resolve, reject) => {
      waiting.push({ resolve, reject });
      timer = setTimeout(() => {
        // A late answer would be taken for the next request's: the agent is stopped instead.
        exited = new Error(`${name}: no answer to ${String(request.op)} in ${REQUEST_MS} ms`);
        child.kill();
        reject(exited);
      }, REQUEST_MS);
      child.stdin.write(`${JSON.stringify(request)}\n`);
    }).finally(() => clearTimeout(timer));
    const answer = JSON.parse(line) as { ok: boolean; error?: string } & Record<string, unknown>;
    if (!answer.ok) throw new Error(`${name}: ${answer.error ?? 'failed'}`);
    return answer as Answer;
  };

  return {
    name,
    createdPrecisionMs: 1,
    append: async (stream, events, expected) => {
      const answer = await call({
        op: 'append',
        stream,
        expected: typeof expected === 'bigint' ? Number(expected) : expected,
        events,
      });
      return { revision: Number(answer.revision), commit: String(answer.commit) };
    },
    read: async (stream) => (await call({ op: 'read', stream })).events as CanonicalEvent[],
    readAll: async (stream) => (await call({ op: 'readAll', stream })).events as CanonicalEvent[],
    close: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
};
