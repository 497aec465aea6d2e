import { AI_CAPABILITIES } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from './capabilities.js';
import { AiCallError, retryAfterMs, toAppError } from './errors.js';
import { percentile } from './usage.repository.js';

describe('AI call errors', () => {
  it('reads Retry-After as ms, seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T08:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 08:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 07:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('retries only 429, 5xx and network errors, and only before the first byte', () => {
    expect(new AiCallError('http', 'x', { status: 429 }).retriable).toBe(true);
    expect(new AiCallError('http', 'x', { status: 503 }).retriable).toBe(true);
    expect(new AiCallError('network', 'x').retriable).toBe(true);
    expect(new AiCallError('http', 'x', { status: 401 }).retriable).toBe(false);
    expect(new AiCallError('timeout', 'x', { phase: 'first-byte' }).retriable).toBe(false);
    expect(new AiCallError('network', 'x', { afterFirstByte: true }).retriable).toBe(false);
    expect(new AiCallError('protocol', 'x').retriable).toBe(false);
  });

  it('counts backend failures against the circuit, not cancellations or bad requests', () => {
    expect(new AiCallError('aborted', 'x').countsAgainstBackend).toBe(false);
    expect(new AiCallError('http', 'x', { status: 400 }).countsAgainstBackend).toBe(false);
    expect(new AiCallError('http', 'x', { status: 401 }).countsAgainstBackend).toBe(true);
    expect(new AiCallError('http', 'x', { status: 500 }).countsAgainstBackend).toBe(true);
    expect(new AiCallError('protocol', 'x').countsAgainstBackend).toBe(true);
  });

  it('maps to the API error codes', () => {
    expect(toAppError(new AiCallError('timeout', 'x', { phase: 'total' })).code).toBe('ERR-AI-0003');
    expect(toAppError(new AiCallError('circuit-open', 'x')).code).toBe('ERR-AI-0004');
    expect(toAppError(new AiCallError('busy', 'x')).code).toBe('ERR-AI-0005');
    expect(toAppError(new AiCallError('http', 'x', { status: 429 })).code).toBe('ERR-AI-0005');
    expect(toAppError(new AiCallError('http', 'x', { status: 500, vendorCode: 'server_error' }))).toMatchObject({ code: 'ERR-AI-0002', details: { upstreamStatus: 500, upstreamCode: 'server_error' } });
    expect(toAppError(new Error('boom')).code).toBe('ERR-AI-0002');
  });
});

describe('usage latency percentiles', () => {
  it('interpolates inside the bucket where the quantile falls', () => {
    // 10 calls ≤ 250 ms, 10 calls in (250, 500].
    const buckets = [10, 10, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(percentile(buckets, 0.5)).toBe(250);
    expect(percentile(buckets, 0.95)).toBe(475);
    expect(percentile([0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0.5)).toBe(60_000);
    expect(percentile(new Array(10).fill(0), 0.5)).toBe(0);
  });
});

describe('capability names', () => {
  it('are the same in the server contract and the shared API schemas', () => {
    expect([...AI_CAPABILITIES]).toEqual([...CAPABILITIES]);
  });
});
