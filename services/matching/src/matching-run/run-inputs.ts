import { createHash } from 'node:crypto';
import { canonicalJson, START, type Checkpoint, type EventStore } from '@tashghil/event-store';
import { offerDecider, type Offer, type OfferEvent } from '../offer/offer.decider';
import { PERSONAL_FIELDS, seekerDecider, type Seeker, type SeekerEvent } from '../seeker/seeker.decider';

export type OpenOffer = Exclude<Offer, { status: 'none' }>;
export type ActiveSeeker = Exclude<Seeker, { status: 'none' }>;

export interface RunInputs {
  /** Where in commit order the inputs were read: a replay reads exactly up to here. */
  readonly asOf: Checkpoint;
  readonly seekers: readonly ActiveSeeker[];
  readonly offers: readonly OpenOffer[];
  /** Placement rate per region among all seekers ever registered there, 0..1. */
  readonly placementRates: Readonly<Record<string, number>>;
}

/**
 * A seeker event's data without its sealed personal fields: a run reads none of them (scoring,
 * proposals and the inputs hash use the profile only), and at a million seekers their ciphertexts
 * were some hundreds of megabytes of the folded inputs. The required ones read as empty text.
 */
const withoutPersonal = (data: Record<string, unknown>): Record<string, unknown> => {
  if (!PERSONAL_FIELDS.some((field) => field in data)) return data;
  const { fullName, cin, phone: _phone, email: _email, ...profile } = data;
  return {
    ...profile,
    ...(fullName === undefined ? {} : { fullName: '' }),
    ...(cin === undefined ? {} : { cin: '' }),
  };
};

/**
 * Profile fields that take a few thousand values at most across a million seekers (codes, dates,
 * skills). Parsed from each event, every seeker held its own copies of the same strings; one copy of
 * each is kept instead, so the inputs of a national run take less memory and less collection.
 */
const SHARED_FIELDS = [
  'region',
  'province',
  'gender',
  'birthDate',
  'education',
  'diploma',
  'area',
  'mobility',
  'registeredOn',
  'occupations',
  'skills',
  'languages',
] as const;

const interner = (): ((data: Record<string, unknown>) => Record<string, unknown>) => {
  const kept = new Map<string, string>();
  const one = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const known = kept.get(value);
    if (known !== undefined) return known;
    kept.set(value, value);
    return value;
  };
  return (data) => {
    const out: Record<string, unknown> = { ...data };
    for (const field of SHARED_FIELDS) {
      const value = out[field];
      if (value === undefined) continue;
      out[field] = Array.isArray(value) ? value.map(one) : one(value);
    }
    return out;
  };
};

const within = (e: { txId: number; globalPosition: number }, until: Checkpoint): boolean =>
  e.txId < until.txId || (e.txId === until.txId && e.globalPosition <= until.position);

/**
 * Folds every seeker and offer from the store, in commit order, up to `until` (or the present).
 * One pass over two categories, rather than one read per stream, so a national run reads its
 * inputs in seconds.
 */
export const loadRunInputs = async (
  store: EventStore,
  until?: Checkpoint,
  signal?: AbortSignal,
): Promise<RunInputs> => {
  const seekers = new Map<string, Seeker>();
  const offers = new Map<string, Offer>();
  const shared = interner();
  let at: Checkpoint = START;
  let reached: Checkpoint = START;
  for (;;) {
    signal?.throwIfAborted();
    const { events, checkpoint } = await store.readAll({
      after: at,
      limit: 5_000,
      categories: ['matching.seeker', 'matching.offer'],
      decrypt: false,
    });
    for (const e of events) {
      if (until && !within(e, until)) return await finish(seekers, offers, until);
      if (e.category === 'matching.seeker') {
        const data = withoutPersonal(e.data);
        const changes = data.changes as Record<string, unknown> | undefined;
        // Only a registration and the changes of an update carry profile fields.
        const event = {
          type: e.type,
          data:
            e.type === 'SeekerRegistered'
              ? shared(data)
              : e.type === 'SeekerUpdated' && changes
                ? { ...data, changes: shared(changes) }
                : data,
        };
        seekers.set(
          e.streamId,
          seekerDecider.evolve(
            seekers.get(e.streamId) ?? seekerDecider.initialState(),
            event as unknown as SeekerEvent,
          ),
        );
      } else {
        const event = { type: e.type, data: e.data };
        offers.set(
          e.streamId,
          offerDecider.evolve(offers.get(e.streamId) ?? offerDecider.initialState(), event as unknown as OfferEvent),
        );
      }
      reached = { txId: e.txId, position: e.globalPosition };
    }
    if (events.length === 0 || (checkpoint.txId === at.txId && checkpoint.position === at.position)) break;
    at = checkpoint;
  }
  return await finish(seekers, offers, until ?? reached);
};

/** Files handled between two turns of the event loop while the inputs are finished. */
const TURN = 50_000;

