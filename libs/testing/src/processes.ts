import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '../../..');

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Starts `services/<name>/src/main.ts` as its own process in the distributed mode. */
export const spawnService = (name: string, port: number, databaseUrl: string, env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, `services/${name}/src/main.ts`)], {
    cwd: repoRoot,
    env: {
      ...process.env, TASHGHIL_MODE: 'distributed', DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', PORT: String(port), LOG_LEVEL: 'warn', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

export const waitReady = async (base: string, ms = 60_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base} did not become ready in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

export const stopProcess = async (p: ChildProcess): Promise<void> => {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
};
