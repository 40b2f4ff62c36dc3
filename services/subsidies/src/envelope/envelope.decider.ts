import {
  emptyMap,
  IllegalStateError,
  lookup,
  withEntry,
  type Command,
  type ModelledDecider,
  type PersistentMap,
} from '@tashghil/event-store';
import { envelopeQueryModel } from './envelope.query-model';

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

export type SetEnvelopeLimits = Command<
  'SetEnvelopeLimits',
  EnvelopeKey & {
    readonly revision: number;
    readonly components: readonly Limit[];
    readonly reference: string;
    /** The ProgrammeTargetsSet event this revision came from, for the auditor. */
    readonly sourceEventId: string;
  }
>;

export type ReservePlaces = Command<
  'ReservePlaces',
  EnvelopeKey & {
    readonly component: string;
    readonly file: FileRef;
    readonly jobs: number;
    readonly centimes: number;
    readonly on: string;
  }
>;

/** Gives back what a file no longer needs: an ended grant's job place and its unpaid remainder. */
export type ReleasePlaces = Command<
  'ReleasePlaces',
  EnvelopeKey & {
    readonly component: string;
    readonly file: FileRef;
    readonly jobs: number;
    readonly centimes: number;
    readonly on: string;
    readonly reason: string;
  }
>;

/** A file's new total when its cost moves after approval (a works site meeting a SMIG rise). */
export type RevisePlaces = Command<
  'RevisePlaces',
  EnvelopeKey & {
    readonly component: string;
    readonly file: FileRef;
    readonly centimes: number;
    readonly on: string;
    readonly reason: string;
  }
>;

export type EnvelopeCommand = SetEnvelopeLimits | ReservePlaces | ReleasePlaces | RevisePlaces;

export type EnvelopeLimitsSet = {
  readonly type: 'EnvelopeLimitsSet';
  readonly schemaVersion: 1;
  readonly data: SetEnvelopeLimits['data'];
};
export type EnvelopePlacesReserved = {
  readonly type: 'EnvelopePlacesReserved';
  readonly schemaVersion: 1;
  readonly data: ReservePlaces['data'];
};
export type EnvelopePlacesReleased = {
  readonly type: 'EnvelopePlacesReleased';
  readonly schemaVersion: 1;
  readonly data: ReleasePlaces['data'];
};
export type EnvelopePlacesRevised = {
  readonly type: 'EnvelopePlacesRevised';
  readonly schemaVersion: 1;
  readonly data: RevisePlaces['data'] & { readonly previousCentimes: number };
};
export type EnvelopeEvent = EnvelopeLimitsSet | EnvelopePlacesReserved | EnvelopePlacesReleased | EnvelopePlacesRevised;

export interface Usage {
  readonly jobs: number;
  readonly centimes: number;
}

/** What one file holds of the envelope now, and whether it gave its places back. */
export interface Holding extends Usage {
  readonly component: string;
  readonly released: boolean;
}

/**
 * Each file's holding, by `kind:id`, in a persistent map: a reservation adds one entry without
 * copying the others, so a stream of n reservations folds in linear time (a list or a record copied
 * on every event would take quadratic time). `reserved` is copied on every event too, but it has
 * one entry per component of the targets, a handful, whatever the number of files.
 */
interface Ledger {
  readonly reserved: Readonly<Record<string, Usage>>;
  readonly holdings: PersistentMap<Holding>;
  readonly releasedFiles: number;
}

export type Envelope =
  | ({ readonly status: 'none' } & Ledger)
  | ({
      readonly status: 'set';
      readonly key: EnvelopeKey;
      readonly revision: number;
      readonly reference: string;
      readonly limits: readonly Limit[];
    } & Ledger);

export const ENVELOPE_CATEGORY = 'subsidies.envelope';
export const envelopeStreamId = (k: EnvelopeKey): string =>
  `${ENVELOPE_CATEGORY}-${k.region}-${k.programme}-${k.year}`.toLowerCase();