/** Lets the event loop take a turn: health checks, HTTP and consumers answer between slices of a run's work. */
export const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const finish = async (
  seekers: Map<string, Seeker>,
  offers: Map<string, Offer>,
  asOf: Checkpoint,
): Promise<RunInputs> => {
  const registered = new Map<string, number>();
  const placed = new Map<string, number>();
  const active: ActiveSeeker[] = [];
  let handled = 0;
  for (const s of seekers.values()) {
    if ((handled += 1) % TURN === 0) await yieldTurn();
    if (s.status === 'none' || s.status === 'erased') continue;
    registered.set(s.region, (registered.get(s.region) ?? 0) + 1);
    if (s.status === 'placed') placed.set(s.region, (placed.get(s.region) ?? 0) + 1);
    if (s.status === 'registered') active.push(s);
  }
  const open = [...offers.values()].filter((o): o is OpenOffer => o.status === 'published' && o.filled < o.positions);
  const placementRates = Object.fromEntries([...registered].map(([r, n]) => [r, (placed.get(r) ?? 0) / n]));
  return {
    asOf,
    seekers: await sortInTurns(active, (s) => s.seekerId),
    offers: await sortInTurns(open, (o) => o.offerId),
    placementRates,
  };
};

/**
 * Sorts by a string key without holding the event loop: runs of TURN items are sorted one per turn,
 * then merged pairwise, a turn every TURN items written. Sorting a million seekers at once held the
 * matching service's loop for 1.2 s, twice per run (the inputs are read twice), and /health/live
 * waited 2.4 s at worst during a national run (2026-12-05).
 */
export const sortInTurns = async <T>(items: T[], key: (item: T) => string): Promise<T[]> => {
  const compare = (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  if (items.length <= TURN) return items.sort(compare);
  let runs: T[][] = [];
  for (let from = 0; from < items.length; from += TURN) {
    runs.push(items.slice(from, from + TURN).sort(compare));
    await yieldTurn();
  }
  let written = 0;
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const [left = [], right] = [runs[r], runs[r + 1]];
      if (!right) {
        merged.push(left);
        continue;
      }
      const out: T[] = new Array(left.length + right.length);
      let i = 0;
      let j = 0;
      for (let k = 0; k < out.length; k += 1) {
        // Equal keys keep their order: the left run's first, as a stable sort would.
        out[k] =
          j >= right.length || (i < left.length && compare(left[i] as T, right[j] as T) <= 0)
            ? (left[i++] as T)
            : (right[j++] as T);
        if ((written += 1) % TURN === 0) await yieldTurn();
      }
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0] ?? [];
};

const seekerRow = (s: ActiveSeeker): string =>
  canonicalJson([
    s.seekerId,
    s.region,
    s.province,
    s.occupations,
    s.skills,
    s.education,
    s.mobility,
    s.registeredOn,
    s.disability,
  ]);

const offerRow = (o: OpenOffer): string =>
  canonicalJson([
    o.offerId,
    o.region,
    o.province,
    o.abroadCountry ?? null,
    o.occupation,
    o.skills,
    o.requiredEducation,
    o.positions - o.filled,
    o.openToOtherRegions,
  ]);

/** How many rows are hashed between two turns of the event loop. */
const HASH_SLICE = 20_000;

/**
 * The text `canonicalJson({ parameters, seekers: rows, offers: rows })` in slices of rows, rather
 * than as one string of hundreds of megabytes: hashing the slices gives the same SHA-256.
 */
function* hashedText(inputs: RunInputs, parameters: unknown): Generator<string> {
  yield '{"offers":[';
  for (let k = 0; k < inputs.offers.length; k += HASH_SLICE)
    yield (k === 0 ? '' : ',') +
      inputs.offers
        .slice(k, k + HASH_SLICE)
        .map(offerRow)
        .join(',');
  yield `],"parameters":${canonicalJson(parameters)},"seekers":[`;
  for (let k = 0; k < inputs.seekers.length; k += HASH_SLICE)
    yield (k === 0 ? '' : ',') +
      inputs.seekers
        .slice(k, k + HASH_SLICE)
        .map(seekerRow)
        .join(',');
  yield ']}';
}

/** A hash over exactly what the optimiser depends on, so a replay can prove it saw the same inputs. */
export const hashInputs = (inputs: RunInputs, parameters: unknown): string => {
  const hash = createHash('sha256');
  for (const text of hashedText(inputs, parameters)) hash.update(text);
  return hash.digest('hex');
};

/** The same hash, giving the event loop a turn between slices: a national run's inputs take seconds. */
export const hashInputsAsync = async (inputs: RunInputs, parameters: unknown): Promise<string> => {
  const hash = createHash('sha256');
  for (const text of hashedText(inputs, parameters)) {
    hash.update(text);
    await yieldTurn();
  }
  return hash.digest('hex');
};
