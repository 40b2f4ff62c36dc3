import { streamCategory, type ReadAllOptions } from '@tashghil/event-store';

/**
 * The categories a sink mirrors: exact ones (`conventions.convention`) and whole contexts
 * (`matching.*`). The store filters in SQL when it can (one context, or exact categories only);
 * a mix is read unfiltered and chosen here, which costs a scan of the other events, not a mistake.
 */
export class CategorySelection {
  readonly exact: readonly string[];
  readonly contexts: readonly string[];

  constructor(readonly patterns: readonly string[]) {
    if (patterns.length === 0) throw new Error('name at least one category to mirror, e.g. conventions.*');
    for (const p of patterns) {
      if (!/^[a-z][a-z0-9]*(\.\*|(\.[a-z][a-zA-Z0-9]*)+)$/.test(p))
        throw new Error(`"${p}" is not a category (<context>.<aggregate>) nor a context (<context>.*)`);
    }
    this.exact = patterns.filter((p) => !p.endsWith('.*'));
    this.contexts = patterns.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -2));
  }

  static parse(text: string): CategorySelection {
    return new CategorySelection(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }

  includes(streamId: string): boolean {
    const category = streamCategory(streamId);
    return this.exact.includes(category) || this.contexts.some((c) => category.startsWith(`${c}.`));
  }

  /** The store's own filter when it can express the whole selection, else none (see the class). */
  get storeFilter(): Pick<ReadAllOptions, 'categories' | 'context'> {
    const [context] = this.contexts;
    if (this.contexts.length === 0) return { categories: this.exact };
    if (this.exact.length === 0 && this.contexts.length === 1 && context !== undefined) return { context };
    return {};
  }
}
