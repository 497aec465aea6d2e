import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { newId } from '../ids.js';

/** W3C trace context for this request: the caller's trace id (or a new one) and our own span. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  flags: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: TraceContext;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Random ids from a refilled entropy pool (as randomUUID does): one syscall per ~170 requests, not two per request.
const pool = Buffer.alloc(4096);
let offset = pool.length;
function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += bytes;
  return pool.toString('hex', offset - bytes, offset);
}

export function parseTraceparent(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  const valid = m && !/^0+$/.test(m[1]!) && !/^0+$/.test(m[2]!);
  return {
    traceId: valid ? m[1]! : randomHex(16),
    spanId: randomHex(8),
    parentSpanId: valid ? m[2]! : null,
    flags: valid ? m[3]! : '01',
  };
}

export const formatTraceparent = (t: TraceContext): string => `00-${t.traceId}-${t.spanId}-${t.flags}`;

const traces = new WeakMap<IncomingMessage, TraceContext>();

export function traceOf(raw: IncomingMessage): TraceContext {
  let t = traces.get(raw);
  if (!t) {
    t = parseTraceparent(raw.headers.traceparent);
    traces.set(raw, t);
  }
  return t;
}

/** Honour a caller's x-request-id when it is safe to echo; otherwise make one. */
export function genReqId(raw: IncomingMessage): string {
  const incoming = raw.headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && SAFE_REQUEST_ID.test(value) ? value : newId();
}

export function registerRequestContext(app: FastifyInstance): void {
  app.decorateRequest('trace', null as unknown as TraceContext);
  app.addHook('onRequest', async (request, reply) => {
    request.trace = traceOf(request.raw);
    reply.header('x-request-id', request.id);
    reply.header('traceparent', formatTraceparent(request.trace));
  });
}
