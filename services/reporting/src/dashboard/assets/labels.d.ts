import type { Lang } from './format.js';

export interface Words {
  readonly text: string;
  /** false when the dashboard shows the API's own text, untranslated. */
  readonly translated: boolean;
}
export type RegionNames = Readonly<Record<string, { readonly fr: string; readonly ar: string }>>;
export declare const DIMENSIONS: Readonly<
  Record<string, Readonly<Record<string, { readonly fr: string; readonly ar: string }>>>
>;
export declare const MEASURES_AR: Readonly<Record<string, string>>;
export declare const PROVINCES_AR: Readonly<Record<string, string>>;
export declare const label: (dimension: string, key: string, lang: Lang) => Words;
export declare const province: (name: string, lang: Lang) => Words;
export declare const region: (code: string, lang: Lang, regions: RegionNames) => Words;
export declare const line: (
  entry: { readonly source: string; readonly line: string; readonly label: string },
  lang: Lang,
) => Words;
export declare const reference: (entry: { readonly source: string; readonly ref: string }, lang: Lang) => Words;
export declare const fileDecision: (key: string, lang: Lang) => Words;
export type OccupationNames = Readonly<Record<string, { readonly fr: string; readonly ar?: string }>>;
export declare const occupation: (code: string, lang: Lang, occupations: OccupationNames) => Words;
export declare const ordered: <T extends { readonly key: string }>(dimension: string, entries: readonly T[]) => T[];
