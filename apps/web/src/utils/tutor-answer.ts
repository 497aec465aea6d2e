/**
 * Helpers for showing a tutor answer: its [n] citation marks linked to the citations that came with
 * it, and the earlier turns sent along with a follow-up question.
 */

/** The marks the server recognises in an answer: [1] or 【1】. */
const MARK = /[[【](\d{1,2})[\]】]/g;

/**
 * The number each citation is shown with. The server sends a citation the first time the answer
 * cites a passage, so the k-th citation belongs to the k-th distinct mark in the text (a model may
 * cite [3] before [1]). A citation whose mark is not in the text yet gets the next free number.
 */
export function citationLabels(text: string, count: number): number[] {
  const marks: number[] = [];
  for (const match of text.matchAll(MARK)) {
    const n = Number(match[1]);
    if (!marks.includes(n)) marks.push(n);
  }
  const labels = marks.slice(0, count);
  for (let next = 1; labels.length < count; next++) if (!labels.includes(next)) labels.push(next);
  return labels;
}

export type AnswerSegment = { kind: 'text'; text: string } | { kind: 'mark'; text: string; label: number; citation: number };

/** The answer cut into plain text and the marks of citations it has (marks without one stay text). */
export function answerSegments(text: string, labels: readonly number[]): AnswerSegment[] {
  const segments: AnswerSegment[] = [];
  let from = 0;
  const pushText = (to: number) => {
    if (to <= from) return;
    const last = segments.at(-1);
    if (last?.kind === 'text') last.text += text.slice(from, to);
    else segments.push({ kind: 'text', text: text.slice(from, to) });
  };
  for (const match of text.matchAll(MARK)) {
    const label = Number(match[1]);
    const citation = labels.indexOf(label);
    if (citation === -1) continue;
    pushText(match.index);
    segments.push({ kind: 'mark', text: match[0], label, citation });
    from = match.index + match[0].length;
  }
  pushText(text.length);
  return segments;
}

export interface HistoryTurn {
  question: string;
  answer: string;
  /** Only complete answers are context worth sending. */
  complete: boolean;
}

/** Exchanges sent with a follow-up: enough for "那罚款呢？", few enough to keep the prompt small. */
export const HISTORY_EXCHANGES = 3;
/** The server's limit for one message. */
const MAX_CONTENT = 4000;

/** The last complete exchanges as chat turns, oldest first. */
export function tutorHistory(turns: readonly HistoryTurn[], exchanges = HISTORY_EXCHANGES): { role: 'user' | 'assistant'; content: string }[] {
  return turns
    .filter((turn) => turn.complete && turn.question.trim() && turn.answer.trim())
    .slice(-exchanges)
    .flatMap((turn) => [
      { role: 'user' as const, content: turn.question.trim().slice(0, MAX_CONTENT) },
      { role: 'assistant' as const, content: turn.answer.trim().slice(0, MAX_CONTENT) },
    ]);
}

/** How much of a quote the reader looks for to find the cited place (as course search does). */
const FIND_LENGTH = 30;

/** The reader's `?find=`: the start of the quoted passage, on one line. */
export function findParam(quote: string): string {
  return quote.replace(/\s+/g, ' ').trim().slice(0, FIND_LENGTH);
}
