import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPgliteDatabase, openServerDatabase, type Backend } from '@tashghil/event-store';
import { openHarness } from './harness';

/**
 * The gateway for the judges in other languages (judges/run-python.sh): a harness over PGlite, or
 * over a fresh database on the PostgreSQL server with JUDGE_BACKEND=postgres, and a control endpoint
 * on loopback for what a scenario needs done on the store's side. Prints one JSON line with both
 * addresses, and stops when its standard input closes.
 */
const BACKENDS: Record<string, Backend> = {
  pglite: { name: 'pglite', open: openPgliteDatabase },
  postgres: { name: 'postgres', open: openServerDatabase },
};

const body = async (req: IncomingMessage): Promise<Record<string, string>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, string>) : {};
};

const main = async (): Promise<void> => {
  const backend = BACKENDS[process.env.JUDGE_BACKEND ?? 'pglite'];
  if (!backend) throw new Error(`JUDGE_BACKEND must be pglite or postgres, not ${process.env.JUDGE_BACKEND}`);
  const harness = await openHarness(backend);
  const held = new Map<string, { commit(): Promise<void> }>();
  const control = createServer((req, res) => {
    const answer = async (): Promise<unknown> => {
      const input = await body(req);
      const field = (name: string): string => {
        const value = input[name];
        if (typeof value !== 'string') throw new Error(`${req.url} needs ${name}`);
        return value;
      };
      switch (req.url) {
        case '/service':
          return harness.appendAsService(field('stream'), field('types').split(','));
        case '/personal':
          return harness.appendPersonal(field('stream'), field('subject'));
        case '/erase':
          return harness.erase(field('subject'));
        case '/hold': {
          held.set(field('stream'), await harness.holdTransaction(field('stream')));
          return undefined;
        }
        case '/commit':
          return held.get(field('stream'))?.commit();
        case '/settle':
          return harness.settle();
        default:
          throw new Error(`no control ${req.url}`);
      }
    };
    answer().then(
      () => res.writeHead(204).end(),
      (error: unknown) => res.writeHead(400).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ grpc: harness.address, control: `http://127.0.0.1:${port}`, backend: backend.name })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => {
    control.close();
    void harness.close().then(() => process.exit(0));
  });
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
