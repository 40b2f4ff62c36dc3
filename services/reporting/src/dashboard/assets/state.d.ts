import type { Lang } from './format.js';
import type { RegionNames } from './labels.js';

export interface ViewState {
  readonly region: string | null;
  readonly asOf: string | null;
  readonly lang: Lang;
}
export interface Described {
  readonly message: string;
  readonly technical: string;
  readonly signIn: boolean;
}
export type Claims = Readonly<Record<string, unknown>> & {
  readonly roles?: readonly string[];
  readonly region?: string;
  readonly sub?: string;
};
export declare const parseState: (search: string) => ViewState;
export declare const stateQuery: (state: ViewState) => string;
export declare const reportQuery: (state: ViewState) => string;
export declare const looksLikeToken: (text: string) => boolean;
export declare const tokenClaims: (token: string) => Claims | null;
export declare const describeIdentity: (claims: Claims | null, lang: Lang, regions: RegionNames) => string;
export declare const describeProblem: (
  status: number,
  problem: Readonly<Record<string, unknown>> | null,
  asked: string | null,
  claims: Claims | null,
  lang: Lang,
  regions: RegionNames,
) => Described;
export declare const exportName: (state: ViewState, extension: string) => string;
export declare const fileNameOf: (disposition: string | null) => string | null;
