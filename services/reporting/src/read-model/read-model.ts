import type { IntegrationEventData, IntegrationEventType } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';

/** What the projection needs of an event beside its parsed data; an envelope and a stored event both have it. */
export interface ProjectedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly globalPosition: number;
  readonly recordedAt: string;
}

/**
 * Writes one event of type `T` into the tables of the generation in `schema`. The data is what the
 * contract of `T` parses to, so a handler written for another event's data does not compile.
 */
export type Handler<T extends IntegrationEventType> = (
  db: Queryable,
  schema: string,
  data: IntegrationEventData<T>,
  event: ProjectedEvent,
) => Promise<void>;

/**
 * One read model: the tables it owns (each one's DDL, a function of the generation's schema) and a
 * handler per event type it takes in, writing only to those tables. Several read models may take
 * the same event type; each one's handler runs.
 */
export interface ReadModel<Table extends string, Type extends IntegrationEventType> {
  /**
   * Raise it when what the handlers write changes while no table does: the layout version covers it
   * with the DDL, so every instance rebuilds its read model on start.
   */
  readonly revision: number;
  readonly tables: { readonly [T in Table]: (schema: string) => string };
  readonly handlers: { readonly [T in Type]: Handler<T> };
}

/** A read model of any tables and types, as the projection and the layout list them. */
export interface AnyReadModel {
  readonly revision: number;
  readonly tables: Readonly<Record<string, (schema: string) => string>>;
  readonly handlers: { readonly [T in IntegrationEventType]?: Handler<T> };
}

/** Declares a read model, inferring its table names and event types from the keys given. */
export const readModel = <Table extends string, Type extends IntegrationEventType>(
  model: ReadModel<Table, Type>,
): ReadModel<Table, Type> => model;
