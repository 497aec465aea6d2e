import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { AnswerOutbox, classifySaveError, type OutboxHalt, type SaveReceipt, type SaveState } from './answer-outbox';
import { MemoryOutboxStore, type OutboxEntry } from './outbox-store';
import { mergeResume } from './resume-merge';

const ATTEMPT = 'attempt-1';
const offline = () => new ApiError({ code: 'NETWORK', message: 'Network request failed.', status: 0 });
const apiError = (status: number, code: string) => new ApiError({ code, message: code, status });

const timers = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A fake server with the real rules that matter here: it keeps the highest seq per question and
 * answers `stale` to older ones; it can be taken offline, closed, or made to refuse.
 */
function fakeServer() {
  const saved = new Map<string, { seq: number; answer: unknown; flagged: boolean }>();
  const received: OutboxEntry[] = [];
  const state = { offline: false, closed: null as ApiError | null, refuse: new Set<string>(), delayMs: 0 };
  const send = vi.fn(async (entry: OutboxEntry): Promise<SaveReceipt> => {
    if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    if (state.offline) throw offline();
    if (state.closed) throw state.closed;
    if (state.refuse.has(entry.questionId)) throw apiError(400, 'ERR-EXAM-0009');
    received.push(entry);
    const current = saved.get(entry.questionId);
    const stale = current !== undefined && current.seq >= entry.seq;
    if (!stale) saved.set(entry.questionId, { seq: entry.seq, answer: entry.answer, flagged: entry.flagged });
    return { seq: entry.seq, savedAt: Date.now(), stale };
  });
  return { saved, received, state, send };
}

