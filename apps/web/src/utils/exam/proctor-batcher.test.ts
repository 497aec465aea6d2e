import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProctorBatcher, type ProctorEvent } from './proctor-batcher';

const timers = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function setup(fail = { value: false }) {
  const batches: { events: ProctorEvent[]; keepalive: boolean }[] = [];
  const send = vi.fn(async (events: ProctorEvent[], options: { keepalive: boolean }) => {
    if (fail.value) throw new Error('offline');
    batches.push({ events, keepalive: options.keepalive });
  });
  let now = 5_000;
  const batcher = new ProctorBatcher({ send, now: () => now++, timers, delayMs: 1_000, maxBatch: 3, maxBuffered: 5 });
  return { batcher, batches, send, fail };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ProctorBatcher', () => {
  it('sends a burst as one batch after a quiet second, with the clock time of each event', async () => {
    const { batcher, batches } = setup();
    batcher.record('tab_hidden');
    batcher.record('paste');
    await vi.advanceTimersByTimeAsync(999);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([{ events: [{ kind: 'tab_hidden', at: 5_000 }, { kind: 'paste', at: 5_001 }], keepalive: false }]);
    expect(batcher.pending).toBe(0);
  });

  it('splits large batches, keeps events when sending fails and tries again later', async () => {
    const { batcher, batches, fail } = setup();
    fail.value = true;
    for (const kind of ['copy', 'copy', 'paste', 'blur'] as const) batcher.record(kind);
    expect(await batcher.flush()).toBe(false);
    expect(batcher.pending).toBe(4);

    fail.value = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(batches.map((b) => b.events.map((e) => e.kind))).toEqual([['copy', 'copy', 'paste'], ['blur']]);
    expect(batcher.pending).toBe(0);
  });

  it('keeps only the newest events after a long time offline, and flushes with keepalive on leave', async () => {
    const { batcher, batches, fail } = setup();
    fail.value = true;
    for (let i = 0; i < 8; i++) batcher.record(i % 2 ? 'blur' : 'tab_hidden');
    expect(batcher.pending).toBe(5);
    fail.value = false;
    expect(await batcher.flush({ keepalive: true })).toBe(true);
    expect(batches.flatMap((b) => b.events.map((e) => e.at))).toEqual([5_003, 5_004, 5_005, 5_006, 5_007]);
    expect(batches.every((b) => b.keepalive)).toBe(true);
  });
});
