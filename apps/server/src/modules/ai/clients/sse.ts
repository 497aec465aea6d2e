import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { AiCallError } from '../errors.js';

export interface SseMessage {
  /** The `event:` name; undefined for plain `data:` events. 'raw' marks a line that is not SSE at all. */
  event?: string;
  data: string;
  id?: string;
}

/**
 * One tolerant SSE reader for the three vendors (ai-wire-formats §0): streaming UTF-8 decoding (a
 * CJK character may straddle reads), any line ending, several events per read or one event over
 * many, comments and data-less events (Dify's `event: ping`) skipped, `data:` with or without a
 * space. At EOF the buffered rest is dispatched, and a line that is no SSE field at all (Coze ends
 * some streams with a bare JSON error and no newline) comes out as `{ event: 'raw', data: line }`.
 */
export async function* readSse(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const pending: SseMessage[] = [];
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => pending.push({ event: e.event, data: e.data, id: e.id }),
    onError: (err) => {
      if (err.type === 'unknown-field' && err.line?.trim()) pending.push({ event: 'raw', data: err.line.trim() });
    },
  });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length) yield pending.shift()!;
  }
  // A blank line ends whatever was buffered, as if the server had finished the event.
  parser.feed(`${decoder.decode()}\n\n`);
  while (pending.length) yield pending.shift()!;
}

/** JSON.parse of a streamed event; a malformed one is a protocol failure of the backend. */
export function parseJson<T>(data: string, what: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new AiCallError('protocol', `malformed ${what}: ${data.slice(0, 120)}`, { afterFirstByte: true });
  }
}
