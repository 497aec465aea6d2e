import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

export interface SseWriter {
  /** Aborted when the client goes away: pass it to the upstream call so it stops too. */
  readonly signal: AbortSignal;
  send(event: string, data: unknown): void;
  end(): void;
}

/**
 * Starts a server-sent event response: `event:`/`data:` frames, a comment every `heartbeatMs` so
 * proxies and browsers keep an idle stream open, `X-Accel-Buffering: no` so nginx passes each
 * frame through at once. The stream goes through Fastify (hooks, security headers, metrics); when
 * the client disconnects, `signal` aborts.
 */
export function startSse(reply: FastifyReply, heartbeatMs: number): SseWriter {
  const stream = new PassThrough();
  const ctrl = new AbortController();
  let ended = false;
  const heartbeat = setInterval(() => {
    if (!ended) stream.write(': heartbeat\n\n');
  }, heartbeatMs);
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    stream.end();
  };
  // The response closed before we finished writing: the client went away. (The request's own
  // 'close' fires as soon as its body was read, so it says nothing about the client.)
  reply.raw.on('close', () => {
    if (!ended) ctrl.abort(new Error('client disconnected'));
    end();
  });
  // Fastify sends the headers with the first body bytes: a comment now tells the client at once
  // that the stream is open, however long the model takes to its first token.
  stream.write(': stream open\n\n');
  reply
    .status(200)
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(stream);
  return {
    signal: ctrl.signal,
    send(event, data) {
      if (!ended) stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end,
  };
}