function setup(store = new MemoryOutboxStore()) {
  const server = fakeServer();
  const states = new Map<string, SaveState>();
  const halts: OutboxHalt[] = [];
  const outbox = new AnswerOutbox({
    attemptId: ATTEMPT,
    store,
    send: server.send,
    onState: (questionId, state) => states.set(questionId, state),
    onHalt: (halt) => halts.push(halt),
    timers,
    retryBaseMs: 1_000,
    retryMaxMs: 8_000,
  });
  return { outbox, server, store, states, halts };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AnswerOutbox', () => {
  it('stores each change before sending it, numbers changes in order and settles them on 2xx', async () => {
    const { outbox, server, store, states } = setup();
    const put = vi.spyOn(store, 'put');
    await outbox.load([], 0);

    await outbox.change('q1', 'A', false);
    expect(put).toHaveBeenCalledWith(expect.objectContaining({ questionId: 'q1', seq: 1, answer: 'A' }));
    await outbox.change('q2', ['A', 'C'], true);
    await outbox.flush();

    expect(server.received.map((e) => [e.questionId, e.seq])).toEqual([['q1', 1], ['q2', 2]]);
    expect(put.mock.invocationCallOrder[0]!).toBeLessThan(server.send.mock.invocationCallOrder[0]!);
    expect(server.saved.get('q2')).toEqual({ seq: 2, answer: ['A', 'C'], flagged: true });
    expect(states.get('q1')).toMatchObject({ status: 'saved' });
    expect(await store.list(ATTEMPT)).toEqual([]);
    expect(outbox.pendingCount).toBe(0);
  });

  it('keeps answers made offline, replays them in seq order when back online, and loses none', async () => {
    const { outbox, server, store, states } = setup();
    await outbox.load([], 0);
    server.state.offline = true;

    await outbox.change('q1', 'B', false);
    await outbox.change('q2', true, false);
    await outbox.change('q3', ['x', 'y'], false);
    await outbox.change('q1', 'C', true); // changed again: only the latest is kept
    await vi.advanceTimersByTimeAsync(0);

    expect(states.get('q2')).toMatchObject({ status: 'queued' });
    expect((await store.list(ATTEMPT)).map((e) => [e.questionId, e.seq])).toEqual([['q2', 2], ['q3', 3], ['q1', 4]]);
    expect(server.saved.size).toBe(0);

    server.state.offline = false;
    await outbox.retryNow();

    expect(server.received.map((e) => [e.questionId, e.seq])).toEqual([['q2', 2], ['q3', 3], ['q1', 4]]);
    expect(server.saved.get('q1')).toMatchObject({ answer: 'C', flagged: true });
    expect([...states.values()].every((s) => s.status === 'saved')).toBe(true);
    expect(await store.list(ATTEMPT)).toEqual([]);
  });

  it('retries by itself with growing delays while the server is unreachable', async () => {
    const { outbox, server } = setup();
    await outbox.load([], 0);
    server.state.offline = true;
    await outbox.change('q1', 'A', false);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.send).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(999);
    expect(server.send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // 1 s
    expect(server.send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000); // 2 s
    expect(server.send).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(4_000 + 8_000 + 8_000); // 4 s, then capped at 8 s
    expect(server.send).toHaveBeenCalledTimes(6);

    server.state.offline = false;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(server.saved.get('q1')).toMatchObject({ answer: 'A' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.send).toHaveBeenCalledTimes(7); // nothing left: no more retries
  });

  it('a change made while an older one is in flight is sent after it, and the older ack does not settle it', async () => {
    const { outbox, server, store, states } = setup();
    await outbox.load([], 0);
    server.state.delayMs = 100;
    await outbox.change('q1', 'short', false);
    await vi.advanceTimersByTimeAsync(50); // seq 1 in flight
    await outbox.change('q1', 'longer answer', false);
    await vi.advanceTimersByTimeAsync(60); // seq 1 acknowledged
    expect(states.get('q1')).toMatchObject({ status: 'saving' });
    expect(await store.list(ATTEMPT)).toMatchObject([{ seq: 2, answer: 'longer answer' }]);

    await vi.advanceTimersByTimeAsync(200);
    expect(server.saved.get('q1')).toMatchObject({ seq: 2, answer: 'longer answer' });
    expect(states.get('q1')).toMatchObject({ status: 'saved' });
    expect(await store.list(ATTEMPT)).toEqual([]);
  });

  it('holds typing back until a pause, but stores it at once; flush sends it without waiting', async () => {
    const { outbox, server, store } = setup();
    await outbox.load([], 0);
    await outbox.change('q5', 'Par', false, 800);
    await outbox.change('q5', 'Paris', false, 800);
    expect(await store.list(ATTEMPT)).toMatchObject([{ answer: 'Paris' }]);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(server.received.map((e) => e.answer)).toEqual(['Paris']);

    await outbox.change('q5', 'Paris, France', false, 800);
    expect(await outbox.flush()).toBe('empty');
    expect(server.saved.get('q5')).toMatchObject({ answer: 'Paris, France' });
  });

  it('a stale acknowledgement (the server already has a newer seq) also settles the entry', async () => {
    const store = new MemoryOutboxStore();
    const { outbox, server, states } = setup(store);
    server.saved.set('q1', { seq: 10, answer: 'D', flagged: false });
    const old: OutboxEntry = { attemptId: ATTEMPT, questionId: 'q1', seq: 4, answer: 'B', flagged: false, changedAt: 0 };
    await store.put(old);
    await outbox.load([old], 0);
    await outbox.flush();

    expect(server.saved.get('q1')).toMatchObject({ seq: 10, answer: 'D' });
    expect(states.get('q1')).toMatchObject({ status: 'saved' });
    expect(await store.list(ATTEMPT)).toEqual([]);
  });

  it('stops at a 409 time-up: nothing more is sent, the change stays on the device, later changes are ignored', async () => {
    const { outbox, server, store, states, halts } = setup();
    await outbox.load([], 0);
    server.state.closed = apiError(409, 'ERR-EXAM-0006');
    await outbox.change('q1', 'A', false);
    await outbox.change('q2', 'B', false);
    expect(await outbox.flush()).toBe('halted');

    expect(halts).toHaveLength(1);
    expect(halts[0]).toMatchObject({ reason: 'time_up' });
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(states.get('q2')).toMatchObject({ status: 'failed' });
    await outbox.change('q3', 'C', false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.send).toHaveBeenCalledTimes(1);
    expect((await store.list(ATTEMPT)).map((e) => e.questionId)).toEqual(['q1', 'q2']);
  });

  it('names a 409 after submit as submitted', async () => {
    const { outbox, server, halts } = setup();
    await outbox.load([], 0);
    server.state.closed = apiError(409, 'ERR-EXAM-0007');
    await outbox.change('q1', 'A', false);
    await outbox.flush();
    expect(halts[0]).toMatchObject({ reason: 'submitted' });
  });

  it('drops a change the server refuses for good, and goes on with the rest', async () => {
    const { outbox, server, store, states } = setup();
    await outbox.load([], 0);
    server.state.refuse.add('q1');
    await outbox.change('q1', 'Z', false);
    await outbox.change('q2', 'A', false);
    expect(await outbox.flush()).toBe('empty');

    expect(states.get('q1')).toMatchObject({ status: 'failed', error: expect.objectContaining({ code: 'ERR-EXAM-0009' }) });
    expect(server.saved.get('q2')).toMatchObject({ answer: 'A' });
    expect(await store.list(ATTEMPT)).toEqual([]);
  });

  it('continues the seq above what the server and this device have seen', async () => {
    const store = new MemoryOutboxStore();
    await store.put({ attemptId: ATTEMPT, questionId: 'q9', seq: 41, answer: 'A', flagged: false, changedAt: 0 });
    await store.settle(ATTEMPT, 'q9', 41);
    const { outbox, server } = setup(store);
    await outbox.load([], 17);
    await outbox.change('q1', 'A', false);
    await outbox.flush();
    expect(server.received[0]).toMatchObject({ seq: 42 });

    const other = setup(new MemoryOutboxStore());
    await other.outbox.load([], 17);
    expect(other.outbox.upcomingSeq).toBe(18);
  });

  it('survives a reload: a change queued offline is restored from the store, merged over the server copy, and sent', async () => {
    const store = new MemoryOutboxStore();
    const first = setup(store);
    await first.outbox.load([], 0);
    await first.outbox.change('q1', 'A', false);
    await first.outbox.flush();
    first.server.state.offline = true;
    await first.outbox.change('q1', 'B', true); // never acknowledged
    await first.outbox.change('q2', ['x'], false);
    await vi.advanceTimersByTimeAsync(0);
    first.outbox.stop(); // the page reloads

    // The server still has q1 = A (seq 1); the device has q1 = B (seq 2) and q2 (seq 3).
    const serverAnswers = [...first.server.saved].map(([questionId, s]) => ({ questionId, answer: s.answer as string, seq: s.seq, flagged: s.flagged }));
    const merged = mergeResume(serverAnswers, await store.list(ATTEMPT), new Set(['q1', 'q2', 'q3']));
    expect(merged.answers.get('q1')).toMatchObject({ answer: 'B', flagged: true, source: 'local' });
    expect(merged.answers.get('q2')).toMatchObject({ answer: ['x'], source: 'local' });

    const second = setup(store);
    second.server.saved.set('q1', { seq: 1, answer: 'A', flagged: false });
    await second.outbox.load(merged.replay, merged.maxSeq);
    await second.outbox.flush();
    expect(second.server.saved.get('q1')).toMatchObject({ seq: 2, answer: 'B', flagged: true });
    expect(second.server.saved.get('q2')).toMatchObject({ seq: 3, answer: ['x'] });
    await second.outbox.change('q3', true, false);
    await second.outbox.flush();
    expect(second.server.saved.get('q3')).toMatchObject({ seq: 4 });
    expect(await store.list(ATTEMPT)).toEqual([]);
  });

  it('keeps working in memory when the store fails, and reports it', async () => {
    const store = new MemoryOutboxStore();
    vi.spyOn(store, 'put').mockRejectedValue(new Error('QuotaExceededError'));
    const onStorageError = vi.fn();
    const server = fakeServer();
    const outbox = new AnswerOutbox({ attemptId: ATTEMPT, store, send: server.send, onState: () => undefined, onHalt: () => undefined, onStorageError, timers });
    await outbox.load([], 0);
    await outbox.change('q1', 'A', false);
    await outbox.flush();
    expect(onStorageError).toHaveBeenCalledTimes(1);
    expect(server.saved.get('q1')).toMatchObject({ answer: 'A' });
  });
});

