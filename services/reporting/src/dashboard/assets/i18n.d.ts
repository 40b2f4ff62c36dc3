import type { Lang } from './format.js';

export declare const LANGS: readonly Lang[];
export declare const MESSAGES: Readonly<Record<Lang, Readonly<Record<string, string>>>>;
export declare const normaliseLang: (lang: string) => Lang;
export declare const t: (key: string, lang: Lang, params?: Readonly<Record<string, string | number>>) => string;
