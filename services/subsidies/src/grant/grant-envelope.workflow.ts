import type { Workflow } from '@tashghil/event-store';
import { type EnvelopeExceededError } from '../envelope/envelope.decider';
import { releasingPlaces, reservingPlaces } from '../envelope/envelope-places.workflow';
import {
  grantDecider,
  grantRelease,
  grantReservation,
  grantStreamId,
  type DecideGrant,
  type EndContract,
  type Grant,
} from './grant.decider';

/** What the caller holds against the grant: the version its client saw, and its access check. */
export interface GrantGuard {
  readonly expectedVersion?: number;
  readonly authorize?: (state: Grant) => void;
}

/** The technical committee's decision and, for an approval, the grant's place and amount taken from the envelope. */
export const decideGrant = (grantId: string, command: DecideGrant, guard: GrantGuard = {}): Workflow =>
  reservingPlaces({ decider: grantDecider, streamId: grantStreamId(grantId), command, ...guard }, (after) =>
    grantReservation(grantId, after),
  );

/** The same decision recorded as a waitlisting, when the envelope refused the approval: its refusal is the reason. */
export const waitlisting = (command: DecideGrant, refusal: EnvelopeExceededError): DecideGrant => ({
  ...command,
  data: { ...command.data, outcome: 'waitlisted', reason: refusal.message },
});

/** A contract that ends early, and the job place and unpaid remainder it gives back to the envelope. */
export const endContract = (grantId: string, command: EndContract, guard: GrantGuard = {}): Workflow =>
  releasingPlaces({ decider: grantDecider, streamId: grantStreamId(grantId), command, ...guard }, (after) =>
    grantRelease(grantId, after),
  );
