import { handleCommand, type EventStore } from '@tashghil/event-store';
import { generateDemo } from '../demo/demo-generator';
import { offerDecider, offerStreamId, type OfferCommand } from '../offer/offer.decider';
import { seekerDecider, seekerStreamId } from '../seeker/seeker.decider';

export const meta = (key: string) => ({
  now: '2024-03-01T09:00:00.000Z',
  actor: 'test',
  roles: ['admin'],
  correlationId: 'c',
  commandId: key,
});

/** Seekers and published offers of the demo generator, written through their deciders. */
export const seedFiles = async (store: EventStore, seed: number, seekers: number, offers: number): Promise<void> => {
  const demo = generateDemo(seed, seekers, offers);
  for (const s of demo.seekers)
    await handleCommand(store, seekerDecider, seekerStreamId(s.seekerId), {
      type: 'RegisterSeeker',
      data: s,
      metadata: meta(`s:${s.seekerId}`),
    });
  for (const o of demo.offers) {
    const steps: Array<Pick<OfferCommand, 'type' | 'data'>> = [
      { type: 'ReceiveOffer', data: o },
      { type: 'ValidateOffer', data: {} },
      { type: 'PublishOffer', data: { openAfterDays: 15 } },
    ];
    for (const [i, step] of steps.entries())
      await handleCommand(store, offerDecider, offerStreamId(o.offerId), {
        ...step,
        metadata: meta(`o:${o.offerId}:${i}`),
      } as OfferCommand);
  }
};
