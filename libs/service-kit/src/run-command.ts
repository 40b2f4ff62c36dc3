import type { Command, DecidedEvent, Decider, EventStore, HandleResult, Issued } from '@tashghil/event-store';
import { handleCommand } from '@tashghil/event-store';
import type { Response } from 'express';
import { identityOf, type AuthedRequest } from './auth.guard';
import type { Identity } from './identity';
import { commandMetadata, etag, expectedVersionFrom } from './request-context';

/**
 * What every command endpoint does around its decider: the caller's metadata, If-Match as the
 * expected version, the caller checked against the state the command is decided on, and the new
 * version as the ETag.
 */
export const runCommand = async <C extends Command, S, E extends DecidedEvent>(
  http: { readonly req: AuthedRequest; readonly res: Response },
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: Issued<C>,
  authorize: (state: S, who: Identity) => void,
): Promise<HandleResult<S, E>> => {
  const who = identityOf(http.req);
  const expectedVersion = expectedVersionFrom(http.req);
  const result = await handleCommand(
    store,
    decider,
    streamId,
    { ...command, metadata: commandMetadata(http.req) } as C,
    {
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      authorize: (state) => authorize(state, who),
    },
  );
  http.res.setHeader('ETag', etag(result.version));
  return result;
};
