import type { SeekerHiredV1 } from '@tashghil/contracts';
import type { Command, Decider } from '@tashghil/event-store';

export const HIRE_CATEGORY = 'subsidies.hire';
export const hireStreamId = (placementId: string): string => `${HIRE_CATEGORY}-${placementId}`;

/** A hire as the matching service published it, and the SeekerHired event it came in. */
export type NoticedHire = SeekerHiredV1 & { readonly sourceEventId: string };

export type NoteHire = Command<'NoteHire', NoticedHire>;
export type HireCommand = NoteHire;

/** What an employer's application starts from: the contract and the person's categories, typed once. */
export interface HireNoticed {
  readonly type: 'HireNoticed';
  readonly schemaVersion: 1;
  readonly data: NoticedHire;
}
export type HireEvent = HireNoticed;

export type Hire = { readonly status: 'none' } | ({ readonly status: 'noticed' } & NoticedHire);

const initialState = (): Hire => ({ status: 'none' });

const evolve = (s: Hire, e: HireEvent): Hire => {
  switch (e.type) {
    case 'HireNoticed':
      return { status: 'noticed', ...e.data };
    default: {
      const _exhaustive: never = e.type;
      return s;
    }
  }
};

/** A placement is hired once: the same hire delivered again, or published again, notes nothing. */
const noteHire = (c: NoteHire, s: Hire): HireEvent[] =>
  s.status === 'noticed' ? [] : [{ type: 'HireNoticed', schemaVersion: 1, data: c.data }];

const decide = (c: HireCommand, s: Hire): HireEvent[] => {
  switch (c.type) {
    case 'NoteHire':
      return noteHire(c, s);
    default: {
      const _exhaustive: never = c.type;
      return [];
    }
  }
};

export const hireDecider: Decider<HireCommand, Hire, HireEvent> = { initialState, evolve, decide };
