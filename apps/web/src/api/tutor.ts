import { tutorCitationSchema, tutorDeltaSchema, tutorDoneSchema, tutorErrorSchema } from '@kpl/shared';
import { CLIENT_ERROR_CODES } from './api-error';
import { ApiError, apiStream } from './client';

/** The AI tutor (POST /api/v1/ai/tutor, ai.use): an answer from the course material as server-sent events. */

export interface TutorTurnInput {
  role: 'user' | 'assistant';
  content: string;
}

export interface TutorQuestion {
  question: string;
  courseId?: string;
  /** Earlier turns, oldest first, so a follow-up such as "那罚款呢？" has its context. */
  history?: TutorTurnInput[];
}

type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;

export type TutorCitation = Parsed<typeof tutorCitationSchema>;

export type TutorEvent =
  | { type: 'delta'; text: string }
  | ({ type: 'citation' } & TutorCitation)
  | ({ type: 'done' } & Parsed<typeof tutorDoneSchema>)
  /** The server gave up mid-answer (e.g. ERR-AI-0003); the stream ends with it. */
  | ({ type: 'error' } & Parsed<typeof tutorErrorSchema>);

export interface SseFrame {
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser: `feed` text as it arrives (frames may be split anywhere,
 * several may come at once); each frame ends at a blank line. `event:` names it (default
 * "message"), `data:` lines are joined with newlines, `:` comments (heartbeats) and other fields
 * are ignored. A frame left unfinished when the stream ends is dropped, as EventSource does.
 */
export function createSseParser(onFrame: (frame: SseFrame) => void) {
  let buffer = '';
  let event = '';
  let data: string[] = [];

  function line(text: string) {
    if (text === '') {
      if (data.length) onFrame({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }

  return {
    feed(text: string) {
      buffer += text;
      for (let end = buffer.search(/[\r\n]/); end !== -1; end = buffer.search(/[\r\n]/)) {
        // A lone \r at the end may be the first half of \r\n: wait for the next piece.
        if (buffer[end] === '\r' && end === buffer.length - 1) break;
        const next = buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(next);
        line(text);
      }
    },
    /** The stream ended: a last lone \r still ends its line; what never got its blank line is dropped. */
    end() {
      if (buffer.endsWith('\r')) line(buffer.slice(0, -1));
      buffer = '';
      event = '';
      data = [];
    },
  };
}

const badResponse = (message: string, cause?: unknown) => new ApiError({ code: CLIENT_ERROR_CODES.BAD_RESPONSE, message, status: 200 }, { cause });

const EVENT_SCHEMAS = { delta: tutorDeltaSchema, citation: tutorCitationSchema, done: tutorDoneSchema, error: tutorErrorSchema };
const isEventName = (name: string): name is keyof typeof EVENT_SCHEMAS => Object.hasOwn(EVENT_SCHEMAS, name);

/** A frame as a typed event; unknown event names are skipped (newer servers may send more). */
export function toTutorEvent(frame: SseFrame): TutorEvent | null {
  if (!isEventName(frame.event)) return null;
  const schema = EVENT_SCHEMAS[frame.event];
  let json: unknown;
  try {
    json = JSON.parse(frame.data);
  } catch (error) {
    throw badResponse(`Malformed ${frame.event} event.`, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badResponse(`Unexpected ${frame.event} event.`, parsed.error);
  return { type: frame.event, ...parsed.data } as TutorEvent;
}

/**
 * Asks the tutor and yields its events as they arrive, ending after `done` or `error`. Failures
 * before the stream starts (403, 404, a 401 the refresh could not cure, no network) reject with
 * ApiError; a stream cut off before `done` rejects with NETWORK. Aborting `signal` (the Stop button)
 * closes the connection, which also stops the answer on the server, and ends the iteration quietly.
 */
export async function* askTutor(question: TutorQuestion, signal?: AbortSignal): AsyncGenerator<TutorEvent> {
  const response = await apiStream('/api/v1/ai/tutor', { method: 'POST', body: question, signal });
  if (!response.body) throw badResponse('The answer has no body.');
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });

  const frames: SseFrame[] = [];
  const parser = createSseParser((frame) => frames.push(frame));
  const decoder = new TextDecoder(); // streaming: a CJK character may straddle two reads
  try {
    for (;;) {
      if (signal?.aborted) return;
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) return;
        throw new ApiError({ code: CLIENT_ERROR_CODES.NETWORK, message: 'The answer was interrupted.', status: 0 }, { cause: error });
      }
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      for (const frame of frames.splice(0)) {
        const event = toTutorEvent(frame);
        if (!event) continue;
        yield event;
        if (event.type === 'done' || event.type === 'error') return;
      }
    }
    if (signal?.aborted) return;
    throw new ApiError({ code: CLIENT_ERROR_CODES.NETWORK, message: 'The answer ended before it was complete.', status: 0 });
  } finally {
    parser.end();
    signal?.removeEventListener('abort', cancel);
    // Ended early (done, error, the caller stopped iterating): let the connection go.
    cancel();
  }
}
