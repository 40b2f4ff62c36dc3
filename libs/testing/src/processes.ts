import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { devRolePassword, SERVICE_ROLES } from '@tashghil/service-kit';

export const repoRoot = join(__dirname, '../../..');

/** Ports this process has handed out: the kernel may give a closed probe's port to the next probe. */
const handedOut = new Set<number>();

const probePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/**
 * A port nothing listens on now, and one this process has not handed out before: several replicas
 * given the same port would leave one of them dead at its start while the other answers for both.
 */
export const freePort = async (): Promise<number> => {
  for (;;) {
    const port = await probePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
};

/**
 * The database settings of a distributed service started by a test: its own role (with the
 * development password infra/postgres/start.sh gives it) over DATABASE_URL, and the owner's URL for
 * its migrations. The platform has no role of its own and runs as the owner, as development allows.
 */
export const serviceDatabaseEnv = (name: string, ownerUrl: string): Record<string, string> => {
  const role = SERVICE_ROLES.find((r) => r.service === name);
  if (!role) return { DATABASE_URL: ownerUrl, TASHGHIL_ALLOW_OWNER_ROLE: 'true' };
  const url = new URL(ownerUrl);
  url.username = role.role;
  url.password = devRolePassword(role);
  return { DATABASE_URL: url.toString(), DATABASE_MIGRATION_URL: ownerUrl };
};

/**
 * Starts `services/<name>/src/main.ts` as its own process, in the distributed mode unless `env`
 * says otherwise. `databaseUrl` is the owner's; a distributed service connects as its own role.
 */
export const spawnService = (
  name: string,
  port: number,
  databaseUrl: string,
  env: Record<string, string> = {},
): ChildProcess => {
  const distributed = (env.TASHGHIL_MODE ?? 'distributed') === 'distributed';
  const database = databaseUrl && distributed ? serviceDatabaseEnv(name, databaseUrl) : { DATABASE_URL: databaseUrl };
  return spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, `services/${name}/src/main.ts`)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TASHGHIL_MODE: 'distributed',
      ...database,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
};

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
