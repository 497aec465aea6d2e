import { describe, expect, it, vi } from 'vitest';
import type { ProgressReport, ProgressResult } from '@/api/courses';
import { ReadingTracker } from './reading-tracker';

function setup(result: Partial<ProgressResult> = {}) {
  let now = 1_000_000;
  const reports: { report: ProgressReport; keepalive: boolean }[] = [];
  const send = vi.fn(async (report: ProgressReport, options: { keepalive: boolean }) => {
    reports.push({ report, keepalive: options.keepalive });
    return { tracked: true, materialCompleted: false, courseCompleted: false, secondsSpent: 0, ...result };
  });
  const tracker = new ReadingTracker({ send, now: () => now });
  return { tracker, reports, send, advance: (ms: number) => (now += ms) };
}

describe('ReadingTracker', () => {
  it('reports whole seconds since the last report and carries the fraction over', async () => {
    const { tracker, reports, advance } = setup();
    tracker.resume();
    advance(30_400);
    await tracker.flush();
    advance(29_700);
    await tracker.flush();
    expect(reports.map((r) => r.report.secondsSpent)).toEqual([30, 30]);
  });

  it('does not count hidden time and caps one report at 300 seconds', async () => {
    const { tracker, reports, advance } = setup();
    tracker.resume();
    advance(5_000);
    tracker.pause(true);
    advance(60_000); // hidden
    tracker.resume();
    advance(400_000);
    await tracker.flush();
    expect(reports).toEqual([
      { report: { secondsSpent: 5, reachedEnd: false }, keepalive: true },
      { report: { secondsSpent: 300, reachedEnd: false }, keepalive: false },
    ]);
  });

  it('sends the end at once and keeps it set in later reports', async () => {
    const { tracker, reports, advance } = setup();
    tracker.resume();
    advance(2_000);
    tracker.reachEnd();
    tracker.reachEnd(); // once only
    advance(30_000);
    await tracker.flush();
    expect(reports.map((r) => r.report)).toEqual([
      { secondsSpent: 2, reachedEnd: true },
      { secondsSpent: 30, reachedEnd: true },
    ]);
  });

  it('skips empty reports unless forced', async () => {
    const { tracker, send } = setup();
    tracker.resume();
    expect(await tracker.flush()).toBeNull();
    expect(await tracker.flush({ force: true })).toMatchObject({ tracked: true });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('stops when the reader is not enrolled', async () => {
    const { tracker, send, advance } = setup({ tracked: false });
    tracker.resume();
    await tracker.flush({ force: true });
    expect(tracker.active).toBe(false);
    advance(60_000);
    tracker.reachEnd();
    await tracker.flush({ force: true });
    expect(send).toHaveBeenCalledTimes(1);
  });
});