describe('classifySaveError', () => {
  it('halts on time-up and submitted, retries on network, 5xx, 429 and 401, drops other 4xx', () => {
    expect(classifySaveError(apiError(409, 'ERR-EXAM-0006'))).toBe('halt');
    expect(classifySaveError(apiError(409, 'ERR-EXAM-0007'))).toBe('halt');
    expect(classifySaveError(offline())).toBe('transient');
    expect(classifySaveError(apiError(503, 'ERR-COMMON-0008'))).toBe('transient');
    expect(classifySaveError(apiError(429, 'ERR-COMMON-0006'))).toBe('transient');
    expect(classifySaveError(apiError(401, 'ERR-AUTH-0005'))).toBe('transient');
    expect(classifySaveError(new TypeError('boom'))).toBe('transient');
    expect(classifySaveError(apiError(400, 'ERR-EXAM-0009'))).toBe('rejected');
    expect(classifySaveError(apiError(404, 'ERR-EXAM-0003'))).toBe('rejected');
  });
});

describe('mergeResume', () => {
  const entry = (questionId: string, seq: number, answer: OutboxEntry['answer']): OutboxEntry => ({ attemptId: ATTEMPT, questionId, seq, answer, flagged: false, changedAt: 0 });

  it('keeps the higher seq per question, drops what the server already has or no question owns', () => {
    const merged = mergeResume(
      [
        { questionId: 'q1', answer: 'A', seq: 5, flagged: true },
        { questionId: 'q2', answer: true, seq: 9, flagged: false },
      ],
      [entry('q1', 7, 'C'), entry('q2', 8, false), entry('q3', 2, ['a', 'b']), entry('gone', 12, 'x')],
      new Set(['q1', 'q2', 'q3']),
    );
    expect(Object.fromEntries([...merged.answers].map(([q, a]) => [q, [a.answer, a.source]]))).toEqual({
      q1: ['C', 'local'],
      q2: [true, 'server'],
      q3: [['a', 'b'], 'local'],
    });
    expect(merged.replay.map((e) => e.questionId)).toEqual(['q3', 'q1']);
    expect(merged.obsolete.map((e) => e.questionId)).toEqual(['q2', 'gone']);
    expect(merged.maxSeq).toBe(12);
  });

  it('an equal seq is the same save: the server copy stands and the entry is obsolete', () => {
    const merged = mergeResume([{ questionId: 'q1', answer: 'A', seq: 3, flagged: false }], [entry('q1', 3, 'A')], new Set(['q1']));
    expect(merged.replay).toEqual([]);
    expect(merged.obsolete).toHaveLength(1);
  });
});
