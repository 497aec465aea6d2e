import { AiCallError, retryAfterMs } from '../errors.js';

/** The per-call limits a client request runs under (set by the resilience layer). */
export interface CallScope {
  /** Aborted by the caller or by the call's total deadline; the reason is an AiCallError. */
  signal: AbortSignal;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Streamed requests must show response headers within the connect timeout and a first body byte
   * within the first-byte timeout (both counted from the request start). Blocking requests compute
   * the whole answer before replying, so only the total deadline applies to them.
   */
  streaming: boolean;
}

export interface OpenedResponse {
  status: number;
  headers: Headers;
  /** Lower-cased media type without parameters, e.g. 'text/event-stream'. */
  mediaType: string;
  /** The body chunk by chunk, starting with the first one (already received). Read once. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** The rest of the body as text (for JSON answers). */
  text(): Promise<string>;
  /** Stop reading and close the connection. */
  close(): void;
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * One HTTP attempt over fetch (undici). Resolves once the first byte of a 2xx body arrived (or the
 * body ended empty): everything before that point is safe to retry, nothing after it is. Non-2xx
 * answers reject with an `http` AiCallError carrying status, vendor code and Retry-After.
 * Node's fetch does not expose the TCP connect itself, so "connect" is measured to the response
 * headers of a streamed request (vendors send those as soon as they accept the request).
 */
export async function openHttp(req: HttpRequest, scope: CallScope): Promise<OpenedResponse> {
  if (scope.signal.aborted) throw reasonOf(scope.signal, false);
  const attempt = new AbortController();
  const relay = () => attempt.abort(scope.signal.reason);
  scope.signal.addEventListener('abort', relay, { once: true });
  const timers: NodeJS.Timeout[] = [];
  const deadline = (phase: 'connect' | 'first-byte', ms: number) =>
    setTimeout(() => attempt.abort(new AiCallError('timeout', `no ${phase === 'connect' ? 'response headers' : 'first byte'} within ${ms} ms`, { phase })), ms);
  if (req.streaming) timers.push(deadline('connect', scope.connectTimeoutMs), deadline('first-byte', scope.firstByteTimeoutMs));
  const release = () => {
    for (const t of timers) clearTimeout(t);
    scope.signal.removeEventListener('abort', relay);
  };

  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers: { accept: req.streaming ? 'text/event-stream' : 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: attempt.signal,
    });
  } catch (err) {
    release();
    throw classify(err, attempt.signal, false);
  }
  clearTimeout(timers[0]);
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const reader = res.body?.getReader();

  const read = async (afterFirstByte: boolean) => {
    try {
      return reader ? await reader.read() : { done: true as const, value: undefined };
    } catch (err) {
      throw classify(err, attempt.signal, afterFirstByte);
    }
  };

  if (!res.ok) {
    let body = '';
    const decoder = new TextDecoder();
    try {
      for (let r = await read(false); !r.done && body.length < MAX_ERROR_BODY; r = await read(false)) body += decoder.decode(r.value, { stream: true });
    } catch {
      // The error status is what matters; a body cut short changes nothing.
    } finally {
      release();
      attempt.abort();
    }
    throw httpError(res.status, res.headers, body);
  }

  let first: ReadableStreamReadResult<Uint8Array>;
  try {
    first = await read(false);
  } catch (err) {
    release();
    throw err;
  }
  clearTimeout(timers[1]);

  let consumed = false;
  const close = () => {
    release();
    attempt.abort();
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (consumed) throw new Error('response body already read');
    consumed = true;
    try {
      if (first.done) return;
      yield first.value;
      for (let r = await read(true); !r.done; r = await read(true)) yield r.value;
    } finally {
      close();
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    mediaType,
    chunks,
    async text() {
      const decoder = new TextDecoder();
      let out = '';
      for await (const c of chunks()) out += decoder.decode(c, { stream: true });
      return out + decoder.decode();
    },
    close,
  };
}

function reasonOf(signal: AbortSignal, afterFirstByte: boolean): AiCallError {
  const r: unknown = signal.reason;
  if (r instanceof AiCallError) return new AiCallError(r.kind, r.message, { ...r.info, afterFirstByte: afterFirstByte || r.info.afterFirstByte });
  return new AiCallError('aborted', 'the call was cancelled', { afterFirstByte });
}

/** Maps what fetch throws (undici: TypeError 'fetch failed' / 'terminated' with a cause) to our kinds. */
function classify(err: unknown, signal: AbortSignal, afterFirstByte: boolean): AiCallError {
  if (signal.aborted) return reasonOf(signal, afterFirstByte);
  if (err instanceof AiCallError) return err;
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause ? `: ${e.cause.code ?? e.cause.message ?? ''}` : '';
  return new AiCallError('network', `${e.message ?? 'network error'}${cause}`, { afterFirstByte });
}

/** Vendor envelopes: OpenAI {error:{message,code,type}}, Dify {code,message,status}, Coze {code,msg}. */
export function vendorError(body: string): { code?: string; message?: string } {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const inner = (typeof j.error === 'object' && j.error !== null ? j.error : j) as Record<string, unknown>;
    const code = inner.code ?? inner.type;
    const message = inner.message ?? inner.msg;
    return {
      code: code === undefined || code === null ? undefined : String(code),
      message: typeof message === 'string' ? message : undefined,
    };
  } catch {
    return { message: body.slice(0, 200) || undefined };
  }
}

function httpError(status: number, headers: Headers, body: string): AiCallError {
  const v = vendorError(body);
  return new AiCallError('http', `HTTP ${status}${v.message ? `: ${v.message}` : ''}`, {
    status,
    vendorCode: v.code,
    retryAfterMs: retryAfterMs(headers),
  });
}
