import { givenFor } from '@tashghil/testing';
import {
  flowOf,
  placementDecider,
  type PlacementCommand,
  type PlacementEvent,
  type Proposal,
} from './placement.decider';

const given = givenFor(placementDecider);
const at = (day: string) => ({
  now: `${day}T09:00:00.000Z`,
  actor: 'officer-ma09',
  roles: ['officer'],
  region: 'MA-09',
  correlationId: 'c',
  commandId: 'k',
});
type Of<T extends PlacementCommand['type']> = Extract<PlacementCommand, { type: T }>;
const cmd = <T extends PlacementCommand['type']>(type: T, data: Of<T>['data'], day = '2024-03-01'): Of<T> =>
  ({ type, data, metadata: at(day) }) as unknown as Of<T>;

const proposal: Proposal = {
  placementId: 'p-1',
  runId: 'run-1',
  seekerId: 'sk-1',
  offerId: 'o-1',
  score: 843,
  parts: { occupation: 400, skills: 133, education: 100, distance: 150, priority: 60 },
  reasons: ['occupation 8211: same unit group (400)'],
  origin: { region: 'MA-10', province: 'Tan-Tan' },
  destination: { region: 'MA-09', province: 'Agadir-Ida Ou Tanane' },
  employer: { kind: 'company', id: 'auto-1', sector: 'automotive' },
  occupation: '8211',
  categories: {
    gender: 'female',
    ageBand: '25_34',
    disability: false,
    hasDiploma: true,
    area: 'urban',
    monthsRegistered: 26,
    longTermUnemployed: true,
    pandemicJobLoss: false,
  },
};
const id = (day = '2024-03-01') => ({ placementId: 'p-1', on: day });
const proposed: PlacementEvent = {
  type: 'PlacementProposed',
  schemaVersion: 1,
  data: { ...proposal, on: '2024-03-01' },
};
const accepted: PlacementEvent = { type: 'ProposalAccepted', data: id() };
const interviewing: PlacementEvent = { type: 'InterviewScheduled', data: { ...id(), date: '2024-03-05' } };
const hire = {
  contractType: 'permanent' as const,
  startDate: '2024-04-01',
  contractMonths: 24,
  monthlyWageCentimes: 342_000,
};

describe('a proposal on its way to a hire', () => {
  it('is proposed once, with the parts of its score', () => {
    given([]).when(cmd('ProposePlacement', proposal)).then([proposed]);
    given([proposed]).when(cmd('ProposePlacement', proposal)).thenThrows('PLACEMENT_ALREADY_PROPOSED');
  });
  it('is accepted or declined by the seeker', () => {
    given([proposed])
      .when(cmd('AnswerProposal', { accepted: true }))
      .then([accepted]);
    given([proposed])
      .when(cmd('AnswerProposal', { accepted: false, reason: 'too far' }))
      .then([{ type: 'ProposalDeclined', data: { ...id(), reason: 'too far' } }]);
    given([proposed, accepted])
      .when(cmd('AnswerProposal', { accepted: false }))
      .thenThrows('PLACEMENT_WRONG_STATE');
  });
  it('goes to interview only once accepted, and not in the past', () => {
    given([proposed])
      .when(cmd('ScheduleInterview', { date: '2024-03-05' }))
      .thenThrows('PLACEMENT_WRONG_STATE');
    given([proposed, accepted])
      .when(cmd('ScheduleInterview', { date: '2024-02-01' }))
      .thenThrows('DATE_IN_THE_PAST');
    given([proposed, accepted])
      .when(cmd('ScheduleInterview', { date: '2024-03-05' }))
      .then([interviewing]);
  });
  it('ends in a hire that carries categories and regions but no identity', () => {
    const { placementId: _p, score: _s, parts: _parts, reasons: _r, runId: _run, ...rest } = proposal;
    given([proposed, accepted, interviewing])
      .when(cmd('RecordHire', hire, '2024-03-06'))
      .then([
        {
          type: 'SeekerHired',
          schemaVersion: 1,
          data: { ...id('2024-03-06'), ...rest, ...hire, flow: 'other_region' },
        },
      ]);
  });
  it('refuses a hire with no wage, no duration, or starting before the interview', () => {
    given([proposed, accepted, interviewing])
      .when(cmd('RecordHire', { ...hire, monthlyWageCentimes: 0 }))
      .thenThrows('INVALID_HIRE');
    given([proposed, accepted, interviewing])
      .when(cmd('RecordHire', { ...hire, contractMonths: 0 }))
      .thenThrows('INVALID_HIRE');
    given([proposed, accepted, interviewing])
      .when(cmd('RecordHire', { ...hire, startDate: '2024-03-01' }))
      .thenThrows('INVALID_HIRE');
    given([proposed, accepted]).when(cmd('RecordHire', hire)).thenThrows('PLACEMENT_WRONG_STATE');
  });
  it('may end with the candidate rejected', () => {
    given([proposed, accepted, interviewing])
      .when(cmd('RejectCandidate', { reason: 'profile' }))
      .then([{ type: 'CandidateRejected', data: { ...id(), reason: 'profile' } }]);
    given([])
      .when(cmd('RejectCandidate', { reason: 'x' }))
      .thenThrows('PLACEMENT_NOT_FOUND');
  });
  it('classes the flow as own region, other region or abroad', () => {
    expect(
      flowOf({ origin: { region: 'MA-09', province: 'x' }, destination: { region: 'MA-09', province: 'y' } }),
    ).toBe('own_region');
    expect(
      flowOf({
        origin: { region: 'MA-09', province: 'x' },
        destination: { region: 'MA-09', province: 'y', abroadCountry: 'ES' },
      }),
    ).toBe('abroad');
  });
});
