import type { AnswerValue } from '@kpl/shared';
import { isApiError } from '../../api/client';
import type { OutboxEntry, OutboxStore } from './outbox-store';

/** What the server answers to a save. */
export interface SaveReceipt {
  seq: number;
  savedAt: number | null;
  /** The server already had a higher seq for the question (a late or duplicate save). */
  stale: boolean;
}

/** A question's save state, as the page shows it. */
export type SaveState =
  | { status: 'saving' }
  | { status: 'saved'; savedAt: number | null }
  /** Kept on this device and retried (offline, server unreachable or busy). */
  | { status: 'queued'; error: unknown }
  /** Refused by the server for good (e.g. the answer does not fit the question), or the attempt closed. */
  | { status: 'failed'; error: unknown };

/** The attempt stopped taking answers: time is up or it was submitted (possibly on another device). */
export interface OutboxHalt {
  reason: 'time_up' | 'submitted';
  error: unknown;
}

export type DrainOutcome = 'empty' | 'deferred' | 'offline' | 'halted' | 'stopped';

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AnswerOutboxOptions {
  attemptId: string;
  store: OutboxStore;
  send(entry: OutboxEntry): Promise<SaveReceipt>;
  onState(questionId: string, state: SaveState): void;
  onHalt(halt: OutboxHalt): void;
  /** The local store refused a write: answers then live in memory only until sent. */
  onStorageError?(error: unknown): void;
  timers?: Timers;
  /** First retry delay after a failure, doubled per failure up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export const TIME_UP_CODE = 'ERR-EXAM-0006';
export const SUBMITTED_CODE = 'ERR-EXAM-0007';

/**
 * How a failed save is handled: `halt` stops all saving (the attempt is closed), `rejected` drops
 * that one change (it can never succeed), `transient` keeps it queued and retries. Anything we do
 * not recognise is transient: an answer is never dropped on a guess.
 */
export function classifySaveError(error: unknown): 'halt' | 'rejected' | 'transient' {
  if (!isApiError(error)) return 'transient';
  if (error.code === TIME_UP_CODE || error.code === SUBMITTED_CODE) return 'halt';
  const { status } = error;
  if (status === 0 || status >= 500 || status === 401 || status === 408 || status === 429) return 'transient';
  return status >= 400 && status < 500 ? 'rejected' : 'transient';
}

const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

interface Queued extends OutboxEntry {
  /** Not sent before this local time (typing is sent after a pause; it is stored at once). */
  notBefore: number;
}

/**
 * The "never lose an answer" engine. Every change gets the attempt's next seq, is written to the
 * durable outbox first, then sent. Sends go one at a time in seq order; a 2xx (stale or not)
 * settles the entry, a network or server failure keeps it queued and retries with backoff (and at
 * once on `retryNow`, e.g. the browser's `online` event), a 409 time-up/submitted halts everything.
 * Only the latest change per question is kept: the server keeps the highest seq anyway.
 */
export class AnswerOutbox {
  private readonly timers: Timers;
  private readonly queue = new Map<string, Queued>();
  private nextSeq = 1;
  /** Store writes run one after another, so a settle never overtakes the put it settles. */
  private writes: Promise<void> = Promise.resolve();
  private running = false;
  private active: Promise<DrainOutcome> = Promise.resolve('empty');
  private force = false;
  private failures = 0;
  private retryTimer: unknown = null;
  private deferTimer: unknown = null;
  private haltedBy: OutboxHalt | null = null;
  private stopped = false;

  constructor(private readonly options: AnswerOutboxOptions) {
    this.timers = options.timers ?? browserTimers;
  }

  get halted(): OutboxHalt | null {
    return this.haltedBy;
  }

  /** Changes not yet acknowledged by the server. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** The seq the next change will get. */
  get upcomingSeq(): number {
    return this.nextSeq;
  }

  /**
   * Takes over entries found in the store on load (those newer than the server's answers, see
   * `mergeResume`) and sets the seq counter above everything seen by the server or this device.
   */
  async load(entries: readonly OutboxEntry[], serverMaxSeq: number): Promise<void> {
    const storedSeq = await this.options.store.lastSeq(this.options.attemptId);
    const highest = Math.max(serverMaxSeq, storedSeq, ...entries.map((e) => e.seq));
    this.nextSeq = Math.max(this.nextSeq, highest + 1);
    for (const entry of entries) {
      const current = this.queue.get(entry.questionId);
      if (current && current.seq >= entry.seq) continue;
      this.queue.set(entry.questionId, { ...entry, notBefore: 0 });
      this.options.onState(entry.questionId, { status: 'saving' });
    }
    if (this.queue.size) void this.pump();
  }

  /**
   * Records a change: stored durably at once, sent in order. `deferMs` holds the send back (not the
   * write) while the learner is still typing; a later change to the same question replaces it.
   */
  change(questionId: string, answer: AnswerValue, flagged: boolean, deferMs = 0): Promise<void> {
    if (this.haltedBy || this.stopped) return Promise.resolve();
    const entry: Queued = {
      attemptId: this.options.attemptId,
      questionId,
      seq: this.nextSeq++,
      answer,
      flagged,
      changedAt: this.timers.now(),
      notBefore: deferMs > 0 ? this.timers.now() + deferMs : 0,
    };
    // A change sent at once means the learner moved on: earlier typing need not wait for its pause.
    if (entry.notBefore === 0) for (const queued of this.queue.values()) queued.notBefore = 0;
    this.queue.set(questionId, entry);
    this.options.onState(questionId, { status: 'saving' });
    const { notBefore: _notBefore, ...stored } = entry;
    const written = this.write(() => this.options.store.put(stored));
    void this.pump();
    return written;
  }

  /** Sends everything now, ignoring typing pauses (before submit). */
  async flush(): Promise<DrainOutcome> {
    for (;;) {
      const outcome = await this.pump(true);
      if (outcome !== 'deferred') return outcome;
    }
  }

  /** Tries again now, e.g. when the browser comes back online. */
  retryNow(): Promise<DrainOutcome> {
    this.clearRetry();
    return this.pump();
  }

  /** Stops sending and retrying (the page is leaving); stored entries stay for the next visit. */
  stop(): void {
    this.stopped = true;
    this.clearRetry();
    if (this.deferTimer !== null) this.timers.clearTimeout(this.deferTimer);
    this.deferTimer = null;
  }

  private pump(force = false): Promise<DrainOutcome> {
    if (force) this.force = true;
    if (this.running) return this.active;
    this.active = this.drain();
    return this.active;
  }

  private async drain(): Promise<DrainOutcome> {
    this.running = true;
    try {
      for (;;) {
        if (this.stopped) return 'stopped';
        if (this.haltedBy) return 'halted';
        await this.writes;
        const head = this.head();
        if (!head) return 'empty';
        const wait = head.notBefore - this.timers.now();
        if (wait > 0 && !this.force) {
          this.deferUntil(wait);
          return 'deferred';
        }
        const outcome = await this.sendOne(head);
        if (outcome) return outcome;
      }
    } finally {
      this.running = false;
      this.force = false;
    }
  }

  /** Sends one entry; returns an outcome when draining must stop. */
  private async sendOne(entry: Queued): Promise<DrainOutcome | null> {
    let receipt: SaveReceipt;
    try {
      receipt = await this.options.send(entry);
    } catch (error) {
      return this.onFailure(entry, error);
    }
    this.failures = 0;
    if (this.queue.get(entry.questionId)?.seq === entry.seq) {
      this.queue.delete(entry.questionId);
      this.options.onState(entry.questionId, { status: 'saved', savedAt: receipt.savedAt });
    }
    void this.write(() => this.options.store.settle(entry.attemptId, entry.questionId, entry.seq));
    return null;
  }

  private onFailure(entry: Queued, error: unknown): DrainOutcome | null {
    switch (classifySaveError(error)) {
      case 'halt': {
        const reason = isApiError(error) && error.code === SUBMITTED_CODE ? 'submitted' : 'time_up';
        this.haltedBy = { reason, error };
        for (const questionId of this.queue.keys()) this.options.onState(questionId, { status: 'failed', error });
        this.clearRetry();
        this.options.onHalt(this.haltedBy);
        return 'halted';
      }
      case 'rejected':
        if (this.queue.get(entry.questionId)?.seq === entry.seq) {
          this.queue.delete(entry.questionId);
          this.options.onState(entry.questionId, { status: 'failed', error });
        }
        void this.write(() => this.options.store.settle(entry.attemptId, entry.questionId, entry.seq));
        return null;
      case 'transient':
        this.failures++;
        for (const questionId of this.queue.keys()) this.options.onState(questionId, { status: 'queued', error });
        this.scheduleRetry();
        return 'offline';
    }
  }

  private head(): Queued | undefined {
    let head: Queued | undefined;
    for (const entry of this.queue.values()) if (!head || entry.seq < head.seq) head = entry;
    return head;
  }

  private write(work: () => Promise<void>): Promise<void> {
    const next = this.writes.then(work).catch((error: unknown) => this.options.onStorageError?.(error));
    this.writes = next;
    return next;
  }

  private scheduleRetry(): void {
    this.clearRetry();
    const base = this.options.retryBaseMs ?? 1_000;
    const max = this.options.retryMaxMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** Math.min(this.failures - 1, 16));
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.pump();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private deferUntil(ms: number): void {
    if (this.deferTimer !== null) this.timers.clearTimeout(this.deferTimer);
    this.deferTimer = this.timers.setTimeout(() => {
      this.deferTimer = null;
      void this.pump();
    }, ms);
  }
}
