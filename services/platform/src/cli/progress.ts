/** Where a progress bar is drawn: process.stderr, or a test's stand-in. */
export interface ProgressTarget {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  /** False when nothing is drawn, so a caller can skip work done only for the bar (counting events). */
  readonly active: boolean;
  update(done: number, total: number): void;
  /** Clears the bar, leaving the line as it was. */
  end(): void;
}

/** Makes the bar for one stretch of work, named by `label`. */
export type Progress = (label: string) => ProgressBar;

const SILENT: ProgressBar = { active: false, update: () => undefined, end: () => undefined };

/**
 * A bar redrawn in place with `\r` on a terminal, and nothing at all otherwise: a script that pipes
 * stderr to a log gets no control characters. Redrawn only when the tenth of a percent changes, so
 * a caller may report every event.
 */
export const progressTo =
  (target: ProgressTarget): Progress =>
  (label) => {
    if (target.isTTY !== true) return SILENT;
    let shown = '';
    let step = -1;
    return {
      active: true,
      update(done, total) {
        const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
        const now = Math.floor(share * 1000);
        if (now === step) return;
        step = now;
        const width = Math.max(10, Math.min(40, (target.columns ?? 80) - label.length - 30));
        const filled = Math.round(share * width);
        const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done}/${total}`;
        target.write(`\r${line}${' '.repeat(Math.max(0, shown.length - line.length))}`);
        shown = line;
      },
      end() {
        if (shown) target.write(`\r${' '.repeat(shown.length)}\r`);
        shown = '';
        step = -1;
      },
    };
  };
