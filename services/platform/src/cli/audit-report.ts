import { isoDate, isRegionCode, madFromCentimes, type RegionCode } from '@tashghil/contracts';
import { reportAsOf, type CommitteeReport } from '@tashghil/reporting';
import { UsageError, valueOf, type Parsed } from './args';
import { EXIT, type AuditCommand, type AuditContext } from './audit-command';

const options = (p: Parsed): { asOf: string; region?: RegionCode } => {
  const asOf = valueOf(p, 'as-of');
  if (asOf === undefined) throw new UsageError('give the day with --as-of YYYY-MM-DD, e.g. --as-of 2022-12-31');
  if (!isoDate.safeParse(asOf).success) throw new UsageError(`--as-of ${asOf} is not a calendar day as YYYY-MM-DD`);
  const region = valueOf(p, 'region');
  if (region !== undefined && !isRegionCode(region))
    throw new UsageError(`--region ${region} is not a region code, MA-01 to MA-12`);
  return { asOf, ...(region === undefined ? {} : { region }) };
};

const counts = (items: readonly { key: string; count: number }[]): string =>
  items.map((c) => `${c.key} ${c.count}`).join(', ');
const inBrackets = (items: readonly { key: string; count: number }[]): string =>
  items.length === 0 ? '' : ` (${counts(items)})`;

/** What a committee looks at first, one line per target and budget line. */
export const summarise = (r: CommitteeReport): string[] => {
  const w = r.worksSites;
  const line = (x: { region: string; source: string; ref: string; line: string; label: string }) =>
    `${x.region} ${x.source} ${x.ref} ${x.label || x.line}`;
  return [
    `Committee report, ${r.scope.name.fr || 'national'}${r.scope.region === null ? '' : ` (${r.scope.region})`}, as it stood at the end of ${r.asOf ?? 'today'}`,
    `basis: ${r.basis.kind} of ${r.basis.events} events${r.basis.lastRecordedAt ? `, the last recorded ${r.basis.lastRecordedAt}` : ''}; generated ${r.generatedAt}`,
    '',
    `targets vs achieved (jobs):${r.targets.length === 0 ? ' none' : ''}`,
    ...r.targets.map(
      (t) =>
        `  ${line(t)}${t.year === null ? '' : ` ${t.year}`}: ${
          t.achievedJobs === null
            ? `target ${t.targetJobs}, achievement not measured`
            : `${t.achievedJobs} of ${t.targetJobs}${t.targetJobs > 0 ? ` (${Math.round((t.achievedJobs * 100) / t.targetJobs)}%)` : ''}${t.endedJobs ? `, ${t.endedJobs} ended early` : ''}`
        }`,
    ),
    `budget (MAD):${r.budget.length === 0 ? ' none' : ''}`,
    ...r.budget.map(
      (b) =>
        `  ${line(b)}: budget ${b.budgetCentimes === null ? 'not given' : madFromCentimes(b.budgetCentimes)}, committed ${madFromCentimes(b.committedCentimes)}${b.releasedCentimes ? ` (${madFromCentimes(b.releasedCentimes)} released by early ends)` : ''}, paid ${madFromCentimes(b.paidCentimes)}, clawed back ${madFromCentimes(b.clawedBackCentimes)}`,
    ),
    // A person can count in two components, so the components may add up to more than the total.
    `beneficiaries: ${r.beneficiaries.total} persons; by component${inBrackets(r.beneficiaries.byComponent)}; by source${inBrackets(r.beneficiaries.bySource)}; ${r.beneficiaries.basis.hiresLeftOut} placements under no programme left out`,
    `placements: ${r.placements.total}${inBrackets(r.placements.bySector)}`,
    `works sites: programmed ${w.programmed.sites} (${w.programmed.jobs} jobs), launched ${w.launched.sites} (${w.launched.jobs} jobs), completed ${w.completed.sites} (${w.completed.jobs} jobs); ${w.enrolled} enrolled`,
    `decisions: ${r.decisions.recorded.length} recorded by committees; on files: ${counts(r.decisions.onFiles) || 'none'}`,
  ];
};

const report = async ({ store, p, out, progress }: AuditContext): Promise<number> => {
  const bar = progress('replaying');
  const r = await reportAsOf(store, {
    ...options(p),
    ...(bar.active ? { onProgress: (done: number, total: number) => bar.update(done, total) } : {}),
  }).finally(() => bar.end());
  if (p.flags.json) out(JSON.stringify(r));
  else for (const l of summarise(r)) out(l);
  return EXIT.ok;
};

export const REPORT: AuditCommand = {
  help: `tashghil audit report --as-of <YYYY-MM-DD> [--region <MA-xx>] [--json]

  The committee report as it stood at the end of that day (UTC): the log is replayed up to then,
  with the reporting service's own projection, into a scratch schema dropped afterwards (so the
  database role needs to create one). Events recorded later, even about earlier dates, are not in
  it. Without --region, the national report. Prints a summary: targets vs achieved, budget
  committed and paid per line, beneficiaries, placements, works sites, decisions; --json prints
  the whole report.

  Exit 0 reported, 2 a day or region that is not one, 3 store unavailable.`,
  check: (p) => void options(p),
  run: report,
};
