import type { PROCTOR_EVENT_KINDS } from '@kpl/shared';
import type { Timers } from './answer-outbox';

export type ProctorEventKind = (typeof PROCTOR_EVENT_KINDS)[number];

export interface ProctorEvent {
  kind: ProctorEventKind;
  /** Server-clock epoch ms when known, else local. */
  at: number;
}

export interface ProctorBatcherOptions {
  send(events: ProctorEvent[], options: { keepalive: boolean }): Promise<void>;
  /** The time stamped on events (the exam's server clock). */
  now(): number;
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  /** Quiet period before a batch goes out. */
  delayMs?: number;
  /** At most this many events per request. */
  maxBatch?: number;
  /** Beyond this many unsent events (a long time offline) the oldest are dropped. */
  maxBuffered?: number;
}

/**
 * Collects proctoring events and sends them in batches: a burst (e.g. several copies) becomes
 * one request, failures keep the events for the next try, and `flush({ keepalive: true })` lets
 * the last batch survive the page closing. Proctoring never gets in the way of the exam itself.
 */
export class ProctorBatcher {
  private buffer: ProctorEvent[] = [];
  private timer: unknown = null;
  private sending = false;
  private stopped = false;

  constructor(private readonly options: ProctorBatcherOptions) {}

  get pending(): number {
    return this.buffer.length;
  }

  record(kind: ProctorEventKind): void {
    if (this.stopped) return;
    this.buffer.push({ kind, at: Math.round(this.options.now()) });
    const max = this.options.maxBuffered ?? 500;
    if (this.buffer.length > max) this.buffer.splice(0, this.buffer.length - max);
    this.schedule();
  }

  /** Sends what is buffered now; resolves false when a batch failed (the events stay buffered). */
  async flush(options: { keepalive?: boolean } = {}): Promise<boolean> {
    this.cancel();
    if (this.sending) return false;
    this.sending = true;
    try {
      while (this.buffer.length) {
        const batch = this.buffer.slice(0, this.options.maxBatch ?? 50);
        try {
          await this.options.send(batch, { keepalive: options.keepalive ?? false });
        } catch {
          this.schedule(4);
          return false;
        }
        // By identity: events were appended (or the oldest trimmed) while the batch was in flight.
        const sent = new Set(batch);
        this.buffer = this.buffer.filter((event) => !sent.has(event));
      }
      return true;
    } finally {
      this.sending = false;
    }
  }

  /** No more recording or retrying; a final `flush` may still send what is buffered. */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private schedule(factor = 1): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, (this.options.delayMs ?? 5_000) * factor);
  }

  private cancel(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
