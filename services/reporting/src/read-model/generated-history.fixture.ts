import type { GivenEvent } from '@tashghil/testing';
import {
  committeeDecisionRecorded,
  conventionAmended,
  conventionClosed,
  conventionDrafted,
  conventionSigned,
  grantApplied,
  grantClawbackClaimed,
  grantContractEnded,
  grantDecided,
  grantPaymentRecorded,
  offerOpened,
  offerPublished,
  placementProposed,
  programmeTargetsSet,
  seekerHired,
  share,
  worksBeneficiaryEnrolled,
  worksCommitmentRevised,
  worksPayrollRecorded,
  worksProjectDecided,
  worksProjectProposed,
  worksSiteCompleted,
  worksSiteLaunched,
} from './events.fixture';
import type { HistoryEvent } from './history.fixture';

/** A small deterministic generator (mulberry32), so a failing history can be generated again. */
const random = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const START = Date.UTC(2022, 2, 1);
const DAY = 86_400_000;
/** A calendar day, `n` days after 1 March 2022. */
export const dayOf = (n: number): string => new Date(START + n * DAY).toISOString().slice(0, 10);

/**
 * A programme history across two regions, its recorded times spread over about two months: every
 * projected event type, files that change (conventions amended and closed, targets revised, a
 * decision taken again, a site re-priced), facts that meet in one row from several streams (an
 * offer and its placements), several events recorded in one instant, and a person met in several
 * sources. Each stream's events are recorded in order; the history is sorted by recorded time.
 */
