import { testBackends } from '@tashghil/event-store';
import type { Driver } from './driver';
import { openHarness, type Harness } from './harness';
import { SCENARIOS } from './scenarios';

/**
 * Runs every scenario through one client, over a gateway on each backend of this run (PGlite in
 * the unit run; PGlite and the PostgreSQL server in the integration run). A scenario that needs a
 * backend this run lacks is not registered here; the integration run covers it.
 */
export const judgeWith = (client: string, connect: (harness: Harness) => Driver): void => {
  for (const backend of testBackends()) {
    describe(`${client} against the gateway on ${backend.name}`, () => {
      let harness: Harness;
      let driver: Driver;
      beforeAll(async () => {
        harness = await openHarness(backend);
        driver = connect(harness);
      });
      afterAll(async () => {
        await driver?.close();
        await harness?.close();
      });
      for (const scenario of SCENARIOS) {
        if (scenario.backends && !scenario.backends.includes(backend.name)) continue;
        it(scenario.name, () => scenario.run(driver, harness));
      }
    });
  }
};
