import { QUESTION_TYPES, type QuestionContent, type QuestionType } from '@kpl/shared';
import { fromCents, toCents } from './cents.js';
import type { GradeResult } from './types.js';

/** One question of an attempt: its pinned content and its current result (objective, AI or manual). */
export interface ScoredItem {
  content: QuestionContent;
  result: GradeResult;
}

export interface ScoreBucket {
  score: number;
  maxScore: number;
  /** score / maxScore × 100, rounded down to 2 decimals (0 when maxScore is 0). */
  percent: number;
  questions: number;
  /** Questions with full marks. */
  correct: number;
  /** Questions awaiting AI or manual grading (they count 0 until graded). */
  pending: number;
}

export interface AttemptScore extends ScoreBucket {
  /**
   * `percent >= passMark`, but only once nothing is pending: null while a question awaits
   * grading, or when no pass mark was given.
   */
  passed: boolean | null;
  /** In the order of QUESTION_TYPES; only types that occur. */
  byType: (ScoreBucket & { type: QuestionType })[];
  /** In order of first appearance. A question with several knowledge points counts fully towards each. */
  byKnowledgePoint: (ScoreBucket & { knowledgePoint: string })[];
}

/** Sums in cents so totals are exact. */
class Tally {
  score = 0;
  max = 0;
  questions = 0;
  correct = 0;
  pending = 0;

  add(result: GradeResult): void {
    this.score += toCents(result.score);
    this.max += toCents(result.maxScore);
    this.questions += 1;
    if (result.status === 'pending') this.pending += 1;
    else if (result.correct) this.correct += 1;
  }

  bucket(): ScoreBucket {
    // Rounded down so that 59.996 % never shows as 60 % (and passes a 60 % mark).
    const percent = this.max === 0 ? 0 : fromCents(Math.floor((this.score * 10_000) / this.max));
    return {
      score: fromCents(this.score),
      maxScore: fromCents(this.max),
      percent,
      questions: this.questions,
      correct: this.correct,
      pending: this.pending,
    };
  }
}

/**
 * Totals of an attempt, and breakdowns per question type and per knowledge point.
 * @param passMark percentage 0–100 needed to pass; omit when the paper has none
 */
export function scoreAttempt(items: readonly ScoredItem[], passMark?: number): AttemptScore {
  if (passMark !== undefined && !(passMark >= 0 && passMark <= 100)) {
    throw new RangeError(`passMark must be a percentage 0–100, got ${passMark}`);
  }
  const total = new Tally();
  const byType = new Map<QuestionType, Tally>();
  const byKnowledgePoint = new Map<string, Tally>();
  const tallyOf = <K>(map: Map<K, Tally>, key: K): Tally => {
    const existing = map.get(key);
    if (existing) return existing;
    const created = new Tally();
    map.set(key, created);
    return created;
  };

  for (const { content, result } of items) {
    total.add(result);
    tallyOf(byType, content.type).add(result);
    for (const kp of new Set(content.knowledgePoints)) tallyOf(byKnowledgePoint, kp).add(result);
  }

  const summary = total.bucket();
  return {
    ...summary,
    passed: passMark === undefined || summary.pending > 0 ? null : summary.percent >= passMark,
    byType: QUESTION_TYPES.flatMap((type) => {
      const tally = byType.get(type);
      return tally ? [{ type, ...tally.bucket() }] : [];
    }),
    byKnowledgePoint: [...byKnowledgePoint].map(([knowledgePoint, tally]) => ({ knowledgePoint, ...tally.bucket() })),
  };
}
