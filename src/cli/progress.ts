/**
 * @file The progress bar of `thc run --steps N`: one line on stderr, redrawn in place with `\r`,
 * showing step i/N, the elapsed time, steps per second and the time left, and erased (spaces,
 * then `\r`) when the run ends, so the terminal is left as it was. It only appears when it can be
 * read and cannot get in the way: N > 1, stderr is a terminal (never in pipes, files or tests), the
 * terminal is not `TERM=dumb`, diagnostics are text, and `--no-progress` / `THC_NO_PROGRESS=1` are
 * not given. It uses no escape sequences and no colour (so NO_COLOR has nothing to turn off).
 * Redraws are throttled to one per 100 ms, and a run shorter than that never draws at all.
 * Engines that cannot report each step (generated C runs every step in one child process) use
 * `ticking`: the bar then shows the elapsed time only, redrawn by a timer while the engine works.
 */

/** Where the bar is written: process.stderr, or a fake in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** Terminal width; 80 when unknown (or 0). */
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  readonly stream: ProgressStream;
  /** The environment to read TERM and THC_NO_PROGRESS from (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** False turns the bar off (`--no-progress`, `--diagnostics json`). */
  readonly enabled?: boolean;
  /** Milliseconds now (default: performance.now); tests pass a fake clock. */
  readonly now?: () => number;
  /** Shown before the counts, e.g. `gpu`. */
  readonly label?: string;
}

export interface Progress {
  /** Step `done` of N has finished (1-based); redraws when 100 ms have passed since the last draw. */
  step(done: number): void;
  /**
   * For engines that report nothing until the end: redraws the elapsed time every 100 ms until the
   * returned function is called (the timer never keeps the process alive).
   */
  ticking(): () => void;
  /** Erases the bar, if it was drawn. Safe to call more than once. */
  end(): void;
}

/** The minimum time between two redraws, in ms. */
export const REDRAW_MS = 100;

const NONE: Progress = { step() {}, ticking: () => () => {}, end() {} };

/** Whether a bar should be shown for N steps on this stream. */
export function progressWanted(total: number, o: ProgressOptions): boolean {
  const env = o.env ?? process.env;
  return total > 1 && o.enabled !== false && o.stream.isTTY === true
    && env['TERM'] !== 'dumb' && (env['THC_NO_PROGRESS'] ?? '') === '';
}

/** A progress bar for `total` steps, or one that does nothing when progressWanted says no. */
export function createProgress(total: number, o: ProgressOptions): Progress {
  if (!progressWanted(total, o)) return NONE;
  const now = o.now ?? (() => performance.now());
  const start = now();
  let last = start;
  let drawn = 0; // length of the line on screen
  let done = 0;
  let counting = true; // false while ticking: the engine reports no steps
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = (): void => {
    const t = now();
    last = t;
    // A pseudo-terminal may report 0 columns: unknown, like undefined.
    const width = Math.max(20, (o.stream.columns || 80) - 1);
    const line = counting ? progressLine(done, total, t - start, o.label, width) : elapsedLine(total, t - start, o.label, width);
    o.stream.write(`\r${line}${' '.repeat(Math.max(0, drawn - line.length))}`);
    drawn = line.length;
  };
  return {
    step(k) {
      done = k;
      if (now() - last >= REDRAW_MS) draw();
    },
    ticking() {
      counting = false;
      timer = setInterval(draw, REDRAW_MS);
      timer.unref?.();
      return () => { if (timer) clearInterval(timer); timer = undefined; counting = true; };
    },
    end() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (drawn > 0) o.stream.write(`\r${' '.repeat(drawn)}\r`);
      drawn = 0;
    },
  };
}

/** The line of an engine that reports no steps: `cpu (C) 300 steps, 2.5s elapsed`. */
export function elapsedLine(total: number, elapsedMs: number, label: string | undefined, width: number): string {
  return `${label ? `${label} ` : ''}${total} steps, ${formatDuration(elapsedMs)} elapsed`.slice(0, width);
}

/** `12.3s`, `4m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * The bar's text, at most `width` characters: `label step 37/100 [#####.....] 1.2s, 30.5 steps/s, 2.1s left`.
 * With no step finished yet (or an engine that reports none) only the elapsed time can be shown.
 */
export function progressLine(done: number, total: number, elapsedMs: number, label: string | undefined, width: number): string {
  const head = `${label ? `${label} ` : ''}step ${done}/${total}`;
  const rate = done > 0 && elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const tail = rate > 0
    ? ` ${formatDuration(elapsedMs)}, ${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} steps/s, ${formatDuration((total - done) / rate * 1000)} left`
    : ` ${formatDuration(elapsedMs)}`;
  const room = width - head.length - tail.length - 3;
  if (room < 5) return `${head}${tail}`.slice(0, width);
  const barWidth = Math.min(30, room);
  const filled = Math.round(barWidth * Math.min(1, done / total));
  return `${head} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${tail}`;
}
