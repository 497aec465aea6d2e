import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleClient } from './clients/openai-compatible.js';
import type { GenEvent } from './clients/types.js';
import { toAppError } from './errors.js';
import { OpenAiFake } from './fakes/openai-fake.js';
import { BackendRuntime, DEFAULT_LIMITS, type CallRecord, type Limits } from './resilience.js';
import { backendConfig } from './test/helpers.js';

const ANSWER = '第一条 为了保护个人信息权益，规范个人信息处理活动，制定本法。';
/** Generous: the machine is shared; what matters is that nothing waits for the fake's long delays. */
const MARGIN_MS = 1_500;

describe('resilience against a hostile OpenAI-compatible backend', () => {
  const fake = new OpenAiFake('sk-fault', ANSWER);
  let client: OpenAiCompatibleClient;
  let records: CallRecord[];
  const runtime = (over: Partial<Limits> = {}) =>
    new BackendRuntime('b-fault', { ...DEFAULT_LIMITS, retryBaseMs: 10, retryMaxMs: 50, connectTimeoutMs: 2_000, firstByteTimeoutMs: 2_000, totalTimeoutMs: 5_000, ...over }, (r) => records.push(r));

  beforeAll(async () => {
    await fake.start();
    client = new OpenAiCompatibleClient(backendConfig('openai-compatible', `${fake.url}/v1`, { apiKey: 'sk-fault' }));
  });
  beforeEach(() => {
    fake.reset();
    records = [];
  });
  afterAll(() => fake.close());

  /** Reads one streamed call: what arrived, how it ended, how long it took. */
  async function run(rt: BackendRuntime, signal?: AbortSignal) {
    const started = performance.now();
    const events: GenEvent[] = [];
    let error: unknown;
    try {
      for await (const e of rt.stream('tutorAnswer', (scope) => client.open({ system: '', prompt: '问题' }, scope), signal)) events.push(e);
    } catch (err) {
      error = err;
    }
    const text = events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
    return { text, error, code: error ? toAppError(error).code : undefined, elapsed: performance.now() - started };
  }

  it('retries a 500 before the first byte, then reports ERR-AI-0002', async () => {
    fake.always({ status: 500 });
    const r = await run(runtime({ maxRetries: 2 }));
    expect(r.code).toBe('ERR-AI-0002');
    expect(fake.requests).toHaveLength(3);
    expect(records).toEqual([expect.objectContaining({ outcome: 'error', errorCode: 'ERR-AI-0002', capability: 'tutorAnswer' })]);
  });

  it('succeeds when a retry gets through', async () => {
    fake.next({ status: 503 }).next({ status: 502 });
    const r = await run(runtime({ maxRetries: 2 }));
    expect(r.text).toBe(ANSWER);
    expect(fake.requests).toHaveLength(3);
    expect(records[0]).toMatchObject({ outcome: 'ok', usage: { completionTokens: Array.from(ANSWER).length } });
  });

  it('honours Retry-After on a 429 (seconds), and gives up at once when it would outlast the deadline', async () => {
    fake.next({ status: 429, headers: { 'retry-after': '1' } });
    const r = await run(runtime({ maxRetries: 1 }));
    expect(r.text).toBe(ANSWER);
    const gap = fake.requests[1]!.at - fake.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(1_000 + MARGIN_MS);

    fake.reset();
    fake.next({ status: 429, headers: { 'retry-after': '30' } });
    const late = await run(runtime({ maxRetries: 3, totalTimeoutMs: 3_000 }));
    expect(late.code).toBe('ERR-AI-0005');
    expect(fake.requests).toHaveLength(1);
    expect(late.elapsed).toBeLessThan(MARGIN_MS);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    fake.next({ status: 429, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() } });
    const r = await run(runtime({ maxRetries: 1 }));
    expect(r.text).toBe(ANSWER);
    // HTTP dates have whole seconds: anything from ~1 s on shows the date was read.
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('times out before the first byte (no retry) and closes the upstream request', async () => {
    fake.always({ firstByteDelayMs: 10_000 });
    const r = await run(runtime({ firstByteTimeoutMs: 300, maxRetries: 2 }));
    expect(r.code).toBe('ERR-AI-0003');
    expect(toAppError(r.error).details).toMatchObject({ phase: 'first-byte' });
    expect(r.elapsed).toBeLessThan(300 + MARGIN_MS);
    expect(fake.requests).toHaveLength(1);
    await fake.waitFor((q) => q.clientAborted);
  });

  it('times out waiting for response headers', async () => {
    fake.always({ headersDelayMs: 10_000 });
    const r = await run(runtime({ connectTimeoutMs: 300 }));
    expect(toAppError(r.error).details).toMatchObject({ phase: 'connect' });
    expect(r.elapsed).toBeLessThan(300 + MARGIN_MS);
  });

  it('stops a slow drip at the total deadline, after some text has arrived', async () => {
    fake.always({ chunkDelayMs: 150, pieceSize: 1 });
    const r = await run(runtime({ totalTimeoutMs: 800 }));
    expect(r.code).toBe('ERR-AI-0003');
    expect(toAppError(r.error).details).toMatchObject({ phase: 'total' });
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.text.length).toBeLessThan(Array.from(ANSWER).length);
    expect(r.elapsed).toBeLessThan(800 + MARGIN_MS);
    await fake.waitFor((q) => q.clientAborted);
  });

  it('reports malformed SSE and a reset connection mid-stream as ERR-AI-0002, never retrying after the first byte', async () => {
    fake.next({ malformedAt: 3 });
    const malformed = await run(runtime({ maxRetries: 2 }));
    expect(malformed.code).toBe('ERR-AI-0002');
    expect(toAppError(malformed.error).details).toMatchObject({ kind: 'protocol' });
    expect(fake.requests).toHaveLength(1);

    fake.reset();
    fake.next({ resetAfterFrames: 4 });
    const reset = await run(runtime({ maxRetries: 2 }));
    expect(reset.code).toBe('ERR-AI-0002');
    expect(toAppError(reset.error).details).toMatchObject({ kind: 'network' });
    expect(reset.text.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
    expect(reset.elapsed).toBeLessThan(MARGIN_MS);

    fake.reset();
    fake.next({ errorAfterDeltas: 2 });
    const inStream = await run(runtime({ maxRetries: 2 }));
    expect(inStream.code).toBe('ERR-AI-0002');
    expect(fake.requests).toHaveLength(1);
  });

  it('opens the circuit after its threshold, fails fast while open, half-opens after the cool-down and closes on success', async () => {
    const rt = runtime({ maxRetries: 0, breakerThreshold: 3, breakerCooldownMs: 400 });
    fake.always({ status: 500 });
    for (let i = 0; i < 3; i++) expect((await run(rt)).code).toBe('ERR-AI-0002');
    expect(rt.circuit).toBe('open');
    const refused = await run(rt);
    expect(refused.code).toBe('ERR-AI-0004');
    expect(refused.elapsed).toBeLessThan(100);
    expect(fake.requests).toHaveLength(3);

    await new Promise((r) => setTimeout(r, 450));
    expect(rt.circuit).toBe('half-open');
    // The probe fails: open again at once.
    expect((await run(rt)).code).toBe('ERR-AI-0002');
    expect(rt.circuit).toBe('open');
    expect((await run(rt)).code).toBe('ERR-AI-0004');

    await new Promise((r) => setTimeout(r, 450));
    fake.always({});
    expect((await run(rt)).text).toBe(ANSWER);
    expect(rt.circuit).toBe('closed');
  });

  it('counts failures after the first byte against the backend too', async () => {
    const rt = runtime({ maxRetries: 0, breakerThreshold: 2, breakerCooldownMs: 10_000 });
    fake.always({ resetAfterFrames: 3 });
    expect((await run(rt)).text.length).toBeGreaterThan(0);
    await run(rt);
    expect(rt.circuit).toBe('open');
    expect((await run(rt)).code).toBe('ERR-AI-0004');
  });

  it('limits concurrency with a small queue, refusing the overflow with ERR-AI-0005', async () => {
    const rt = runtime({ maxConcurrency: 1, maxQueue: 1 });
    fake.always({ chunkDelayMs: 40, pieceSize: 4 });
    const [a, b, c] = await Promise.all([run(rt), run(rt), run(rt)]);
    const codes = [a, b, c].map((r) => r.code);
    expect(codes.filter((x) => x === undefined)).toHaveLength(2);
    expect(codes.filter((x) => x === 'ERR-AI-0005')).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('a queued call still respects its total deadline', async () => {
    const rt = runtime({ maxConcurrency: 1, maxQueue: 5, totalTimeoutMs: 700 });
    fake.always({ chunkDelayMs: 200, pieceSize: 1 });
    const [first, queued] = await Promise.all([run(rt), run(rt)]);
    expect(first.code).toBe('ERR-AI-0003');
    expect(queued.code).toBe('ERR-AI-0003');
    expect(queued.elapsed).toBeLessThan(700 + MARGIN_MS);
  });

  it("cancels the upstream request when the caller aborts, without counting it against the backend", async () => {
    const rt = runtime({ breakerThreshold: 1 });
    fake.always({ chunkDelayMs: 100, pieceSize: 1 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 250);
    const r = await run(rt, ac.signal);
    expect(r.elapsed).toBeLessThan(250 + MARGIN_MS);
    await fake.waitFor((q) => q.clientAborted);
    expect(rt.circuit).toBe('closed');
    expect(records[0]!.outcome).toBe('cancelled');
  });

  it('runs blocking calls under the same rules', async () => {
    const rt = runtime({ maxRetries: 1 });
    fake.next({ status: 500 });
    const ok = await rt.call('gradeAnswer', (scope) => client.complete({ system: '', prompt: 'x' }, scope));
    expect(ok.text).toBe(ANSWER);
    expect(fake.requests).toHaveLength(2);
    fake.always({ firstByteDelayMs: 10_000 });
    const started = performance.now();
    await expect(runtime({ totalTimeoutMs: 400 }).call('gradeAnswer', (scope) => client.complete({ system: '', prompt: 'x' }, scope))).rejects.toMatchObject({
      kind: 'timeout',
      info: { phase: 'total' },
    });
    expect(performance.now() - started).toBeLessThan(400 + MARGIN_MS);
  });
});
