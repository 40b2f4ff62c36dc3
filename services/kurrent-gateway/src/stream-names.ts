import { streamCategory } from '@tashghil/event-store';

/**
 * Stream names as the clients see them. A Tashghil stream keeps its id (`conventions.convention-42`).
 * The metadata stream `$$<stream>` of an external stream is stored as `<context>.streammeta-<stream>`
 * in the same context, so it is hash-chained like any stream and stays in the external context; the
 * category `<context>.streammeta` is reserved for it.
 */
const META_AGGREGATE = 'streammeta';
const META_PREFIX = '$$';

const contextOf = (name: string): string => name.split(/[.-]/, 1)[0] ?? '';

const isMetaCategory = (category: string): boolean => category.endsWith(`.${META_AGGREGATE}`);

/** The name a stored stream has on the wire. */
export const exposedName = (storedId: string): string => {
  const category = streamCategory(storedId);
  return isMetaCategory(category) ? `${META_PREFIX}${storedId.slice(category.length + 1)}` : storedId;
};

export const metaStreamOf = (name: string): string => `${contextOf(name)}.${META_AGGREGATE}-${name}`;

/** Which categories clients may append to: `ext.*` (a whole context) or exact categories. */
export class ExternalCategories {
  constructor(readonly patterns: readonly string[]) {
    for (const p of patterns) {
      if (!/^[a-z][a-z0-9]*(\.\*|(\.[a-z][a-zA-Z0-9]*)+)$/.test(p))
        throw new Error(`"${p}" is not an external category pattern (<context>.* or <context>.<aggregate>)`);
    }
  }

  includes(name: string): boolean {
    const category = streamCategory(name);
    if (isMetaCategory(category) || !category.includes('.')) return false;
    return this.patterns.some((p) => (p.endsWith('.*') ? category.startsWith(p.slice(0, -1)) : category === p));
  }
}

/** What a stream name in a request designates. */
export type Target =
  /** A stream of the store; `external` when clients may write it. */
  | { readonly kind: 'stream'; readonly name: string; readonly stored: string; readonly external: boolean }
  /** The metadata stream of `of`, stored as `stored`. */
  | {
      readonly kind: 'meta';
      readonly name: string;
      readonly of: string;
      readonly stored: string;
      readonly external: boolean;
    }
  /** A KurrentDB system stream (`$settings`, `$ce-…`): none exists here. */
  | { readonly kind: 'system'; readonly name: string };

export const resolveTarget = (external: ExternalCategories, name: string): Target => {
  if (name.startsWith(META_PREFIX) && name.length > META_PREFIX.length) {
    const of = name.slice(META_PREFIX.length);
    return { kind: 'meta', name, of, stored: metaStreamOf(of), external: external.includes(of) };
  }
  if (name.startsWith('$') || isMetaCategory(streamCategory(name))) return { kind: 'system', name };
  return { kind: 'stream', name, stored: name, external: external.includes(name) };
};
