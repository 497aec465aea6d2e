import type { ProgressReport, ProgressResult } from '@/api/courses';

/** The server takes at most this many seconds per report. */
export const MAX_REPORT_SECONDS = 300;

export interface ReadingTrackerOptions {
  send(report: ProgressReport, options: { keepalive: boolean }): Promise<ProgressResult>;
  onResult?(result: ProgressResult): void;
  now?: () => number;
}

/**
 * Counts the time a material is on screen and reports it: every report carries the whole seconds
 * since the previous one (capped at 300), and `reachedEnd` once the reader got to the end (it stays
 * set, so a later report can still complete the material once enough time has passed). Time while
 * paused (the tab hidden) does not count. When the server says the reader is not enrolled, it stops.
 */
export class ReadingTracker {
  private readonly now: () => number;
  /** Start of the time not yet reported; null while paused. */
  private since: number | null = null;
  private endReached = false;
  private endReported = false;
  private stopped = false;

  constructor(private readonly options: ReadingTrackerOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** Starts (or resumes) counting, e.g. when the page becomes visible. */
  resume(): void {
    if (this.stopped || this.since !== null) return;
    this.since = this.now();
  }

  /** Reports what was counted and stops counting, e.g. when the page is hidden. */
  pause(keepalive = false): void {
    if (this.since === null) return;
    void this.flush({ keepalive });
    this.since = null;
  }

  /** The reader scrolled to the end: reported at once. */
  reachEnd(): void {
    if (this.endReached) return;
    this.endReached = true;
    void this.flush();
  }

  /**
   * Sends the counted seconds. `force` sends even with nothing new (the first report of a visit
   * tells whether the material and course are already completed).
   */
  async flush(options: { keepalive?: boolean; force?: boolean } = {}): Promise<ProgressResult | null> {
    if (this.stopped) return null;
    const seconds = this.take();
    const newEnd = this.endReached && !this.endReported;
    if (seconds === 0 && !newEnd && !options.force) return null;
    if (newEnd) this.endReported = true;
    try {
      const result = await this.options.send({ secondsSpent: seconds, reachedEnd: this.endReached }, { keepalive: options.keepalive ?? false });
      if (!result.tracked) this.stop();
      this.options.onResult?.(result);
      return result;
    } catch {
      // Lost time is not worth an error message; the next report carries on.
      if (newEnd) this.endReported = false;
      return null;
    }
  }

  stop(): void {
    this.stopped = true;
    this.since = null;
  }

  /** Whole seconds since `since` (the fraction carries over), capped for one report. */
  private take(): number {
    if (this.since === null) return 0;
    const now = this.now();
    const elapsed = Math.max(0, now - this.since);
    const seconds = Math.floor(elapsed / 1000);
    if (seconds >= MAX_REPORT_SECONDS) {
      this.since = now;
      return MAX_REPORT_SECONDS;
    }
    this.since += seconds * 1000;
    return seconds;
  }
}
