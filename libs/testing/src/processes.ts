import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { devRolePassword, SERVICE_ROLES } from '@tashghil/service-kit';

export const repoRoot = join(__dirname, '../../..');

/** Ports this process has handed out: a port probed free stays free until its service listens. */
const handedOut = new Set<number>();

/** Whether a server may listen on `port` on every address now, as a service started with it would. */
const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, () => srv.close(() => resolve(true)));
  });

/**
 * The ports tests hand out: the 10,000 below the kernel's ephemeral range. A port the kernel gave
 * a probe on port 0 could be given again, between the probe and the service's listen, to an
 * outgoing connection of any process (a client of PostgreSQL or Kafka), and the service would die
 * at its start; the kernel never picks a port below that range for an outgoing connection. Null
 * where the range cannot be read or leaves no room below it.
 */
const testPorts = ((): { readonly from: number; readonly count: number } | null => {
  try {
    const [low = 0] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low >= 20_000 ? { from: low - 10_000, count: 10_000 } : null;
  } catch {
    return null;
  }
})();

/** A port the kernel picks (on systems where testPorts is null). */
const probePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Where this process starts looking in testPorts, apart from other processes doing the same. */
let nextPort = process.pid * 7_919;

/**
 * A port nothing listens on now, and one this process has not handed out before: several replicas
 * given the same port would leave one of them dead at its start while the other answers for both.
 */
export const freePort = async (): Promise<number> => {
  for (let tried = 0; tried < (testPorts?.count ?? Number.POSITIVE_INFINITY); tried += 1) {
    const port = testPorts ? testPorts.from + (nextPort++ % testPorts.count) : await probePort();
    if (!handedOut.has(port) && (!testPorts || (await canListen(port)))) {
      handedOut.add(port);
      return port;
    }
  }
  // Only a walk of testPorts ends: the kernel's probes go on until one is new.
  throw new Error(`none of the ${testPorts?.count} ports below the kernel's ephemeral range is free`);
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
