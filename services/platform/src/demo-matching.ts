import { generateDemo, offerDecider, offerStreamId, seekerDecider, seekerStreamId, type OfferCommand } from '@tashghil/matching';
import { handleCommand, type CommandMetadata, type EventStore } from '@tashghil/event-store';

const seedMetadata = (key: string, now: string): CommandMetadata => ({
  now, actor: 'demo-seed', roles: ['admin'], correlationId: `demo-${key}`, commandId: `demo-seed:${key}`,
});

/**
 * A few hundred fictitious seekers and offers across the regions, made by the seeded generator,
 * with every offer taken through its pipeline to publication. Fixed command ids make a second run
 * answer each command as already applied.
 */
export const seedMatching = async (store: EventStore): Promise<{ seekers: number; offers: number }> => {
  const { seekers, offers } = generateDemo();
  const last = offers[offers.length - 1];
  // The last step of the last offer is written last: if it is there, so is everything before it.
  if (last && (await store.streamVersion(offerStreamId(last.offerId))) >= 2) return { seekers: 0, offers: 0 };
  const now = new Date().toISOString();
  for (const s of seekers) {
    await handleCommand(store, seekerDecider, seekerStreamId(s.seekerId), { type: 'RegisterSeeker', data: s, metadata: seedMetadata(`seeker:${s.seekerId}`, now) });
  }
  for (const o of offers) {
    const steps: Array<Pick<OfferCommand, 'type' | 'data'>> = [
      { type: 'ReceiveOffer', data: o },
      { type: 'ValidateOffer', data: {} },
      { type: 'PublishOffer', data: { openAfterDays: 15 } },
    ];
    for (const [i, step] of steps.entries()) {
      await handleCommand(store, offerDecider, offerStreamId(o.offerId), { ...step, metadata: seedMetadata(`offer:${o.offerId}:${i}`, now) } as OfferCommand);
    }
  }
  return { seekers: seekers.length, offers: offers.length };
};
