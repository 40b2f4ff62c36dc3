// Creates the small world the fuzzing reaches its deciders through (infra/fuzz/seeds.json) on a
// running platform, and prints FUZZ_PLACEMENT_ID=<id> for the placement it proposes.
// usage: node infra/fuzz/seed.js <base url> <token>
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  process.stderr.write('usage: node infra/fuzz/seed.js <base url> <token>\n');
  process.exit(2);
}

/** The states of a job before its end: a matching run's, an import's, a read model rebuild's. */
const UNFINISHED = new Set(['requested', 'solved', 'running']);

const follow = async (location) => {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(`${base}${location}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`GET ${location} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    if (!UNFINISHED.has(String(body.status ?? body.state))) return;
    if (Date.now() > deadline) throw new Error(`${location} had not ended after two minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

const main = async () => {
  let placementId = '';
  for (const [method, path, body] of JSON.parse(readFileSync(join(__dirname, 'seeds.json'), 'utf8'))) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    if (path === '/placements') placementId = JSON.parse(text).placementId;
    // A job (the batch matching run) is followed to its end, so the seeds after it find it done.
    const location = res.headers.get('location');
    if (res.status === 202 && location) await follow(location);
  }
  process.stdout.write(`FUZZ_PLACEMENT_ID=${placementId}\n`);
};

main().catch((error) => {
  process.stderr.write(`seeding failed: ${error.message}\n`);
  process.exit(1);
});
