import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openServerDatabase, testBackends, type TestDatabase } from '@tashghil/event-store';
import { startService } from './bootstrap';

type Line = Record<string, unknown>;

/** Where a service is started: PGlite, or a server database created with these options. */
const cases: Array<readonly [string, string | undefined, string | null]> = [
  ['PGlite', undefined, null],
  ...(testBackends().some((b) => b.name === 'postgres')
    ? [
        ['a server database created with locale C', "TEMPLATE template0 LOCALE 'C'", null] as const,
        [
          'a server database ordering text by ICU en-US',
          "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'",
          'en-US',
        ] as const,
      ]
    : []),
];

describe.each(cases)('a service started on %s', (_name, createOptions, collation) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-collation-'));
  let database: TestDatabase | undefined;

  afterAll(async () => {
    await database?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    collation ? `warns that the store's indexes compare by ${collation}'s rules` : 'gives no collation warning',
    async () => {
      if (createOptions !== undefined) database = await openServerDatabase(createOptions);
      const lines: Line[] = [];
      const logs = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
          done();
        },
      });
      const service = await startService(
        { name: 'kit-collation', modules: [], consumers: [], relays: [], migrations: [], defaultPort: 0 },
        {
          TASHGHIL_MODE: 'embedded',
          TASHGHIL_DATA_DIR: dataDir,
          PORT: '0',
          TASHGHIL_DEMO: 'false',
          LOG_LEVEL: 'info',
          ...(database?.url ? { DATABASE_URL: database.url } : {}),
        },
        { logDestination: logs },
      );
      await service.stop();
      const warnings = lines.filter((l) => l.collation !== undefined);
      if (collation) {
        expect(warnings).toEqual([expect.objectContaining({ level: 40, service: 'kit-collation', collation })]);
        expect(warnings[0]?.msg).toContain('--no-locale');
      } else {
        expect(warnings).toEqual([]);
        expect(lines.length).toBeGreaterThan(0);
      }
    },
  );
});
