import { contractFor } from '@tashghil/contracts';
import type { CommandMetadata, DecidedEvent, Decider, Command, Issued } from '@tashghil/event-store';
import { committeeDecider, type CommitteeCommand } from './committee/committee.decider';
import { conventionDecider, type ConventionCommand } from './convention/convention.decider';
import { programmeTargetsDecider } from './programme-targets/programme-targets.decider';

const metadata: CommandMetadata = {
  now: '2022-04-22T09:00:00.000Z',
  actor: 'o',
  roles: ['officer'],
  region: 'MA-10',
  correlationId: 'c',
  commandId: 'k',
};

/** Runs commands through a decider, as the handler would, and returns every event it decided. */
const run = <C extends Command, S, E extends DecidedEvent>(
  decider: Decider<C, S, E>,
  commands: ReadonlyArray<Issued<C>>,
): E[] => {
  let state = decider.initialState();
  const all: E[] = [];
  for (const c of commands) {
    const events = decider.decide({ ...c, metadata } as C, state);
    state = events.reduce(decider.evolve, state);
    all.push(...events);
  }
  return all;
};

const conforms = (events: readonly DecidedEvent[]): string[] => {
  const checked: string[] = [];
  for (const e of events) {
    const schema = contractFor(e.type)?.versions[e.schemaVersion ?? 1];
    if (!schema) continue;
    const parsed = schema.safeParse(e.data);
    expect({ type: e.type, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ type: e.type, issues: [] });
    checked.push(e.type);
  }
  return checked;
};

describe('the events the conventions service decides match the contracts its consumers parse', () => {
  it('for a convention from draft to close', () => {
    const commands: Array<Issued<ConventionCommand>> = [
      {
        type: 'DraftConvention',
        data: {
          conventionId: 'c-2022',
          region: 'MA-10',
          title: 'Convention test',
          period: { start: '2022-01-01', end: '2023-12-31' },
        },
      },
      { type: 'AddParty', data: { partyId: 'wali', name: 'Wali', role: 'wali' } },
      {
        type: 'AddMeasure',
        data: {
          measureId: 'm',
          programmeLine: 'awrach_temporary_works',
          target: { total: 3800 },
          budget: { stateCentimes: 100, regionCentimes: 0 },
        },
      },
      { type: 'SignConvention', data: { role: 'wali', signatory: 'Wali', date: '2022-03-01', place: 'Guelmim' } },
      {
        type: 'AmendConvention',
        data: { effectiveDate: '2022-06-01', reason: 'revue', measures: [{ measureId: 'm', target: { total: 4000 } }] },
      },
      { type: 'CloseConvention', data: { date: '2023-12-31' } },
    ];
    expect(conforms(run(conventionDecider, commands))).toEqual([
      'ConventionDrafted',
      'ConventionSigned',
      'ConventionAmended',
      'ConventionClosed',
    ]);
  });

  it('for committee decisions and programme targets', () => {
    const seat = { name: 'Secrétaire général', role: 'président' };
    const committee: Array<Issued<CommitteeCommand>> = [
      {
        type: 'EstablishCommittee',
        data: {
          committeeId: 'cr',
          region: 'MA-10',
          programme: 'awrach',
          kind: 'regional',
          chair: seat,
          secretary: { name: 'ANAPEC', role: 'secrétaire' },
          members: [],
        },
      },
      {
        type: 'HoldMeeting',
        data: {
          committeeId: 'cr',
          meetingId: 'm1',
          date: '2022-04-22',
          place: 'Guelmim',
          agenda: ['Awrach'],
          attendance: [],
        },
      },
      {
        type: 'RecordDecision',
        data: {
          committeeId: 'cr',
          decisionNumber: 'D-1',
          meetingId: 'm1',
          date: '2022-04-22',
          subject: 'Objectifs',
          outcome: 'approved',
          references: [{ kind: 'programme-targets', id: 'ma-10/awrach/2022' }],
        },
      },
    ];
    expect(conforms(run(committeeDecider, committee))).toEqual(['CommitteeDecisionRecorded']);
    const targets = run(programmeTargetsDecider, [
      {
        type: 'SetProgrammeTargets',
        data: {
          region: 'MA-10',
          programme: 'awrach',
          year: 2022,
          components: [{ component: 'temporary_works', targetJobs: 3800 }],
          reference: 'circulaire',
          effectiveDate: '2022-04-22',
        },
      },
    ]);
    expect(conforms(targets)).toEqual(['ProgrammeTargetsSet']);
  });
});
