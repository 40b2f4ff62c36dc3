import { givenStreams } from '@tashghil/event-store';
import {
  EnvelopeExceededError,
  envelopeDecider,
  envelopeStreamId,
  type EnvelopeEvent,
} from '../envelope/envelope.decider';
import { BASELINE } from '../rules/parameters';
import {
  worksProjectDecider,
  worksProjectStreamId,
  type DecideWorksProject,
  type LaunchWorksSite,
  type ProposeWorksProject,
  type WorksProjectEvent,
} from './works-project.decider';
import { decideWorksProject, recommitting, waitlisting } from './works-project-envelope.workflow';

const metadata = (day: string, commandId: string) => ({
  now: `${day}T09:00:00.000Z`,
  actor: 'ct-ma10',
  roles: ['committee'],
  region: 'MA-10',
  correlationId: 'c',
  commandId,
});
const site = worksProjectStreamId('tan-tan-corniche-2022');
const envelope = envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 });
const propose: ProposeWorksProject = {
  type: 'ProposeWorksProject',
  data: {
    projectId: 'tan-tan-corniche-2022',
    region: 'MA-10',
    province: 'Tan-Tan',
    promoter: { kind: 'cooperative', id: 'coop-1', name: 'Coopérative (fictive) Al Amal' },
    kind: 'large',
    title: 'Aménagement de la corniche',
    jobs: 3,
    months: 6,
    start: '2022-05-02',
    end: '2022-11-01',
    monthlyWageCentimes: 282_871,
    proposedOn: '2022-04-25',
    table: BASELINE,
  },
  metadata: metadata('2022-04-25', 'propose'),
};
const proposed: WorksProjectEvent[] = [...worksProjectDecider.decide(propose, worksProjectDecider.initialState())];
const approve: DecideWorksProject = {
  type: 'DecideWorksProject',
  data: { outcome: 'approved', decisionNumber: 'CT-GON-2022-T01', date: '2022-04-28' },
  metadata: metadata('2022-04-28', 'approve'),
};
const limits = (targetJobs: number): EnvelopeEvent => ({
  type: 'EnvelopeLimitsSet',
  schemaVersion: 1,
  data: {
    region: 'MA-10',
    programme: 'awrach',
    year: 2022,
    revision: 1,
    reference: 'comité régional du 22 avril 2022',
    sourceEventId: 'e1',
    components: [{ component: 'temporary_works', targetJobs }],
  },
});

describe('a works site approved within its envelope', () => {
  it('takes the site’s jobs and budget from the temporary-works envelope with the decision', () => {
    const decided = givenStreams({ [site]: proposed, [envelope]: [limits(3800)] }).when(
      decideWorksProject('tan-tan-corniche-2022', approve),
    );
    expect(decided.events()[site]?.map((e) => e.type)).toEqual(['WorksProjectDecided']);
    const reserved = decided.state(envelopeDecider, envelope).reserved.temporary_works;
    const after = decided.state(worksProjectDecider, site);
    if (after.status === 'none') throw new Error('the site exists');
    expect(reserved).toEqual({ jobs: 3, centimes: after.commitment?.envelope.centimes });
  });

  it('is refused past the envelope’s jobs, and can then be waitlisted with the refusal as reason', () => {
    const full = { [site]: proposed, [envelope]: [limits(2)] };
    let refusal: unknown;
    try {
      givenStreams(full).when(decideWorksProject('tan-tan-corniche-2022', approve)).events();
    } catch (error) {
      refusal = error;
    }
    if (!(refusal instanceof EnvelopeExceededError)) throw new Error('expected the envelope to refuse');
    const waitlisted = givenStreams(full)
      .when(decideWorksProject('tan-tan-corniche-2022', waitlisting(approve, refusal)))
      .events();
    expect(Object.keys(waitlisted)).toEqual([site]);
    expect(waitlisted[site]).toMatchObject([
      { type: 'WorksProjectDecided', data: { outcome: 'waitlisted', reason: expect.stringMatching(/0 of 2 jobs/) } },
    ]);
  });
});

describe('a works site re-committed', () => {
  const approval = givenStreams({ [site]: proposed, [envelope]: [limits(3800)] })
    .when(decideWorksProject('tan-tan-corniche-2022', approve))
    .events();
  const approved = [...proposed, ...((approval[site] ?? []) as readonly WorksProjectEvent[])];
  const reserved = [limits(3800), ...((approval[envelope] ?? []) as readonly EnvelopeEvent[])];

  it('moves its reservation when a late launch moves its months across the SMIG rise', () => {
    const launch: LaunchWorksSite = {
      type: 'LaunchWorksSite',
      data: { on: '2022-07-01', table: BASELINE },
      metadata: metadata('2022-07-01', 'launch'),
    };
    const decided = givenStreams({ [site]: approved, [envelope]: reserved }).when(
      recommitting('tan-tan-corniche-2022', launch),
    );
    expect(decided.events()[site]?.map((e) => e.type)).toEqual(['WorksSiteLaunched', 'WorksCommitmentRevised']);
    // Launched on 1 July, the site runs July–December: 3 × (2 × 3,425.29 + 4 × 3,596.43) MAD.
    expect(decided.state(envelopeDecider, envelope).reserved.temporary_works).toEqual({
      jobs: 3,
      centimes: 3 * (2 * 342_529 + 4 * 359_643),
    });
    expect(decided.events()[envelope]).toMatchObject([
      {
        type: 'EnvelopePlacesRevised',
        data: { on: '2022-07-01', reason: expect.stringMatching(/revision 1 \(launch\)/) },
      },
    ]);
  });

  it('leaves the envelope alone when the launch keeps the price', () => {
    const onTime: LaunchWorksSite = {
      type: 'LaunchWorksSite',
      data: { on: '2022-05-02', table: BASELINE },
      metadata: metadata('2022-05-02', 'launch'),
    };
    const decided = givenStreams({ [site]: approved })
      .when(recommitting('tan-tan-corniche-2022', onTime))
      .events();
    expect(Object.keys(decided)).toEqual([site]);
  });
});
