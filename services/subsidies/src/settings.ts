import type { OverEnvelopePolicy } from './envelope/over-envelope';

export const SUBSIDIES_SETTINGS = Symbol('SUBSIDIES_SETTINGS');

export interface SubsidiesSettings {
  /** What an approval beyond the envelope becomes: refused (409), or recorded as waitlisted. */
  readonly overEnvelope: OverEnvelopePolicy;
}

export const loadSubsidiesSettings = (env: NodeJS.ProcessEnv = process.env): SubsidiesSettings => {
  const policy = env.SUBSIDIES_OVER_ENVELOPE ?? 'refuse';
  if (policy !== 'refuse' && policy !== 'waitlist') {
    throw new Error(`SUBSIDIES_OVER_ENVELOPE must be refuse or waitlist, not ${policy}`);
  }
  return { overEnvelope: policy };
};

export const settingsProvider = { provide: SUBSIDIES_SETTINGS, useFactory: () => loadSubsidiesSettings() };
