import { IllegalStateError, type Command, type Decider } from '@tashghil/event-store';

export interface EnvelopeKey {
  readonly region: string;
  readonly programme: string;
  readonly year: number;
}

export interface FileRef {
  readonly kind: 'grant' | 'works-project';
  readonly id: string;
}

export interface Limit {
  readonly component: string;
  readonly targetJobs: number;
  readonly budgetCentimes?: number;
}

export type SetEnvelopeLimits = Command<'SetEnvelopeLimits', EnvelopeKey & {
  readonly revision: number;
  readonly components: readonly Limit[];
  readonly reference: string;
  /** The ProgrammeTargetsSet event this revision came from, for the auditor. */
  readonly sourceEventId: string;
}>;

export type ReservePlaces = Command<'ReservePlaces', EnvelopeKey & {
  readonly component: string;
  readonly file: FileRef;
  readonly jobs: number;
  readonly centimes: number;
  readonly on: string;
}>;

export type EnvelopeCommand = SetEnvelopeLimits | ReservePlaces;

export type EnvelopeLimitsSet = { readonly type: 'EnvelopeLimitsSet'; readonly schemaVersion: 1; readonly data: SetEnvelopeLimits['data'] };
export type EnvelopePlacesReserved = { readonly type: 'EnvelopePlacesReserved'; readonly schemaVersion: 1; readonly data: ReservePlaces['data'] };
export type EnvelopeEvent = EnvelopeLimitsSet | EnvelopePlacesReserved;

export interface Usage {
  readonly jobs: number;
  readonly centimes: number;
}

export type Envelope =
  | { readonly status: 'none'; readonly reserved: Readonly<Record<string, Usage>>; readonly files: readonly string[] }
  | {
    readonly status: 'set';
    readonly key: EnvelopeKey;
    readonly revision: number;
    readonly reference: string;
    readonly limits: readonly Limit[];
    readonly reserved: Readonly<Record<string, Usage>>;
    readonly files: readonly string[];
  };

export const ENVELOPE_CATEGORY = 'subsidies.envelope';
export const envelopeStreamId = (k: EnvelopeKey): string => `${ENVELOPE_CATEGORY}-${k.region}-${k.programme}-${k.year}`.toLowerCase();

const fileKey = (f: FileRef): string => `${f.kind}:${f.id}`;

const initialState = (): Envelope => ({ status: 'none', reserved: {}, files: [] });

const evolve = (s: Envelope, e: EnvelopeEvent): Envelope => {
  switch (e.type) {
    case 'EnvelopeLimitsSet': {
      // The consumer appends revisions as they arrive; an older one arriving late changes nothing.
      if (s.status === 'set' && s.revision >= e.data.revision) return s;
      const { region, programme, year, revision, components, reference } = e.data;
      return { status: 'set', key: { region, programme, year }, revision, reference, limits: components, reserved: s.reserved, files: s.files };
    }
    case 'EnvelopePlacesReserved': {
      const used = s.reserved[e.data.component] ?? { jobs: 0, centimes: 0 };
      return {
        ...s,
        reserved: { ...s.reserved, [e.data.component]: { jobs: used.jobs + e.data.jobs, centimes: used.centimes + e.data.centimes } },
        files: [...s.files, fileKey(e.data.file)],
      };
    }
    default: {
      const _exhaustive: never = e;
      return s;
    }
  }
};

/** Thrown when an approval would go past the targets or the budget; the caller refuses or waitlists. */
export class EnvelopeExceededError extends IllegalStateError {}

const reserve = (c: ReservePlaces, s: Envelope): EnvelopeEvent[] => {
  const { region, programme, year, component, file, jobs, centimes } = c.data;
  const what = `${programme} ${year} in ${region}`;
  if (s.files.includes(fileKey(file))) return [];
  if (s.status === 'none') {
    throw new IllegalStateError('ENVELOPE_NOT_SET', `no targets for ${what} have reached the subsidies service; the conventions service sets them`, { region, programme, year });
  }
  const limit = s.limits.find((l) => l.component === component);
  if (!limit) throw new IllegalStateError('ENVELOPE_COMPONENT_NOT_SET', `the targets for ${what} have no ${component} component`, { component });
  const used = s.reserved[component] ?? { jobs: 0, centimes: 0 };
  if (used.jobs + jobs > limit.targetJobs) {
    throw new EnvelopeExceededError('ENVELOPE_EXCEEDED',
      `${component} for ${what}: ${used.jobs} of ${limit.targetJobs} jobs are taken, and this approval needs ${jobs} more`,
      { component, targetJobs: limit.targetJobs, reservedJobs: used.jobs, askedJobs: jobs });
  }
  if (limit.budgetCentimes !== undefined && used.centimes + centimes > limit.budgetCentimes) {
    throw new EnvelopeExceededError('ENVELOPE_EXCEEDED',
      `${component} for ${what}: ${used.centimes} of ${limit.budgetCentimes} centimes are committed, and this approval needs ${centimes} more`,
      { component, budgetCentimes: limit.budgetCentimes, reservedCentimes: used.centimes, askedCentimes: centimes });
  }
  return [{ type: 'EnvelopePlacesReserved', schemaVersion: 1, data: c.data }];
};

const decide = (c: EnvelopeCommand, s: Envelope): EnvelopeEvent[] => {
  switch (c.type) {
    case 'SetEnvelopeLimits':
      // Revisions can arrive late or twice (at-least-once delivery): only a newer one counts.
      return s.status === 'set' && s.revision >= c.data.revision ? [] : [{ type: 'EnvelopeLimitsSet', schemaVersion: 1, data: c.data }];
    case 'ReservePlaces':
      return reserve(c, s);
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

export const envelopeDecider: Decider<EnvelopeCommand, Envelope, EnvelopeEvent> = { initialState, evolve, decide };
