import type { IntegrationEventData, IntegrationEventType } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import type { Column } from './bitemporal';
import { writeVersionsOf } from './versioned';

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

/** A row of a versioned table as its folds see it: columns by name, dates as `YYYY-MM-DD`. */
export type VersionRow = Readonly<Record<string, unknown>>;

/** What one event of type `T` does to the current row of its key in a versioned table. */
export interface Fold<T extends IntegrationEventType> {
  /** The values of the table's key columns that the event names, in their order. */
  readonly key: (data: IntegrationEventData<T>) => readonly string[];
  /**
   * The row as the event leaves it: a new object is a change, a new version from the event's
   * recorded time; `current` itself (or undefined while there is none) means the event changes nothing.
   */
  readonly next: (current: VersionRow | undefined, data: IntegrationEventData<T>) => VersionRow | undefined;
}

/**
 * A table whose rows change (they keep versions on recorded time), written a page at a time: the
 * page's events are folded in their order over the current rows of the keys they name, read in one
 * statement, and the versions they make are written in two (the stored rows changed, the new ones).
 */
export interface Versioned {
  /** The key columns, then the others; `valid_from` and `valid_to` are not listed. */
  readonly key: readonly Column[];
  readonly columns: readonly Column[];
  readonly folds: { readonly [T in IntegrationEventType]?: Fold<T> };
}

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
  /** Every type the read model takes, as one event: its page handler, folds and own handler together. */
  readonly handlers: { readonly [T in Type]: Handler<T> };
  /** The handlers of one event written as such (the few tables of lists replaced whole). */
  readonly eachEvent: { readonly [T in IntegrationEventType]?: Handler<T> };
  /** The types written a page at a time into tables of facts recorded once. */
  readonly pages: { readonly [T in IntegrationEventType]?: PageHandler<T> };
  /** The versioned tables written a page at a time, by name. */
  readonly versions: { readonly [T in Table]?: Versioned };
}

/**
 * A read model as declared: handlers of a page for the tables of facts recorded once (one statement
 * per table and page), folds for the tables whose rows change, and handlers of one event for what
 * neither fits.
 */
export interface ReadModelSpec<
  Table extends string,
  Type extends IntegrationEventType,
  PageType extends IntegrationEventType,
> {
  readonly revision: number;
  readonly tables: { readonly [T in Table]: (schema: string) => string };
  readonly handlers?: { readonly [T in Type]: Handler<T> };
  readonly pages?: { readonly [T in PageType]: PageHandler<T> };
  readonly versions?: { readonly [T in Table]?: Versioned };
}

/** A read model of any tables and types, as the projection and the layout list them. */
export interface AnyReadModel {
  readonly revision: number;
  readonly tables: Readonly<Record<string, (schema: string) => string>>;
  readonly handlers: { readonly [T in IntegrationEventType]?: Handler<T> };
  readonly eachEvent: { readonly [T in IntegrationEventType]?: Handler<T> };
  readonly pages: { readonly [T in IntegrationEventType]?: PageHandler<T> };
  readonly versions: Readonly<Record<string, Versioned | undefined>>;
}

type Untyped = (
  db: Queryable,
  schema: string,
  items: readonly { data: unknown; event: ProjectedEvent }[],
) => Promise<void>;
type UntypedEvent = (db: Queryable, schema: string, data: unknown, event: ProjectedEvent) => Promise<void>;

/**
 * Declares a read model, inferring its table names and event types from the keys given. Its
 * `handlers` take one event through everything the read model does with its type, in the order a
 * page runs them, as the projection specs and a single live event need.
 */
export const readModel = <
  Table extends string,
  Type extends IntegrationEventType = never,
  PageType extends IntegrationEventType = never,
>(
  spec: ReadModelSpec<Table, Type, PageType>,
): ReadModel<Table, Type | PageType> => {
  // Each handler is typed by its key; spread into one map, the pairing is the keys'.
  const pages = (spec.pages ?? {}) as unknown as Readonly<Record<string, Untyped>>;
  const eachEvent = (spec.handlers ?? {}) as unknown as Readonly<Record<string, UntypedEvent>>;
  const versions: Readonly<Record<string, Versioned | undefined>> = spec.versions ?? {};
  const types = new Set([
    ...Object.keys(pages),
    ...Object.keys(eachEvent),
    ...Object.values(versions).flatMap((v) => Object.keys(v?.folds ?? {})),
  ]);
  const one =
    (type: string): UntypedEvent =>
    async (db, schema, data, event) => {
      const item = [{ data, event }];
      await pages[type]?.(db, schema, item);
      for (const [table, versioned] of Object.entries(versions))
        if (versioned && Object.hasOwn(versioned.folds, type))
          await writeVersionsOf(db, schema, table, versioned, item);
      await eachEvent[type]?.(db, schema, data, event);
    };
  return {
    revision: spec.revision,
    tables: spec.tables,
    handlers: Object.fromEntries([...types].map((type) => [type, one(type)])) as unknown as ReadModel<
      Table,
      Type | PageType
    >['handlers'],
    eachEvent: eachEvent as unknown as ReadModel<Table, Type | PageType>['eachEvent'],
    pages: pages as unknown as ReadModel<Table, Type | PageType>['pages'],
    versions: spec.versions ?? {},
  };
};
