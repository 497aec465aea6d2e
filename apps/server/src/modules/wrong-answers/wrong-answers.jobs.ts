import type { AttemptOutcome } from '@kpl/shared';
import type { JobQueue } from '../../platform/queue/types.js';
import type { WrongAnswersService } from './wrong-answers.service.js';

declare module '../../platform/queue/types.js' {
  interface JobPayloads {
    /** Apply a graded attempt to the learner's wrong-answer book (idempotent per attempt). */
    'wrong-answers.record': AttemptOutcome;
  }
}

/** Recording is idempotent, so a generous retry budget costs nothing and survives a database blip. */
const MAX_ATTEMPTS = 10;

/**
 * What the exams module calls once an attempt's objective questions are graded. Durable: the
 * job outlives a restart. Nothing is enqueued when no item is graded yet (`correct: null` only).
 */
export async function enqueueOutcome(queue: JobQueue, outcome: AttemptOutcome): Promise<string | null> {
  if (!outcome.items.some((i) => i.correct !== null)) return null;
  return queue.enqueue('wrong-answers.record', outcome, { maxAttempts: MAX_ATTEMPTS });
}

/**
 * The exams module's "attempt graded" notice, described structurally so this module does not
 * import the exams module (which is not among its dependencies).
 */
export interface GradedAttempt {
  attemptId: string;
  examId: string;
  examTitle: string;
  userId: string;
  at: number;
  questions: { questionId: string; versionId: string; status: string; correct: boolean | null }[];
}

/**
 * What the book needs from a graded attempt: only final grades count (`pending` / `manual` → null).
 * An unanswered objective question is graded wrong and so enters the book: the learner did not
 * know it. The notice comes after submit and after every later re-grade; the book applies the
 * first one per attempt (see WrongAnswersService.record).
 */
export function outcomeOf(g: GradedAttempt): AttemptOutcome {
  return {
    userId: g.userId,
    attemptId: g.attemptId,
    examId: g.examId,
    examTitle: g.examTitle.slice(0, 200) || null,
    at: g.at,
    items: g.questions.map((q) => ({ questionId: q.questionId, versionId: q.versionId, correct: q.status === 'graded' ? q.correct : null })),
  };
}

export function registerWrongAnswerJobs(queue: JobQueue, service: WrongAnswersService): void {
  queue.register('wrong-answers.record', (ctx) => service.record(ctx.payload));
}
