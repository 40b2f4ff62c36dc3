export interface Bar {
  readonly value: number | null;
  readonly cls: string;
  readonly figure?: string;
}
export declare const barStack: (bars: readonly Bar[], max: number, rtl: boolean) => string;
export declare const niceStep: (max: number, ticks: number, least?: number) => number;
export declare const heatLevel: (count: number, max: number) => number;
export declare const figureAttrs: (figure: string | undefined, value: unknown) => string;