const fileKey = (f: FileRef): string => `${f.kind}:${f.id}`;

/** What a file holds, or undefined when it never took a place. */
export const holdingOf = (s: Envelope, file: FileRef): Holding | undefined => lookup(s.holdings, fileKey(file));

const usageOf = ({ component, jobs, centimes }: Holding) => ({ component, jobs, centimes });

const initialState = (): Envelope => ({ status: 'none', reserved: {}, holdings: emptyMap(), releasedFiles: 0 });

const used = (s: Envelope, component: string): Usage => s.reserved[component] ?? { jobs: 0, centimes: 0 };

const withUsage = (s: Envelope, component: string, jobs: number, centimes: number): Envelope['reserved'] => {
  const before = used(s, component);
  return { ...s.reserved, [component]: { jobs: before.jobs + jobs, centimes: before.centimes + centimes } };
};

const evolve = (s: Envelope, e: EnvelopeEvent): Envelope => {
  switch (e.type) {
    case 'EnvelopeLimitsSet': {
      // The consumer decides revisions as they arrive; an older one stored by an earlier version of
      // it changes nothing.
      if (s.status === 'set' && s.revision >= e.data.revision) return s;
      const { region, programme, year, revision, components, reference } = e.data;
      const { reserved, holdings, releasedFiles } = s;
      return {
        status: 'set',
        key: { region, programme, year },
        revision,
        reference,
        limits: components,
        reserved,
        holdings,
        releasedFiles,
      };
    }
    case 'EnvelopePlacesReserved': {
      const { component, file, jobs, centimes } = e.data;
      return {
        ...s,
        reserved: withUsage(s, component, jobs, centimes),
        holdings: withEntry(s.holdings, fileKey(file), { component, jobs, centimes, released: false }),
      };
    }
    case 'EnvelopePlacesReleased': {
      const { component, file, jobs, centimes } = e.data;
      const held = holdingOf(s, file);
      return {
        ...s,
        reserved: withUsage(s, component, -jobs, -centimes),
        holdings: held
          ? withEntry(s.holdings, fileKey(file), {
              ...held,
              jobs: held.jobs - jobs,
              centimes: held.centimes - centimes,
              released: true,
            })
          : s.holdings,
        releasedFiles: s.releasedFiles + 1,
      };
    }
    case 'EnvelopePlacesRevised': {
      const { component, file, centimes, previousCentimes } = e.data;
      const held = holdingOf(s, file);
      return {
        ...s,
        reserved: withUsage(s, component, 0, centimes - previousCentimes),
        holdings: held ? withEntry(s.holdings, fileKey(file), { ...held, centimes }) : s.holdings,
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

/** Revisions can arrive late or twice (at-least-once delivery): only a newer one counts. */
const setLimits = (c: SetEnvelopeLimits, s: Envelope): EnvelopeEvent[] =>
  s.status === 'set' && s.revision >= c.data.revision
    ? []
    : [{ type: 'EnvelopeLimitsSet', schemaVersion: 1, data: c.data }];

const reserve = (c: ReservePlaces, s: Envelope): EnvelopeEvent[] => {
  const { region, programme, year, component, file, jobs, centimes } = c.data;
  const what = `${programme} ${year} in ${region}`;
  if (holdingOf(s, file)) return [];
  if (s.status === 'none') {
    throw new IllegalStateError(
      'ENVELOPE_NOT_SET',
      `no targets for ${what} have reached the subsidies service; the conventions service sets them`,
      { region, programme, year },
    );
  }
  const limit = s.limits.find((l) => l.component === component);
  if (!limit)
    throw new IllegalStateError(
      'ENVELOPE_COMPONENT_NOT_SET',
      `the targets for ${what} have no ${component} component`,
      { component },
    );
  const taken = used(s, component);
  if (taken.jobs + jobs > limit.targetJobs) {
    throw new EnvelopeExceededError(
      'ENVELOPE_EXCEEDED',
      `${component} for ${what}: ${taken.jobs} of ${limit.targetJobs} jobs are taken, and this approval needs ${jobs} more`,
      { component, targetJobs: limit.targetJobs, reservedJobs: taken.jobs, askedJobs: jobs },
    );
  }
  if (limit.budgetCentimes !== undefined && taken.centimes + centimes > limit.budgetCentimes) {
    throw new EnvelopeExceededError(
      'ENVELOPE_EXCEEDED',
      `${component} for ${what}: ${taken.centimes} of ${limit.budgetCentimes} centimes are committed, and this approval needs ${centimes} more`,
      { component, budgetCentimes: limit.budgetCentimes, reservedCentimes: taken.centimes, askedCentimes: centimes },
    );
  }
  return [{ type: 'EnvelopePlacesReserved', schemaVersion: 1, data: c.data }];
};

/**
 * A file releases once, and only from what it holds: a file that never took a place (approved
 * before envelopes were kept) has nothing to give back, and a repeat changes nothing.
 */
const release = (c: ReleasePlaces, s: Envelope): EnvelopeEvent[] => {
  const key = fileKey(c.data.file);
  const held = holdingOf(s, c.data.file);
  if (!held || held.released) return [];
  const { component, jobs, centimes } = c.data;
  if (
    component !== held.component ||
    !Number.isSafeInteger(jobs) ||
    !Number.isSafeInteger(centimes) ||
    jobs < 0 ||
    centimes < 0 ||
    jobs > held.jobs ||
    centimes > held.centimes
  ) {
    throw new IllegalStateError(
      'RELEASE_BEYOND_RESERVATION',
      `${key} holds ${held.jobs} jobs and ${held.centimes} centimes of ${held.component}; it cannot give back ${jobs} jobs and ${centimes} centimes of ${component}`,
      {
        file: key,
        held: usageOf(held),
        asked: { component, jobs, centimes },
      },
    );
  }
  return [{ type: 'EnvelopePlacesReleased', schemaVersion: 1, data: c.data }];
};

/**
 * A revision follows a cost the file owes whatever the envelope holds (the SMIG is due for the whole
 * site), so it is not checked against the limits: the envelope shows the overrun rather than hide it.
 * A file that holds nothing, or already holds the amount, changes nothing.
 */
const revise = (c: RevisePlaces, s: Envelope): EnvelopeEvent[] => {
  const key = fileKey(c.data.file);
  const held = holdingOf(s, c.data.file);
  if (!held || held.released || held.centimes === c.data.centimes) return [];
  if (c.data.component !== held.component || !Number.isSafeInteger(c.data.centimes) || c.data.centimes < 0) {
    throw new IllegalStateError(
      'REVISION_NOT_HELD',
      `${key} holds ${held.component}; it cannot be re-priced to ${c.data.centimes} centimes of ${c.data.component}`,
      { file: key, held: usageOf(held) },
    );
  }
  return [{ type: 'EnvelopePlacesRevised', schemaVersion: 1, data: { ...c.data, previousCentimes: held.centimes } }];
};

const decide = (c: EnvelopeCommand, s: Envelope): EnvelopeEvent[] => {
  switch (c.type) {
    case 'SetEnvelopeLimits':
      return setLimits(c, s);
    case 'ReservePlaces':
      return reserve(c, s);
    case 'ReleasePlaces':
      return release(c, s);
    case 'RevisePlaces':
      return revise(c, s);
    default: {
      const _exhaustive: never = c;
      return [];
    }
  }
};

/** Keeps `q.envelopes`, the list of envelopes, with every append. */
export const envelopeDecider: ModelledDecider<EnvelopeCommand, Envelope, EnvelopeEvent> = {
  initialState,
  evolve,
  decide,
  queryModel: envelopeQueryModel,
};
