import type { AiCircuitState } from '@kpl/shared';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { Usage } from './capabilities.js';
import type { CallScope } from './clients/http.js';
import type { GenEvent } from './clients/types.js';
import { AiCallError, isAiCallError, toAppError } from './errors.js';

/** Per-backend limits; admins override the first five per backend, the rest through options. */
export interface Limits {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  totalTimeoutMs: number;
  maxConcurrency: number;
  maxQueue: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  connectTimeoutMs: 5_000,
  firstByteTimeoutMs: 10_000,
  totalTimeoutMs: 120_000,
  maxConcurrency: 8,
  maxQueue: 16,
  maxRetries: 2,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  retryBaseMs: 250,
  retryMaxMs: 8_000,
};

/** One finished call, for metrics and usage accounting. */
export interface CallRecord {
  backendId: string;
  capability: string;
  outcome: 'ok' | 'error' | 'cancelled';
  /** ERR-AI-… when outcome is 'error'. */
  errorCode?: string;
  latencyMs: number;
  /** Streamed calls: time to the first byte of the answer. */
  firstByteMs?: number;
  usage?: Usage;
}

export type CallRecorder = (record: CallRecord) => void;

/**
 * The deadline of one call (queueing, every attempt and the whole stream) and the caller's
 * cancellation, as one signal whose reason says which of the two happened.
 */
class CallDeadline {
  private readonly ctrl = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly started = performance.now();
  private readonly onCallerAbort = () => this.ctrl.abort(new AiCallError('aborted', 'the caller cancelled the call'));
  readonly scope: CallScope;

  constructor(
    limits: Limits,
    private readonly caller?: AbortSignal,
    private readonly totalMs = limits.totalTimeoutMs,
  ) {
    this.timer = setTimeout(() => this.ctrl.abort(new AiCallError('timeout', `no complete answer within ${totalMs} ms`, { phase: 'total' })), totalMs);
    if (caller?.aborted) this.onCallerAbort();
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.scope = { signal: this.ctrl.signal, connectTimeoutMs: limits.connectTimeoutMs, firstByteTimeoutMs: limits.firstByteTimeoutMs };
  }

  get signal(): AbortSignal {
    return this.ctrl.signal;
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  remainingMs(): number {
    return this.totalMs - this.elapsedMs();
  }

  /** Whatever the call left running (a socket, a queued slot) is cancelled. */
  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
    this.ctrl.abort(new AiCallError('aborted', 'the call is over'));
  }

  /** Any failure as an AiCallError; the deadline's own reason wins once it fired. */
  normalise(err: unknown): AiCallError {
    if (isAiCallError(err)) return err;
    if (this.signal.aborted && isAiCallError(this.signal.reason)) return this.signal.reason;
    if (err instanceof BulkheadRejectedError) return new AiCallError('busy', 'too many concurrent calls to this backend');
    if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) return new AiCallError('circuit-open', 'the circuit is open after repeated failures');
    return new AiCallError('protocol', err instanceof Error ? err.message : String(err));
  }
}

/** An unbounded queue from the producing attempt to the reading caller; `close(err)` ends it with an error. */
class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private done: { error?: AiCallError } | null = null;
  private wake: (() => void) | null = null;

  push(item: T): void {
    if (this.done) return;
    this.items.push(item);
    this.wake?.();
  }

  close(error?: AiCallError): void {
    if (this.done) return;
    this.done = error ? { error } : {};
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.done) {
        if (this.done.error) throw this.done.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

/** Rejects as soon as the signal aborts, even if `p` (e.g. cockatiel's retry delay) would take longer. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Exponential backoff with full jitter, replaced by the server's Retry-After when it sent one; never past the deadline. */
class UpstreamBackoff implements IBackoff<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly limits: Limits,
    private readonly remainingMs: () => number,
    private readonly attempt = 0,
    readonly duration = 0,
  ) {}

  next(ctx: IRetryBackoffContext<unknown>): UpstreamBackoff {
    const err = 'error' in ctx.result ? ctx.result.error : undefined;
    const hinted = isAiCallError(err) ? err.info.retryAfterMs : undefined;
    const jittered = Math.random() * Math.min(this.limits.retryMaxMs, this.limits.retryBaseMs * 2 ** this.attempt);
    const wait = Math.min(hinted ?? jittered, Math.max(0, this.remainingMs()));
    return new UpstreamBackoff(this.limits, this.remainingMs, this.attempt + 1, wait);
  }
}

/**
 * The resilience wrapper every call to one backend goes through: a concurrency limit with a small
 * queue (full → busy), a circuit breaker (consecutive failures open it; after the cool-down one
 * call probes), retries with backoff only before the first byte and only for 429/5xx/network
 * errors, and connect / first-byte / total deadlines. Each finished call is reported once.
 */
export class BackendRuntime {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private openedAt = 0;

  constructor(
    readonly backendId: string,
    readonly limits: Limits,
    private readonly record: CallRecorder,
  ) {
    this.breaker = circuitBreaker(
      handleWhen((e) => isAiCallError(e) && e.countsAgainstBackend),
      { halfOpenAfter: limits.breakerCooldownMs, breaker: new ConsecutiveBreaker(limits.breakerThreshold) },
    );
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
    this.bulkhead = bulkhead(limits.maxConcurrency, limits.maxQueue);
  }

