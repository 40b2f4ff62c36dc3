import { EnvelopeExceededError } from './envelope.decider';

/** What an approval beyond the envelope becomes: refused (409 ENVELOPE_EXCEEDED), or recorded as waitlisted. */
export type OverEnvelopePolicy = 'refuse' | 'waitlist';

/**
 * Runs an approval and, when the envelope refuses it and the programme waitlists what does not fit,
 * runs the waitlisting: a command of its own, decided on the file as it then stands, with the
 * envelope's refusal as its reason.
 */
export const approveOrWaitlist = async <T>(
  policy: OverEnvelopePolicy,
  approve: () => Promise<T>,
  waitlist: (refusal: EnvelopeExceededError) => Promise<T>,
): Promise<T> => {
  try {
    return await approve();
  } catch (error) {
    if (policy === 'waitlist' && error instanceof EnvelopeExceededError) return waitlist(error);
    throw error;
  }
};
