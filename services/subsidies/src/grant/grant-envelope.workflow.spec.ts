import { givenStreams } from '@tashghil/event-store';
import { BASELINE } from '../rules/parameters';
import {
  EnvelopeExceededError,
  envelopeDecider,
  envelopeStreamId,
  type EnvelopeEvent,
} from '../envelope/envelope.decider';
import { decideGrant, endContract, waitlisting } from './grant-envelope.workflow';
import { grantDecider, grantStreamId, type EndContract, type GrantEvent } from './grant.decider';
import { application, applied, approved, decide, given, metadata } from './grant.fixture';

const grant = grantStreamId(application.grantId);
const envelope = envelopeStreamId({ region: 'MA-10', programme: 'awrach', year: 2022 });
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
    components: [{ component: 'lasting_integration', targetJobs }],
  },
});
const reservedBy = (id: string, centimes = 2_700_000): EnvelopeEvent => ({
  type: 'EnvelopePlacesReserved',
  schemaVersion: 1,
  data: {
    region: 'MA-10',
    programme: 'awrach',
    year: 2022,
    component: 'lasting_integration',
    file: { kind: 'grant', id },
    jobs: 1,
    centimes,
    on: '2022-05-20',
  },
});
const history: GrantEvent[] = [applied()];

describe('a grant approved within its envelope', () => {
  it('takes the grant’s place and amount from the envelope with the decision', () => {
    const decision = approved(history);
    const share = decision.data.envelope;
    givenStreams({ [grant]: history, [envelope]: [limits(10)] })
      .when(decideGrant(application.grantId, decide()))
      .then({
        [grant]: [decision],
        [envelope]: [
          {
            type: 'EnvelopePlacesReserved',
            schemaVersion: 1,
            data: {
              region: 'MA-10',
              programme: 'awrach',
              year: 2022,
              component: 'lasting_integration',
              file: { kind: 'grant', id: application.grantId },
              jobs: 1,
              centimes: share?.centimes ?? -1,
              on: '2022-05-20',
            },
          },
        ],
      });
  });

  it('is refused whole when the envelope is full, and can then be waitlisted with the refusal as reason', () => {
    const full = { [grant]: history, [envelope]: [limits(1), reservedBy('another-grant')] };
    givenStreams(full).when(decideGrant(application.grantId, decide())).thenThrows('ENVELOPE_EXCEEDED');
    let refusal: unknown;
    try {
      givenStreams(full).when(decideGrant(application.grantId, decide())).events();
    } catch (error) {
      refusal = error;
    }
    if (!(refusal instanceof EnvelopeExceededError)) throw new Error('expected the envelope to refuse');
    const waitlisted = given(history).when(waitlisting(decide(), refusal)).events();
    expect(waitlisted).toMatchObject([
      { type: 'GrantDecided', data: { outcome: 'waitlisted', reason: expect.stringMatching(/1 of 1 jobs/) } },
    ]);
    givenStreams(full)
      .when(decideGrant(application.grantId, waitlisting(decide(), refusal)))
      .then({ [grant]: waitlisted });
  });

  it('leaves the envelope alone for a rejection, and refuses an approval with no envelope set', () => {
    const rejection = decide({ outcome: 'rejected', reason: 'dossier incomplet' });
    givenStreams({ [grant]: history })
      .when(decideGrant(application.grantId, rejection))
      .then({ [grant]: given(history).when(rejection).events() });
    givenStreams({ [grant]: history })
      .when(decideGrant(application.grantId, decide()))
      .thenThrows('ENVELOPE_NOT_SET');
  });

  it('answers a repeated approval as done, the envelope step included', () => {
    const decision = approved(history);
    const placed = reservedBy(application.grantId);
    givenStreams(
      { [grant]: [...history, decision], [envelope]: [limits(1), placed] },
      { applied: { [decide().metadata.commandId]: grant, [`${decide().metadata.commandId}:envelope`]: envelope } },
    )
      .when(decideGrant(application.grantId, decide()))
      .then({});
  });
});

describe('a grant’s contract ending early', () => {
  it('gives its job place and unpaid remainder back in the same workflow', () => {
    const decision = approved(history);
    const placed = reservedBy(application.grantId, decision.data.envelope?.centimes);
    const end: EndContract = {
      type: 'EndContract',
      data: { lastDay: '2022-07-31', reason: 'démission', table: BASELINE },
      metadata: metadata('2022-08-05T10:00:00.000Z'),
    };
    const decided = givenStreams({ [grant]: [...history, decision], [envelope]: [limits(1), placed] }).when(
      endContract(application.grantId, end),
    );
    const ended = decided.state(grantDecider, grant);
    if (ended.status !== 'ended' || !ended.ending) throw new Error('expected the contract ended');
    expect(decided.events()[envelope]).toEqual([
      {
        type: 'EnvelopePlacesReleased',
        schemaVersion: 1,
        data: {
          ...placed.data,
          centimes: ended.ending.cancelledCentimes,
          on: '2022-08-05',
          reason: 'contract ended on 2022-07-31',
        },
      },
    ]);
    expect(decided.state(envelopeDecider, envelope).reserved.lasting_integration).toEqual({
      jobs: 0,
      centimes: (decision.data.envelope?.centimes ?? 0) - ended.ending.cancelledCentimes,
    });
  });
});
