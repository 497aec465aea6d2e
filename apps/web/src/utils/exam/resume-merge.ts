import type { AnswerValue } from '@kpl/shared';
import type { OutboxEntry } from './outbox-store';

/** A saved answer as the server returns it on resume. */
export interface ServerAnswer {
  questionId: string;
  answer: AnswerValue;
  seq: number;
  flagged: boolean;
}

export interface ResumedAnswer {
  answer: AnswerValue;
  flagged: boolean;
  seq: number;
  /** `local`: a change this device made that the server has not acknowledged yet. */
  source: 'server' | 'local';
}

export interface ResumeMerge {
  answers: Map<string, ResumedAnswer>;
  /** Local changes newer than the server's copy, lowest seq first: shown and sent again. */
  replay: OutboxEntry[];
  /** Local entries the server already has (or that belong to no question of the attempt): to delete. */
  obsolete: OutboxEntry[];
  /** The highest seq seen on either side: the next change must go above it. */
  maxSeq: number;
}

/**
 * Resume after a reload (or on another device): the server's saved answers, overridden by any local
 * outbox entry with a higher seq for the same question — that change was made here but never
 * acknowledged (offline, tab closed mid-save) and is sent again.
 */
export function mergeResume(server: readonly ServerAnswer[], local: readonly OutboxEntry[], questionIds: ReadonlySet<string>): ResumeMerge {
  const answers = new Map<string, ResumedAnswer>();
  let maxSeq = 0;
  for (const saved of server) {
    if (!questionIds.has(saved.questionId)) continue;
    answers.set(saved.questionId, { answer: saved.answer, flagged: saved.flagged, seq: saved.seq, source: 'server' });
    maxSeq = Math.max(maxSeq, saved.seq);
  }
  const replay: OutboxEntry[] = [];
  const obsolete: OutboxEntry[] = [];
  for (const entry of [...local].sort((a, b) => a.seq - b.seq)) {
    maxSeq = Math.max(maxSeq, entry.seq);
    const current = answers.get(entry.questionId);
    if (!questionIds.has(entry.questionId) || (current && current.seq >= entry.seq)) {
      obsolete.push(entry);
      continue;
    }
    answers.set(entry.questionId, { answer: entry.answer, flagged: entry.flagged, seq: entry.seq, source: 'local' });
    replay.push(entry);
  }
  return { answers, replay, obsolete, maxSeq };
}
