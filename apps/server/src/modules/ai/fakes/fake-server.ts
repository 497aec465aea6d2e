import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the next request(s) should meet. Every quirk of ai-wire-formats §4 sits behind a switch, so
 * one fake plays both the well-behaved vendor and the hostile one.
 */
export interface Script {
  /** Answer with this HTTP status and the vendor's error envelope instead of the normal reply. */
  status?: number;
  /** Vendor error code in the envelope (e.g. 'rate_limit_exceeded', 4100). */
  errorCode?: string | number;
  /** Extra response headers (e.g. retry-after, retry-after-ms). */
  headers?: Record<string, string>;
  /** Wait before sending the response headers. */
  headersDelayMs?: number;
  /** Wait after the headers, before the first body byte. */
  firstByteDelayMs?: number;
  /** Wait between writes. */
  chunkDelayMs?: number;
  /**
   * How SSE frames become network writes: one write per frame; several frames per write; each
   * frame cut in two (mid-JSON, and mid-character when it holds Chinese text).
   */
  chunking?: 'frame' | 'coalesce' | 'split';
  /** The answer text (streamed in small pieces). */
  content?: string;
  /** Characters per content delta. */
  pieceSize?: number;
  usage?: { prompt: number; completion: number };
  /** Destroy the connection (TCP reset) after this many frames. */
  resetAfterFrames?: number;
  /** Replace frame N with a data line that is not valid JSON. */
  malformedAt?: number;
  /** Emit the vendor's in-stream error after this many content deltas. */
  errorAfterDeltas?: number;
  /** End the body cleanly after this many frames, without the vendor's terminator. */
  truncateAfterFrames?: number;
  /** Vendor-specific variants (see each fake). */
  variant?: string[];
}

export interface RecordedRequest {
  /** When the request arrived (performance.now()). */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Set when the client went away before the response was complete. */
  clientAborted: boolean;
  finished: boolean;
}

export interface FakeContext {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  script: Script;
  body: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Content cut into deltas of a few characters (code points, like vendors' tokens). */
export function pieces(text: string, size = 3): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** Base of the three fakes: listening on port 0, per-request scripts, request log, SSE writer. */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queued: Script[] = [];
  private standing: Script = {};
  private server: Server | null = null;
  url = '';

  protected abstract handle(ctx: FakeContext): Promise<void>;
  /** The vendor's error envelope for a scripted failure. */
  protected abstract errorBody(status: number, code: string | number | undefined, message: string): unknown;

  /** The script for the next request only (queued in order). */
  next(script: Script): this {
    this.queued.push(script);
    return this;
  }

  /** The script for every request without a queued one. */
  always(script: Script): this {
    this.standing = script;
    return this;
  }

  reset(): void {
    this.queued.length = 0;
    this.standing = {};
    this.requests.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** Resolves when a recorded request satisfies the predicate (e.g. the client disconnected). */
  async waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5_000): Promise<RecordedRequest> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.requests.find(predicate);
      if (hit) return hit;
      if (Date.now() > until) throw new Error('the fake never saw the expected request');
      await sleep(10);
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await new Promise<string>((resolve) => {
      let s = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (s += c));
      req.on('end', () => resolve(s));
    });
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const record: RecordedRequest = { at, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, clientAborted: false, finished: false };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.clientAborted = true;
    });
    res.on('finish', () => (record.finished = true));
    const script = this.queued.shift() ?? this.standing;
    try {
      if (script.headersDelayMs) await sleep(script.headersDelayMs);
      if (res.destroyed) return;
      if (script.status) {
        this.json(res, script.status, this.errorBody(script.status, script.errorCode, `scripted failure ${script.status}`), script.headers);
        return;
      }
      const obj = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      await this.handle({ req, res, record, script, body: obj });
    } catch (err) {
      if (!res.headersSent) this.json(res, 500, this.errorBody(500, 'fake_error', err instanceof Error ? err.message : String(err)));
      else res.destroy();
    }
  }

  json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /** Writes SSE frames as the script says: delays, chunking, a reset, a malformed frame, a truncated end. */
  async sse(ctx: FakeContext, frames: string[], headers: Record<string, string> = {}, interrupt?: () => string[] | undefined): Promise<void> {
    const { res, script } = ctx;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers, ...script.headers });
    res.flushHeaders();
    if (script.firstByteDelayMs) await sleep(script.firstByteDelayMs);
    let list = frames.map((f, i) => (i === script.malformedAt ? malform(f) : f));
    if (script.truncateAfterFrames !== undefined) list = list.slice(0, script.truncateAfterFrames);
    const reset = script.resetAfterFrames;
    if (reset !== undefined) list = list.slice(0, reset);
    const writes = toWrites(list, script.chunking ?? 'frame');
    for (let i = 0; i < writes.length; i++) {
      if (res.destroyed) return;
      if (i > 0 && script.chunkDelayMs) await sleep(script.chunkDelayMs);
      if (res.destroyed) return;
      // A stop endpoint was called: finish with the vendor's "stopped" frames instead.
      const stopped = interrupt?.();
      if (stopped) {
        res.end(stopped.join(''));
        return;
      }
      res.write(writes[i]);
    }
    if (reset !== undefined) {
      // Let the written frames leave, then cut the connection without a proper end.
      await sleep(5);
      res.socket?.resetAndDestroy();
      return;
    }
    res.end();
  }
}

/** The frame with its data cut in half: still SSE, no longer JSON. */
function malform(frame: string): string {
  return frame.replace(/^(data:\s?)(.*)$/m, (_m, prefix: string, data: string) => `${prefix}${data.slice(0, Math.max(1, Math.floor(data.length / 2)))}`);
}

/** Frames grouped into network writes. 'split' cuts each frame's bytes in the middle (often inside a CJK character). */
function toWrites(frames: string[], chunking: 'frame' | 'coalesce' | 'split'): (string | Buffer)[] {
  if (chunking === 'coalesce') {
    const out: string[] = [];
    for (let i = 0; i < frames.length; i += 3) out.push(frames.slice(i, i + 3).join(''));
    return out;
  }
  if (chunking === 'split') {
    return frames.flatMap((f) => {
      const b = Buffer.from(f, 'utf8');
      if (b.length < 4) return [b];
      // An odd offset into a run of 3-byte characters lands inside one.
      const mid = Math.floor(b.length / 2) | 1;
      return [b.subarray(0, mid), b.subarray(mid)];
    });
  }
  return frames;
}

export const sseData = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
export const sseEvent = (event: string, data?: unknown, opts: { space?: boolean; id?: string } = {}) => {
  const sp = opts.space === false ? '' : ' ';
  const id = opts.id !== undefined ? `id:${sp}${opts.id}\n` : '';
  const payload = data === undefined ? '' : `data:${sp}${typeof data === 'string' ? data : JSON.stringify(data)}\n`;
  return `${id}event:${sp}${event}\n${payload}\n`;
};

export const uuid = () => randomUUID();
/** Coze-style 19-digit numeric ids, as strings. */
export const bigId = () => `7${Array.from({ length: 18 }, () => Math.floor(Math.random() * 10)).join('')}`;
