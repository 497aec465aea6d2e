import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TimerScheduler } from './scheduler.js';

describe('timer scheduler', () => {
  it('runs tasks on their interval, never overlapping a slow run, and waits for it on stop', async () => {
    const s = new TimerScheduler(pino({ level: 'silent' }));
    let running = 0;
    let maxConcurrent = 0;
    let runs = 0;
    let finished = 0;
    s.every('slow', 10, async () => {
      running++;
      runs++;
      maxConcurrent = Math.max(maxConcurrent, running);
      await new Promise((r) => setTimeout(r, 35));
      running--;
      finished++;
    });
    await s.start();
    await new Promise((r) => setTimeout(r, 120));
    await s.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxConcurrent).toBe(1);
    expect(finished).toBe(runs);
  });
});
