import type { SeekerHiredV1 } from '@tashghil/contracts';
import type { EventStore, RecordedEvent } from '@tashghil/event-store';
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
export const waitForConvention = async (
  base: string,
  token: string,
  region: string,
  id: string,
  ms = 30_000,
): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const report = await call(base, 'GET', `/reports/conventions?region=${region}`, token);
    if (report.status === 200 && conventionIdsIn(report.body, region).includes(id)) return;
    if (Date.now() > deadline)
      throw new Error(
        `convention ${id} did not reach the report: last answer ${report.status} ${JSON.stringify(report.body)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const draftBody = (conventionId: string, region: string) => ({
  conventionId,
  region,
  title: `Convention test ${conventionId}`,
  period: { start: '2024-01-01', end: '2026-12-31' },
});

/** What the demo seeding appended: its commands, and the follow-ups they caused, carry the actor `demo-seed`. */
export const demoEvents = async (store: EventStore): Promise<RecordedEvent[]> =>
  (await store.readAll({ limit: 100_000 })).events.filter((e) => e.metadata.actor === 'demo-seed');

export interface HireFacts {
  readonly placementId: string;
  readonly on: string;
  readonly recordedAt: string;
  readonly flow: string;
  readonly origin: string;
  readonly destination: string;
  readonly sector: string;
  readonly contractType: string;
  readonly startDate: string;
}

/** The SeekerHired events among `events`, with what a committee report counts them by. */
export const hiresIn = (events: readonly RecordedEvent[]): HireFacts[] =>
  events
    .filter((e) => e.type === 'SeekerHired')
    .map((e) => {
      const d = e.data as SeekerHiredV1;
      return {
        placementId: d.placementId,
        on: d.on,
        recordedAt: e.recordedAt,
        flow: d.flow,
        origin: d.origin.region,
        destination: d.destination.abroadCountry ? 'abroad' : d.destination.region,
        sector: d.employer.sector,
        contractType: d.contractType,
        startDate: d.startDate,
      };
    });

export const countBy = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> =>
  xs.reduce<Record<string, number>>((n, x) => ({ ...n, [key(x)]: (n[key(x)] ?? 0) + 1 }), {});

/** Polls the store until the subsidies service has noticed `hires` hires through the bus, as a grant application on a placement needs. */
export const waitForHiresNoticed = async (store: EventStore, hires: number, ms = 90_000): Promise<void> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const noticed = (await store.readAll({ limit: 100_000, categories: ['subsidies.hire'], decrypt: false })).events
      .length;
    if (noticed >= hires) return;
    if (Date.now() > deadline) throw new Error(`the subsidies service noticed ${noticed} of ${hires} hires`);
    await new Promise((r) => setTimeout(r, 250));
  }
};