export const generatedHistory = (seed: number, scale = 1): HistoryEvent[] => {
  const rnd = random(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const out: HistoryEvent[] = [];
  /** Recorded at day `d`, minute `m` of the working day (an instant two events may share). */
  const add = (streamId: string, e: GivenEvent, d: number, m = int(480)) =>
    out.push({
      streamId,
      type: e.type,
      data: e.data as unknown as Record<string, unknown>,
      at: new Date(START + d * DAY + (8 * 60 + m) * 60_000).toISOString(),
    });
  const regions = ['MA-09', 'MA-10'] as const;

  for (const [r, region] of regions.entries()) {
    const conventionId = `conv-${region}`;
    const stream = `conventions.convention-${conventionId}`;
    const idmaj = (total: number) => ({
      measureId: 'idmaj',
      programmeLine: 'idmaj_training_contracts',
      label: 'Contrats de formation',
      target: { total },
      budget: { stateCentimes: 1_000_000 * (r + 1), regionCentimes: 500_000 },
    });
    add(stream, conventionDrafted({ conventionId, region, period: { start: '2022-03-01', end: '2022-04-15' } }), 0);
    add(
      stream,
      conventionSigned({
        conventionId,
        region,
        signedOn: dayOf(3),
        period: { start: '2022-03-01', end: '2022-04-15' },
        measures: [idmaj(100), { measureId: 'other', programmeLine: 'other', target: { total: 5 } }],
      }),
      3,
    );
    const amended = 15 + r * 4;
    add(
      stream,
      conventionAmended({
        conventionId,
        region,
        period: { start: '2022-03-01', end: '2022-05-31' },
        measures: [idmaj(150)],
      }),
      amended,
      100,
    );
    // Closed in the same instant as it was amended, in one region: both changes stand from that instant.
    if (r === 1)
      add(stream, conventionClosed({ conventionId, region, early: true, date: dayOf(amended) }), amended, 100);

    const targets = `conventions.programme-targets-${region}-awrach-2022`;
    const components = (jobs: number) => [
      { component: 'temporary_works', targetJobs: jobs, budgetCentimes: jobs * 10_000 },
      { component: 'lasting_integration', targetJobs: Math.floor(jobs / 2) },
    ];
    add(targets, programmeTargetsSet({ region, revision: 1, components: components(100) }), 1);
    add(targets, programmeTargetsSet({ region, revision: 2, components: components(140) }), 12 + r);
    add(targets, programmeTargetsSet({ region, revision: 2, components: components(999) }), 25);

    for (let c = 0; c < 3; c += 1)
      add(
        `conventions.committee-${region}`,
        committeeDecisionRecorded({
          committeeId: `com-${region}`,
          region,
          decisionNumber: `CR-${c}`,
          date: dayOf(5 + c * 9),
          outcome: c === 1 ? 'rejected' : 'approved',
        }),
        5 + c * 9,
      );
  }

  const offers = Math.round(6 * scale);
  let placement = 0;
  for (let o = 0; o < offers; o += 1) {
    const offerId = `of-${o}`;
    const region = regions[o % 2] ?? 'MA-09';
    const other = regions[(o + 1) % 2] ?? 'MA-10';
    const published = 1 + int(20);
    add(
      `matching.offer-${offerId}`,
      offerPublished({ offerId, region, on: dayOf(published), mass: o % 3 === 0 }),
      published,
    );
    if (o % 2 === 0)
      add(`matching.offer-${offerId}`, offerOpened({ offerId, region, on: dayOf(published + 3) }), published + 3);
    for (let p = 0; p < 3; p += 1) {
      placement += 1;
      const placementId = `pl-${placement}`;
      const seekerId = `sk-${placement}`;
      const proposed = published + 1 + int(6);
      const stream = `matching.placement-${placementId}`;
      add(stream, placementProposed({ placementId, seekerId, offerId, on: dayOf(proposed) }), proposed);
      if (int(4) === 0) continue;
      const hired = proposed + 2 + int(20);
      const flow = (['own_region', 'other_region', 'abroad'] as const)[int(3)] ?? 'own_region';
      add(
        stream,
        seekerHired({
          placementId,
          seekerId,
          offerId,
          on: dayOf(hired),
          startDate: dayOf(hired),
          flow,
          contractType: int(2) === 0 ? 'idmaj' : 'permanent',
          employer: {
            kind: 'company',
            id: `emp-${int(3)}`,
            sector: ['automobile', 'agro', 'tourism'][int(3)] ?? 'agro',
          },
          origin: { region: flow === 'own_region' ? region : other, province: `prov-${int(3)}` },
          destination:
            flow === 'abroad'
              ? { region, province: `prov-${int(3)}`, abroadCountry: 'ES' }
              : { region, province: `prov-${int(3)}` },
        }),
        hired,
      );
    }
  }

  const sites = Math.round(4 * scale);
  for (let w = 0; w < sites; w += 1) {
    const projectId = `wp-${w}`;
    const region = regions[w % 2] ?? 'MA-10';
    const stream = `subsidies.works-project-${projectId}`;
    const proposed = 2 + int(15);
    add(
      stream,
      worksProjectProposed({ projectId, region, province: `prov-${w % 3}`, jobs: 2 + w, proposedOn: dayOf(proposed) }),
      proposed,
    );
    const approved = w % 4 !== 3;
    const decided = proposed + 2;
    add(
      stream,
      worksProjectDecided({
        projectId,
        region,
        outcome: approved ? 'approved' : 'rejected',
        decisionNumber: `CT-${w}`,
        date: dayOf(decided),
        ...(approved ? { envelope: { ...share(1_000_000 * (w + 1)), jobs: 2 + w } } : {}),
      }),
      decided,
    );
    if (!approved) continue;
    const launched = decided + 3;
    add(stream, worksSiteLaunched({ projectId, region, on: dayOf(launched) }), launched, 30);
    for (let b = 0; b < 2; b += 1)
      add(
        stream,
        worksBeneficiaryEnrolled({
          projectId,
          region,
          province: `prov-${w % 3}`,
          beneficiaryId: `b-${w}-${b}`,
          on: dayOf(launched),
          // A person hired through matching is enrolled too: counted once in the total.
          ...(b === 0 && w < placement ? { seekerId: `sk-${w + 1}` } : {}),
        }),
        launched,
        30,
      );
    add(
      stream,
      worksCommitmentRevised({
        projectId,
        region,
        revision: 1,
        envelope: { ...share(1_100_000 * (w + 1)), jobs: 2 + w },
      }),
      launched + 4,
    );
    add(stream, worksPayrollRecorded({ projectId, region, month: '2022-04' }), launched + 6);
    if (w % 2 === 0) add(stream, worksSiteCompleted({ projectId, region, on: dayOf(launched + 20) }), launched + 20);
  }

  const grants = Math.round(5 * scale);
  for (let g = 0; g < grants; g += 1) {
    const grantId = `g-${g}`;
    const region = regions[g % 2] ?? 'MA-10';
    const stream = `subsidies.grant-${grantId}`;
    const applied = 4 + int(20);
    const matched = g % 2 === 0 && g < placement;
    add(
      stream,
      grantApplied({
        grantId,
        region,
        hire: {
          source: matched ? 'matching' : 'manual',
          ...(matched ? { placementId: `pl-${g + 1}` } : {}),
          seekerId: matched ? `sk-${g + 1}` : `sk-g-${g}`,
          startDate: dayOf(applied - 2),
          contractMonths: 24,
          monthlyWageCentimes: 300_000,
        },
        appliedOn: dayOf(applied),
        ...(g % 3 === 0 ? { beneficiary: undefined } : {}),
      }),
      applied,
    );
    const first = applied + 2;
    const approved = g % 5 !== 4;
    const decide = (number: string, day: number, outcome: 'approved' | 'rejected') =>
      grantDecided({
        grantId,
        region,
        outcome,
        decisionNumber: number,
        date: dayOf(day),
        ...(outcome === 'approved' ? {} : { envelope: undefined }),
      });
    add(stream, decide(`CT-g-${g}`, first, approved ? 'approved' : 'rejected'), first);
    // Taken again on appeal, approved later.
    if (!approved) add(stream, decide(`CT-g-${g}-bis`, first + 6, 'approved'), first + 6);
    if (!approved) continue;
    add(stream, grantPaymentRecorded({ grantId, region, month: '2022-04' }), first + 5);
    add(stream, grantPaymentRecorded({ grantId, region, month: '2022-05' }), first + 9);
    if (g % 3 === 1) {
      add(stream, grantContractEnded({ grantId, region, lastDay: dayOf(first + 10) }), first + 12);
      add(stream, grantClawbackClaimed({ grantId, region, on: dayOf(first + 14) }), first + 14);
    }
  }
  // Stable: events recorded in one instant keep their stream's order.
  return out.sort((a, b) => a.at.localeCompare(b.at));
};
