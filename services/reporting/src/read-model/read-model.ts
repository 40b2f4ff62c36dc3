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

/** One parsed event of a page, with its envelope. */
export interface PageItem<T extends IntegrationEventType> {
  readonly data: IntegrationEventData<T>;
  readonly event: ProjectedEvent;
}

/**
 * Writes every event of type `T` in a page at once, in one statement per table: for tables whose
 * rows are facts recorded once (a hire, a payment), where the order within a page cannot matter.
 */
export type PageHandler<T extends IntegrationEventType> = (
  db: Queryable,
  schema: string,
  items: readonly PageItem<T>[],
) => Promise<void>;

/**
 * One read model: the tables it owns (each one's DDL, a function of the generation's schema) and a
 * handler per event type it takes in, writing only to those tables. Several read models may take
 * the same event type; each one's handlers run.
 */
export interface ReadModel<Table extends string, Type extends IntegrationEventType> {
  /**
   * Raise it when what the handlers write changes while no table does: the layout version covers it
   * with the DDL, so every instance rebuilds its read model on start.
   */
  readonly revision: number;
  readonly tables: { readonly [T in Table]: (schema: string) => string };
  readonly handlers: { readonly [T in Type]: Handler<T> };
  /** The types written a page at a time; their handler is a page of one. */
  readonly pages: { readonly [T in IntegrationEventType]?: PageHandler<T> };
}

/**
 * A read model as declared: handlers of one event for the tables whose rows change (they keep
 * versions on recorded time, so a stream's order matters), handlers of a page for the tables of
 * facts recorded once (one statement per table and page).
 */
export interface ReadModelSpec<
  Table extends string,
  Type extends IntegrationEventType,
  PageType extends IntegrationEventType,
> {
  readonly revision: number;
  readonly tables: { readonly [T in Table]: (schema: string) => string };
  readonly handlers: { readonly [T in Type]: Handler<T> };
  readonly pages?: { readonly [T in PageType]: PageHandler<T> };
}

/** A read model of any tables and types, as the projection and the layout list them. */
export interface AnyReadModel {
  readonly revision: number;
  readonly tables: Readonly<Record<string, (schema: string) => string>>;
  readonly handlers: { readonly [T in IntegrationEventType]?: Handler<T> };
  readonly pages: { readonly [T in IntegrationEventType]?: PageHandler<T> };
}

/** Declares a read model, inferring its table names and event types from the keys given. */
export const readModel = <
  Table extends string,
  Type extends IntegrationEventType,
  PageType extends IntegrationEventType = never,
>(
  spec: ReadModelSpec<Table, Type, PageType>,
): ReadModel<Table, Type | PageType> => {
  // Each page handler is typed by its key; spread into one map, the pairing is the keys'.
  type Untyped = (
    db: Queryable,
    schema: string,
    items: readonly { data: unknown; event: ProjectedEvent }[],
  ) => Promise<void>;
  const pages = (spec.pages ?? {}) as unknown as Readonly<Record<string, Untyped>>;
  const single = Object.fromEntries(
    Object.entries(pages).map(([type, page]) => [
      type,
      (db: Queryable, schema: string, data: unknown, event: ProjectedEvent) => page(db, schema, [{ data, event }]),
    ]),
  );
  return {
    ...spec,
    handlers: { ...single, ...spec.handlers } as unknown as ReadModel<Table, Type | PageType>['handlers'],
    pages: pages as unknown as ReadModel<Table, Type | PageType>['pages'],
  };
};
