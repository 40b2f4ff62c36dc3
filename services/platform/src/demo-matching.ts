import { addDays } from '@tashghil/contracts';
import { step } from '@tashghil/event-store';
import {
  generateDemo,
  offerDecider,
  offerStreamId,
  seekerDecider,
  seekerStreamId,
  type DemoOffer,
  type DemoSeeker,
  type OfferCommand,
  type SeekerCommand,
} from '@tashghil/matching';
import { mulberry32 } from '@tashghil/matching-engine';
import { instant, seedOnCalendar, type Dated, type StoreAt } from './demo-calendar';
import { seedMetadata } from './demo-metadata';

/** Tashghil's first day in the demo: seekers the agency already had were entered from then on. */
const PLATFORM_START = '2022-01-10';
/** Ordinary offers reach the agencies from mid-January to late April, ahead of the May batch run. */
const FIRST_OFFER = '2022-01-17';
const OFFER_DAYS = 94;
/** The last day an unfilled offer may still open to other regions before the run reads its inputs. */
const OPEN_BY = '2022-04-29';
/** The regions' default in offer-settings.ts: none of the demo regions sets its own. */
const OPEN_AFTER_DAYS = 15;

const timeOfDay = (i: number): string =>
  `${String(8 + (i % 9)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`;

/** Seekers the agency had before Tashghil started were entered over its first three weeks; later ones on the day they registered. */
const registration = (s: DemoSeeker, i: number): SeekerCommand => {
  const day = s.registeredOn >= PLATFORM_START ? s.registeredOn : addDays(PLATFORM_START, i % 21);
  return {
    type: 'RegisterSeeker',
    data: s,
    metadata: seedMetadata(`seeker:${s.seekerId}`, instant(day, timeOfDay(i))),
  };
};

/**
 * Each offer's way to publication, on its own days: received, validated one to three days later,
 * published the same day or the next. A mass offer opens to every region as it is published; some
 * ordinary offers still unfilled after the regions' delay are opened by an officer.
 */
const offerCommands = (o: DemoOffer, r: () => number, massRank: number): OfferCommand[] => {
  const received = o.mass ? addDays('2022-02-14', 28 * massRank) : addDays(FIRST_OFFER, Math.floor(r() * OFFER_DAYS));
  const validated = addDays(received, 1 + Math.floor(r() * 3));
  const published = addDays(validated, Math.floor(r() * 2));
  const opened = addDays(published, OPEN_AFTER_DAYS + Math.floor(r() * 5));
  const opens = !o.mass && !o.abroadCountry && r() < 0.25 && opened <= OPEN_BY;
  const meta = (step: number, day: string, time: string) =>
    seedMetadata(`offer:${o.offerId}:${step}`, instant(day, time));
  const steps: OfferCommand[] = [
    { type: 'ReceiveOffer', data: o, metadata: meta(0, received, '10:00') },
    { type: 'ValidateOffer', data: {}, metadata: meta(1, validated, '11:00') },
    { type: 'PublishOffer', data: { openAfterDays: OPEN_AFTER_DAYS }, metadata: meta(2, published, '15:00') },
  ];
  return opens ? [...steps, { type: 'OpenOfferToOtherRegions', data: {}, metadata: meta(3, opened, '09:30') }] : steps;
};

export interface MatchingSeeded {
  /** False when the store holds an older demo, entered before the programme calendar: nothing is added to it. */
  readonly onCalendar: boolean;
  readonly seekers: number;
  readonly offers: number;
}

/**
 * A few hundred fictitious seekers and offers across the regions, made by the seeded generator,
 * with every offer taken through its pipeline to publication. The commands are the ones an officer
 * sends, decided by the same deciders, recorded on their days from January to April 2022 in
 * calendar order, and written in one transaction: the first start stays quick on PGlite, and a
 * crash midway leaves no half-loaded demo.
 */
export const seedMatching = async (at: StoreAt): Promise<MatchingSeeded> => {
  const { seekers, offers } = generateDemo();
  const store = at(PLATFORM_START);
  const [first, last] = [seekers[0], offers[offers.length - 1]];
  if (!first || !last) return { onCalendar: false, seekers: 0, offers: 0 };
  if ((await store.streamVersion(offerStreamId(last.offerId))) >= 0) return { onCalendar: true, seekers: 0, offers: 0 };
  if ((await store.streamVersion(seekerStreamId(first.seekerId))) >= 0)
    return { onCalendar: false, seekers: 0, offers: 0 };
  const r = mulberry32(20220502);
  const massRank = new Map(offers.filter((o) => o.mass).map((o, k) => [o.offerId, k]));
  const dated: Dated[] = seekers.map((s, i) => {
    const command = registration(s, i);
    const workflow = [step({ decider: seekerDecider, streamId: seekerStreamId(s.seekerId), command })];
    return { now: command.metadata.now, workflow };
  });
  for (const o of offers)
    for (const command of offerCommands(o, r, massRank.get(o.offerId) ?? 0))
      dated.push({
        now: command.metadata.now,
        workflow: [step({ decider: offerDecider, streamId: offerStreamId(o.offerId), command })],
      });
  await seedOnCalendar(at, dated);
  return { onCalendar: true, seekers: seekers.length, offers: offers.length };
};
