import { generateDemo, offerDecider, offerStreamId, seekerDecider, seekerStreamId, type OfferCommand, type SeekerCommand } from '@tashghil/matching';
import { toNewEvents, type Command, type DecidedEvent, type Decider, type EventStore, type NewEvent } from '@tashghil/event-store';
import { seedMetadata } from './demo-metadata';

/** Decides a new stream's commands in turn, folding as it goes, and returns the events to append. */
const decideAll = <C extends Command, S, E extends DecidedEvent>(decider: Decider<C, S, E>, commands: readonly C[]): NewEvent[] => {
  let state = decider.initialState();
  return commands.flatMap((c) => {
    const events = decider.decide(c, state);
    state = events.reduce(decider.evolve, state);
    return toNewEvents(c, events);
  });
};

/**
 * A few hundred fictitious seekers and offers across the regions, made by the seeded generator,
 * with every offer taken through its pipeline to publication. The commands are the ones an officer
 * sends, decided by the same deciders, and written in one transaction: the first start stays quick
 * on PGlite, and a crash midway leaves no half-loaded demo.
 */
export const seedMatching = async (store: EventStore): Promise<{ seekers: number; offers: number }> => {
  const { seekers, offers } = generateDemo();
  const last = offers[offers.length - 1];
  if (last && (await store.streamVersion(offerStreamId(last.offerId))) >= 0) return { seekers: 0, offers: 0 };
  const now = new Date().toISOString();
  await store.db.transaction(async (tx) => {
    for (const s of seekers) {
      const register: SeekerCommand = { type: 'RegisterSeeker', data: s, metadata: seedMetadata(`seeker:${s.seekerId}`, now) };
      await store.appendInTransaction(tx, seekerStreamId(s.seekerId), decideAll(seekerDecider, [register]), 'no_stream');
    }
    for (const o of offers) {
      const steps: OfferCommand[] = [
        { type: 'ReceiveOffer', data: o, metadata: seedMetadata(`offer:${o.offerId}:0`, now) },
        { type: 'ValidateOffer', data: {}, metadata: seedMetadata(`offer:${o.offerId}:1`, now) },
        { type: 'PublishOffer', data: { openAfterDays: 15 }, metadata: seedMetadata(`offer:${o.offerId}:2`, now) },
      ];
      await store.appendInTransaction(tx, offerStreamId(o.offerId), decideAll(offerDecider, steps), 'no_stream');
    }
  });
  return { seekers: seekers.length, offers: offers.length };
};