  /** Open until the cool-down is over, then half-open: the next call probes the backend. */
  get circuit(): AiCircuitState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return Date.now() - this.openedAt >= this.limits.breakerCooldownMs ? 'half-open' : 'open';
    }
  }

  /**
   * A streamed answer. Each attempt runs inside the breaker for the whole stream (a failure after
   * the first byte counts against the backend too), but only attempts that failed before the first
   * byte are retried. Events reach the caller as they arrive.
   */
  async *stream(capability: string, open: (scope: CallScope) => Promise<AsyncIterable<GenEvent>>, signal?: AbortSignal): AsyncGenerator<GenEvent> {
    const call = new CallDeadline(this.limits, signal);
    const channel = new Channel<GenEvent>();
    let release: (() => void) | undefined;
    let firstByteMs: number | undefined;
    let usage: Usage | undefined;
    let failure: AiCallError | undefined;
    let completed = false;
    try {
      release = await this.acquire(call.signal);
      // Wake the reader at once when the deadline fires or the caller leaves, even mid-backoff.
      call.signal.addEventListener('abort', () => channel.close(call.normalise(call.signal.reason)), { once: true });
      const pump = async () => {
        const events = await open(call.scope);
        firstByteMs ??= call.elapsedMs();
        for await (const e of events) channel.push(e);
      };
      this.attempts(call, pump, true, () => firstByteMs === undefined).then(
        () => channel.close(),
        (err: unknown) => channel.close(call.normalise(err)),
      );
      for await (const e of channel) {
        if (e.type === 'usage') usage = e.usage;
        yield e;
      }
      completed = true;
    } catch (err) {
      failure = call.normalise(err);
      throw failure;
    } finally {
      release?.();
      // A consumer that stopped reading early (the browser went away) cancelled the call.
      this.finish(capability, call, completed ? undefined : (failure ?? new AiCallError('aborted', 'the consumer stopped reading')), usage, firstByteMs);
    }
  }

  /**
   * A blocking call (structured answers, embeddings, connection tests). `breaker: false` lets a
   * connection test through an open circuit; `deadlineMs` shortens the total deadline.
   */
  async call<T extends { usage?: Usage }>(
    capability: string,
    fn: (scope: CallScope) => Promise<T>,
    signal?: AbortSignal,
    opts: { breaker?: boolean; deadlineMs?: number } = {},
  ): Promise<T> {
    const call = new CallDeadline(this.limits, signal, Math.min(this.limits.totalTimeoutMs, opts.deadlineMs ?? Infinity));
    let release: (() => void) | undefined;
    let failure: AiCallError | undefined;
    let usage: Usage | undefined;
    try {
      release = await this.acquire(call.signal);
      const result = await raceAbort(this.attempts(call, () => fn(call.scope), opts.breaker ?? true), call.signal);
      usage = result.usage;
      return result;
    } catch (err) {
      failure = call.normalise(err);
      throw failure;
    } finally {
      release?.();
      this.finish(capability, call, failure, usage);
    }
  }

  private finish(capability: string, call: CallDeadline, failure: AiCallError | undefined, usage?: Usage, firstByteMs?: number): void {
    const latencyMs = call.elapsedMs();
    call.dispose();
    const outcome = !failure ? 'ok' : failure.kind === 'aborted' ? 'cancelled' : 'error';
    this.record({
      backendId: this.backendId,
      capability,
      outcome,
      errorCode: outcome === 'error' ? toAppError(failure).code : undefined,
      latencyMs,
      firstByteMs,
      usage,
    });
  }

  /** A slot for the whole call, released by the returned function. Waiting in the queue counts towards the deadline. */
  private acquire(signal: AbortSignal): Promise<() => void> {
    const slot = new Promise<() => void>((resolve, reject) => {
      this.bulkhead
        .execute(
          () =>
            new Promise<void>((done) => {
              // Dequeued after the caller gave up: hand the slot straight back.
              if (signal.aborted) done();
              else resolve(done);
            }),
          signal,
        )
        .catch(reject);
    });
    return raceAbort(slot, signal);
  }

  /** Retries (before the first byte only) around the breaker around one attempt. */
  private attempts<R>(call: CallDeadline, fn: () => Promise<R>, useBreaker: boolean, beforeFirstByte: () => boolean = () => true): Promise<R> {
    const worthRetrying = (e: Error) => beforeFirstByte() && isAiCallError(e) && e.retriable && (e.info.retryAfterMs ?? 0) < call.remainingMs();
    const policy = retry(handleWhen(worthRetrying), { maxAttempts: this.limits.maxRetries, backoff: new UpstreamBackoff(this.limits, () => call.remainingMs()) });
    return policy.execute(() => (useBreaker ? this.guarded(fn) : fn()), call.signal);
  }

  /**
   * Through the breaker. While a half-open probe is in flight other calls are refused at once
   * (cockatiel would make them wait for the probe, which for a stream can take a while).
   */
  private guarded<R>(fn: () => Promise<R>): Promise<R> {
    if (this.breaker.state === CircuitState.HalfOpen) return Promise.reject(new AiCallError('circuit-open', 'the circuit is half-open and a probe call is in flight'));
    return this.breaker.execute(fn);
  }
}
