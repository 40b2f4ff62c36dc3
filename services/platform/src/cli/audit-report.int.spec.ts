import { ensureConventionsQueryModels, programmeTargetsDecider, programmeTargetsStreamId } from '@tashghil/conventions';
import { handleCommand, openStore, testBackends, type TestDatabase } from '@tashghil/event-store';
import type { CommitteeReport } from '@tashghil/reporting';
import { EXIT, runAudit } from './audit';
import { progressTo } from './progress';

describe.each(testBackends().map((b) => [b.name, b] as const))('tashghil audit report (%s)', (_n, backend) => {
  let database: TestDatabase;

  const audit = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAudit(
      argv,
      {},
      (s) => out.push(s),
      (s) => err.push(s),
      { database: database.db, progress: progressTo({ isTTY: false, write: () => true }) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    database = await backend.open();
    // Recorded on 22 April 2022, as the demo's Awrach targets are: "as of" reads the recording time.
    const store = await openStore(database, [], { clock: () => new Date('2022-04-22T09:00:00.000Z') });
    await ensureConventionsQueryModels(store);
    await handleCommand(store, programmeTargetsDecider, programmeTargetsStreamId('MA-10', 'awrach', 2022), {
      type: 'SetProgrammeTargets',
      data: {
        region: 'MA-10',
        programme: 'awrach',
        year: 2022,
        reference: 'Comité régional du 22 avril 2022',
        effectiveDate: '2022-04-22',
        components: [
          { component: 'temporary_works', targetJobs: 3_800 },
          { component: 'lasting_integration', targetJobs: 1_000, budgetCentimes: 2_700_000_000 },
        ],
      },
      metadata: {
        now: '2022-04-22T09:00:00.000Z',
        actor: 'test',
        roles: ['admin'],
        correlationId: 'c',
        commandId: 'targets',
      },
    });
  });
  afterAll(() => database.dispose());

  it('answers a day that is not one, a region that is not one, or no day, with exit 2 and one line', async () => {
    for (const argv of [
      ['report'],
      ['report', '--as-of'],
      ['report', '--as-of', '2022-02-30'],
      ['report', '--as-of', '31/12/2022'],
      ['report', '--as-of', '2022-12-31', '--region', 'MA-16'],
    ]) {
      const r = await audit(...argv);
      expect(r).toMatchObject({ code: EXIT.usage, out: '' });
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^audit report: /);
    }
    expect((await audit('report', '--as-of', '2022-02-30')).err).toBe(
      'audit report: --as-of 2022-02-30 is not a calendar day as YYYY-MM-DD',
    );
    expect((await audit('report', '--as-of', '2022-12-31', '--region', 'MA-16')).err).toMatch(
      /MA-16 is not a region code/,
    );
  });

  it('gives the committee report as it stood at the end of a day, as JSON', async () => {
    const before = await audit('report', '--as-of', '2022-04-21', '--region', 'MA-10', '--json');
    expect(before.code).toBe(EXIT.ok);
    expect(JSON.parse(before.out) as CommitteeReport).toMatchObject({
      asOf: '2022-04-21',
      scope: { region: 'MA-10' },
      basis: { kind: 'replay', events: 0 },
      targets: [],
    });
    const after = JSON.parse(
      (await audit('report', '--as-of', '2022-04-30', '--region', 'MA-10', '--json')).out,
    ) as CommitteeReport;
    expect(after).toMatchObject({ asOf: '2022-04-30', basis: { kind: 'replay', events: 1 } });
    expect(after.targets.find((t) => t.line === 'temporary_works')).toMatchObject({
      region: 'MA-10',
      targetJobs: 3_800,
    });
    const national = JSON.parse((await audit('report', '--as-of=2022-04-30', '--json')).out) as CommitteeReport;
    expect(national.scope.region).toBeNull();
  });

  it('prints a summary a person reads, with a progress bar only on a terminal', async () => {
    const drawn: string[] = [];
    const out: string[] = [];
    const code = await runAudit(
      ['report', '--as-of', '2022-04-30', '--region', 'MA-10'],
      {},
      (s) => out.push(s),
      () => undefined,
      {
        database: database.db,
        progress: progressTo({ isTTY: true, write: (s) => drawn.push(s) }),
      },
    );
    expect(code).toBe(EXIT.ok);
    const text = out.join('\n');
    expect(text).toMatch(/as it stood at the end of 2022-04-30/);
    expect(text).toMatch(/MA-10 programme awrach\/2022 \S+.*: 0 of 3800/);
    expect(text).toMatch(/budget 27000000\.00, committed 0\.00, paid 0\.00/);
    expect(text).toMatch(/^beneficiaries: 0/m);
    expect(text).toMatch(/^decisions: 0 recorded/m);
    expect(drawn.some((s) => s.startsWith('\rreplaying ['))).toBe(true);
    expect(drawn.at(-1)).toMatch(/^\r +\r$/);
  });
});
