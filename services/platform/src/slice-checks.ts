import { call } from '@tashghil/testing';

export { call, officer, tokenFor } from '@tashghil/testing';

/**
 * The thin slice as a user meets it, over HTTP: a command, then the projection that Kafka (or the
 * in-process bus) fed. Shared by the embedded and the distributed tests so both modes are held to
 * the same checks.
 */
export const conventionIdsIn = (report: Record<string, unknown>, region: string): string[] => {
  const regions = (report.regions ?? []) as Array<{ region: string; conventions: Array<{ conventionId: string }> }>;
  return regions.find((r) => r.region === region)?.conventions.map((c) => c.conventionId) ?? [];
};

/** Polls the report until the convention shows, as a committee member's browser would. */
export const waitForConvention = async (base: string, token: string, region: string, id: string, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const report = await call(base, 'GET', `/reports/conventions?region=${region}`, token);
    if (report.status === 200 && conventionIdsIn(report.body, region).includes(id)) return;
    if (Date.now() > deadline) throw new Error(`convention ${id} did not reach the report: last answer ${report.status} ${JSON.stringify(report.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const draftBody = (conventionId: string, region: string) => ({
  conventionId,
  region,
  title: `Convention test ${conventionId}`,
  period: { start: '2024-01-01', end: '2026-12-31' },
});
