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
  }
  process.stdout.write(`FUZZ_PLACEMENT_ID=${placementId}\n`);
};

main().catch((error) => {
  process.stderr.write(`seeding failed: ${error.message}\n`);
  process.exit(1);
});
