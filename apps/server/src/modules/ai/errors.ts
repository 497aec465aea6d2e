import { ErrorCodes } from '@kpl/shared';
import { AppError, isAppError } from '../../platform/errors.js';

/**
 * Why one backend call failed, as the resilience layer needs to know it:
 * - http: the server answered non-2xx before streaming (status, vendor code, Retry-After);
 * - network: refused, reset, DNS… (before or after the first byte);
 * - timeout: connect (response headers), first-byte or total deadline;
 * - protocol: a body we cannot read (malformed SSE/JSON, stream ended without its terminator);
 * - upstream: the vendor reported an error inside a 2xx answer (in-stream error event, business code);
 * - busy: our own concurrency limit and queue are full; circuit-open: the breaker refused the call;
 * - aborted: the caller went away (never a backend failure).
 */
export type AiFailureKind = 'http' | 'network' | 'timeout' | 'protocol' | 'upstream' | 'busy' | 'circuit-open' | 'aborted';

export interface AiFailureInfo {
  status?: number;
  vendorCode?: string;
  retryAfterMs?: number;
  phase?: 'connect' | 'first-byte' | 'total';
  /** Set when the failure came after the response started streaming (never retried). */
  afterFirstByte?: boolean;
}

export class AiCallError extends Error {
  constructor(
    readonly kind: AiFailureKind,
    message: string,
    readonly info: AiFailureInfo = {},
  ) {
    super(message);
    this.name = 'AiCallError';
  }

  /** Worth another attempt (only ever made before the first byte): 429, 5xx and network errors. */
  get retriable(): boolean {
    if (this.info.afterFirstByte) return false;
    if (this.kind === 'network') return true;
    if (this.kind === 'http' || this.kind === 'upstream') {
      const s = this.info.status ?? 0;
      return s === 429 || s >= 500;
    }
    return false;
  }

  /** Counts towards opening the circuit: the backend misbehaved (not the caller, not our request's content). */
  get countsAgainstBackend(): boolean {
    if (this.kind === 'aborted' || this.kind === 'busy' || this.kind === 'circuit-open') return false;
    const s = this.info.status;
    if ((this.kind === 'http' || this.kind === 'upstream') && s !== undefined && s >= 400 && s < 500) {
      return s === 401 || s === 403 || s === 404 || s === 408 || s === 429;
    }
    return true;
  }
}

export const isAiCallError = (e: unknown): e is AiCallError => e instanceof AiCallError;

/** The stable API error for a failed call; details name the cause without leaking vendor bodies at length. */
export function toAppError(err: unknown, backendName?: string): AppError {
  if (isAppError(err)) return err;
  if (!isAiCallError(err)) return new AppError(ErrorCodes.AI_UPSTREAM_ERROR, undefined, { backend: backendName });
  const details = {
    backend: backendName,
    kind: err.kind,
    ...(err.info.status !== undefined ? { upstreamStatus: err.info.status } : {}),
    ...(err.info.vendorCode ? { upstreamCode: err.info.vendorCode } : {}),
    ...(err.info.phase ? { phase: err.info.phase } : {}),
    reason: err.message.slice(0, 300),
  };
  switch (err.kind) {
    case 'timeout':
      return new AppError(ErrorCodes.AI_TIMEOUT, undefined, details);
    case 'circuit-open':
      return new AppError(ErrorCodes.AI_CIRCUIT_OPEN, undefined, details);
    case 'busy':
      return new AppError(ErrorCodes.AI_BUSY, undefined, details);
    default:
      // Upstream rate limiting that outlived our retries is "busy" for the caller too.
      if (err.info.status === 429) return new AppError(ErrorCodes.AI_BUSY, undefined, details);
      return new AppError(ErrorCodes.AI_UPSTREAM_ERROR, undefined, details);
  }
}

/** Retry-After as milliseconds: OpenAI's `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers, nowMs = Date.now()): number | undefined {
  const precise = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(precise) && precise >= 0) return precise;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
