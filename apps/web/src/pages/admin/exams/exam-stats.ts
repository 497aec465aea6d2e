/** Figures for the exam detail page, kept apart from the components so they can be tested. */

export interface HistogramBin {
  /** Inclusive lower bound in percent. */
  from: number;
  /** Exclusive upper bound, except the last bin which includes 100. */
  to: number;
  count: number;
}

/** Counts percentages into equal bins: 0–10, 10–20, …, 90–100 (100 falls in the last bin). */
export function scoreHistogram(percents: readonly number[], bins = 10): HistogramBin[] {
  const width = 100 / bins;
  const result = Array.from({ length: bins }, (_, i) => ({ from: Math.round(i * width), to: Math.round((i + 1) * width), count: 0 }));
  for (const percent of percents) {
    if (!Number.isFinite(percent)) continue;
    const index = Math.min(bins - 1, Math.max(0, Math.floor(percent / width)));
    result[index]!.count += 1;
  }
  return result;
}

export interface ScoreSummary {
  count: number;
  average: number | null;
  highest: number | null;
  lowest: number | null;
  passRate: number | null;
}

/** Graded attempts only: those still waiting for a grade (passed null) are left out of the pass rate. */
export function scoreSummary(rows: readonly { score: number | null; maxScore: number; passed: boolean | null }[]): ScoreSummary {
  const scored = rows.filter((row): row is { score: number; maxScore: number; passed: boolean | null } => row.score !== null);
  const decided = rows.filter((row) => row.passed !== null);
  if (scored.length === 0) return { count: 0, average: null, highest: null, lowest: null, passRate: null };
  const scores = scored.map((row) => row.score);
  return {
    count: scored.length,
    average: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100,
    highest: Math.max(...scores),
    lowest: Math.min(...scores),
    passRate: decided.length ? Math.round((decided.filter((row) => row.passed).length / decided.length) * 1000) / 10 : null,
  };
}

export function percentOf(score: number, maxScore: number): number {
  return maxScore > 0 ? Math.round((score / maxScore) * 1000) / 10 : 0;
}

/**
 * Time left for a live taker, counted from the server's clock: `remainingMs` was true at
 * `serverTime`, and the page's clock has moved `elapsed` since the answer arrived.
 */
export function remainingNow(remainingMs: number, receivedAt: number, now: number): number {
  return Math.max(0, remainingMs - Math.max(0, now - receivedAt));
}

/** mm:ss, or h:mm:ss from an hour. */
export function formatClock(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
