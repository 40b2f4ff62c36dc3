import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kurrent from '@kurrent/kurrentdb-client';
import { openPgliteDatabase, openServerDatabase, type Backend } from '@tashghil/event-store';
import { nodeParty, processParty, type Party } from './cross-parties';
import { CROSS_PARTIES, runCrossScenario, type CrossScenario } from './cross-scenarios';
import { openHarness, type Harness } from './harness';
import { nodeDriver, type NodeClient, type NodeClientModule } from './node-driver';

/**
 * The cross-client scenarios of judges/scenarios.json (those with a writer and readers): one gateway
 * and store per backend, the Node client in this process, the Python and Go clients as agents of
 * their own (judges/run.sh builds them first). Prints a line per scenario and, per backend, the
 * judges' "Tests: N passed, M failed"; exits 1 if any failed.
 * Usage: node -r @swc-node/register services/kurrent-gateway/src/judges/cross.ts  (JUDGE_BACKENDS=pglite,postgres)
 */
const JUDGES = join(__dirname, '../../judges');

const BACKENDS: Record<string, Backend> = {
  pglite: { name: 'pglite', open: openPgliteDatabase },
  postgres: { name: 'postgres', open: openServerDatabase },
};

const partiesFor = (harness: Harness): Record<(typeof CROSS_PARTIES)[number], Party> => ({
  node: nodeParty(
    'node',
    nodeDriver(
      '@kurrent/kurrentdb-client',
      kurrent as unknown as NodeClientModule,
      kurrent.KurrentDBClient.connectionString(`kurrentdb://${harness.address}?tls=false`) as unknown as NodeClient,
      'kurrent',
    ),
  ),
  python: processParty(
    'python',
    join(JUDGES, 'python/.venv/bin/python'),
    [join(JUDGES, 'python/agent.py'), harness.address],
    JUDGES,
  ),
  go: processParty('go', join(JUDGES, 'go/.judge'), ['--agent', harness.address], join(JUDGES, 'go')),
});

const judge = async (backend: Backend, scenarios: readonly CrossScenario[]): Promise<number> => {
  const harness = await openHarness(backend);
  const parties = partiesFor(harness);
  const party = (name: string): Party => {
    const found = (parties as Record<string, Party | undefined>)[name];
    if (!found) throw new Error(`no cross-client party named ${name} (${CROSS_PARTIES.join(', ')})`);
    return found;
  };
  let passed = 0;
  let failed = 0;
  try {
    for (const scenario of scenarios) {
      try {
        await runCrossScenario(party(scenario.writer), scenario.readers.map(party), harness.unique(), harness.settle);
        passed += 1;
        process.stdout.write(`  ok   ${scenario.id}\n`);
      } catch (error) {
        failed += 1;
        process.stdout.write(`  FAIL ${scenario.id}: ${scenario.name}\n       ${(error as Error).message}\n`);
      }
    }
  } finally {
    await Promise.all(Object.values(parties).map((p) => p.close().catch(() => undefined)));
    await harness.close();
  }
  process.stdout.write(`cross-client on ${backend.name}, Tests: ${passed} passed, ${failed} failed\n`);
  return failed;
};

const main = async (): Promise<void> => {
  const listed = JSON.parse(readFileSync(join(JUDGES, 'scenarios.json'), 'utf8')) as Array<Partial<CrossScenario>>;
  const scenarios = listed.filter((s): s is CrossScenario => typeof s.writer === 'string');
  let failed = 0;
  for (const name of (process.env.JUDGE_BACKENDS ?? 'pglite').split(',').map((s) => s.trim())) {
    const backend = BACKENDS[name];
    if (!backend) throw new Error(`JUDGE_BACKENDS names pglite and postgres, not ${name}`);
    failed += await judge(backend, scenarios);
  }
  process.exit(failed > 0 ? 1 : 0);
};

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
