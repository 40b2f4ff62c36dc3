import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './processes';

const listenOn = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, () => srv.close(() => resolve()));
  });

describe('freePort', () => {
  it('hands out ports a server can listen on, never the same one twice, below the ephemeral range', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 40; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports.slice(0, 5)) await listenOn(port);
    const [low = 0] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low >= 20_000) for (const port of ports) expect(port).toBeLessThan(low);
  });

  it('passes over a port something already listens on', async () => {
    const first = await freePort();
    // Taken before it is handed out: the next port of this process's walk, held open meanwhile.
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(first + 1, resolve));
    try {
      const next = await freePort();
      expect(next).not.toBe(first + 1);
      await listenOn(next);
    } finally {
      await new Promise((resolve) => held.close(resolve));
    }
  });
});
