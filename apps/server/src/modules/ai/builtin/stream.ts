import type { CallOptions, StreamEvent } from '../capabilities.js';
import { estimateTokens } from './text.js';

/** Pieces of about this many characters per delta, cut after punctuation where possible. */
const PIECE = 16;

/** Splits text into stream-sized pieces (a piece ends after punctuation when one is near). */
export function pieces(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  let from = 0;
  while (from < chars.length) {
    let to = Math.min(chars.length, from + PIECE);
    for (let i = to; i > from + PIECE / 2 && i < chars.length; i--) {
      if (/[，。；：！？、,.;:!?\n]/.test(chars[i - 1]!)) {
        to = i;
        break;
      }
    }
    out.push(chars.slice(from, to).join(''));
    from = to;
  }
  return out;
}

/** A streamed answer made of text parts and citation events; aborts between pieces when asked to. */
export async function* streamParts(parts: (string | Extract<StreamEvent, { type: 'citation' }>)[], prompt: string, options: CallOptions = {}): AsyncGenerator<StreamEvent> {
  let completion = '';
  for (const part of parts) {
    if (typeof part !== 'string') {
      options.signal?.throwIfAborted();
      yield part;
      continue;
    }
    for (const p of pieces(part)) {
      options.signal?.throwIfAborted();
      completion += p;
      yield { type: 'delta', text: p };
    }
  }
  yield { type: 'done', usage: { promptTokens: estimateTokens(prompt), completionTokens: estimateTokens(completion) } };
}
