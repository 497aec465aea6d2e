import { describe, expect, it } from 'vitest';
import { formatClock, percentOf, remainingNow, scoreHistogram, scoreSummary } from './exam-stats';

describe('exam statistics', () => {
  it('bins percentages, 100 in the top bin and out-of-range values clamped', () => {
    const bins = scoreHistogram([0, 9.9, 10, 55, 99.9, 100, 120, -3, Number.NaN]);
    expect(bins.map((b) => b.count)).toEqual([3, 1, 0, 0, 0, 1, 0, 0, 0, 3]);
    expect(bins[0]).toMatchObject({ from: 0, to: 10 });
    expect(bins[9]).toMatchObject({ from: 90, to: 100 });
    expect(scoreHistogram([50], 5).map((b) => b.count)).toEqual([0, 0, 1, 0, 0]);
  });

  it('summarises graded attempts and leaves pending ones out of the pass rate', () => {
    expect(scoreSummary([])).toEqual({ count: 0, average: null, highest: null, lowest: null, passRate: null });
    const summary = scoreSummary([
      { score: 80, maxScore: 100, passed: true },
      { score: 50, maxScore: 100, passed: false },
      { score: 70, maxScore: 100, passed: null },
      { score: null, maxScore: 100, passed: null },
    ]);
    expect(summary).toEqual({ count: 3, average: 66.67, highest: 80, lowest: 50, passRate: 50 });
  });

  it('counts the time left from the server clock and formats it', () => {
    expect(remainingNow(60_000, 1_000, 11_000)).toBe(50_000);
    expect(remainingNow(5_000, 1_000, 11_000)).toBe(0);
    expect(remainingNow(5_000, 1_000, 500)).toBe(5_000); // the page clock went back: never more than told
    expect(formatClock(65_000)).toBe('01:05');
    expect(formatClock(3_600_000 + 1)).toBe('1:00:01');
    expect(percentOf(15, 20)).toBe(75);
    expect(percentOf(1, 0)).toBe(0);
  });
});
