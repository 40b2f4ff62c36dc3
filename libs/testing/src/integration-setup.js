// Runs once before the integration suites: makes sure the PostgreSQL server and the Kafka broker
// are reachable, starting them through infra/ when they are not.
const { execFileSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');

const reachable = (host, port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

module.exports = async () => {
  process.env.TEST_DATABASE_URL ??= 'postgres://tashghil:tashghil@127.0.0.1:5432/tashghil';
  process.env.KAFKA_BROKERS ??= '127.0.0.1:9092';
  process.env.TASHGHIL_TEST_BACKENDS = 'pglite,postgres';
  const db = new URL(process.env.TEST_DATABASE_URL);
  // Always: on a server that is already up the script only provisions what is missing (the
  // services' roles, say) in a fraction of a second.
  execFileSync('bash', [path.join(root, 'infra/postgres/start.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PGPORT: db.port || '5432' },
  });
  const [host, port] = process.env.KAFKA_BROKERS.split(',')[0].split(':');
  if (!(await reachable(host, Number(port)))) {
    execFileSync('bash', [path.join(root, 'infra/kafka/start.sh')], { stdio: 'inherit' });
  }
};
