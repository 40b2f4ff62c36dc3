/** Seekers and offers for the workflow specs, made by their own deciders so they stay what the deciders store. */
import type { CommandMetadata } from '@tashghil/event-store';
import { offerDecider, type OfferCommand, type OfferDetails, type OfferEvent } from '../offer/offer.decider';
import { seekerDecider, type RegisterSeeker, type SeekerEvent } from '../seeker/seeker.decider';

export const at = (day: string, commandId = `cmd-${day}`): CommandMetadata => ({
  now: `${day}T09:00:00.000Z`,
  actor: 'officer-ma09',
  roles: ['officer'],
  region: 'MA-09',
  correlationId: 'c',
  commandId,
});

/** The events of a history of commands, each decided on the state the ones before left. */
const decided = <C, E, S>(
  decider: { initialState: () => S; evolve: (s: S, e: E) => S; decide: (c: C, s: S) => readonly E[] },
  commands: readonly C[],
): E[] => {
  const events: E[] = [];
  let state = decider.initialState();
  for (const c of commands) {
    const more = decider.decide(c, state);
    events.push(...more);
    state = more.reduce(decider.evolve, state);
  }
  return events;
};

export const seekerData = (seekerId: string, patch: Partial<RegisterSeeker['data']> = {}): RegisterSeeker['data'] => ({
  seekerId,
  registeredOn: '2021-02-01',
  region: 'MA-09',
  province: 'Agadir-Ida Ou Tanane',
  gender: 'female',
  birthDate: '1995-05-05',
  education: 'vocational',
  occupations: ['7231'],
  skills: ['diagnostic'],
  languages: ['ar', 'fr'],
  disability: false,
  pandemicJobLoss: false,
  area: 'urban',
  mobility: 'own_region',
  fullName: 'Personne Fictive',
  cin: 'ZZ000001',
  ...patch,
});

export const registeredSeeker = (seekerId: string, patch: Partial<RegisterSeeker['data']> = {}): SeekerEvent[] =>
  decided(seekerDecider, [{ type: 'RegisterSeeker', data: seekerData(seekerId, patch), metadata: at('2024-02-01') }]);

export const offerDetails = (patch: Partial<OfferDetails> = {}): OfferDetails => ({
  employer: { kind: 'company', id: 'garage-1', name: 'Garage (fictif)', sector: 'automotive' },
  region: 'MA-09',
  province: 'Agadir-Ida Ou Tanane',
  occupation: '7231',
  positions: 2,
  requiredEducation: 'primary',
  skills: ['diagnostic'],
  contractType: 'fixed_term',
  mass: false,
  validUntil: '2030-01-01',
  ...patch,
});

/** An offer received, validated and published, as an officer takes it. */
export const publishedOffer = (offerId: string, patch: Partial<OfferDetails> = {}): OfferEvent[] => {
  const commands: OfferCommand[] = [
    { type: 'ReceiveOffer', data: { offerId, ...offerDetails(patch) }, metadata: at('2024-02-10') },
    { type: 'ValidateOffer', data: {}, metadata: at('2024-02-11') },
    { type: 'PublishOffer', data: { openAfterDays: 15 }, metadata: at('2024-02-12') },
  ];
  return decided(offerDecider, commands);
};
