import type { GradeStatus, SubmitReason } from '@kpl/shared';
import type { JobQueue } from '../../platform/queue/types.js';
import type { Scheduler } from '../../platform/scheduler/scheduler.js';
import type { AttemptsService } from './attempts.service.js';
import type { GradesService } from './grades.service.js';
import type { RegradeJobPayload, RegradeService } from './regrade.service.js';

declare module '../../platform/queue/types.js' {
  interface JobPayloads {
    /** AI-grades the short answers of a submitted attempt that wait for it. */
    'exams.grade-short-answers': { attemptId: string };
    /** Re-grades every submitted attempt of an exam against the current question versions. */
    'exams.regrade': RegradeJobPayload;
  }
}

declare module '../../platform/events/event-bus.js' {
  interface DomainEvents {
    'exams.attempt-submitted': { attemptId: string; examId: string; userId: string; reason: SubmitReason };
    /**
     * After submit and after every later grade change (AI, instructor). `final` once nothing is
     * pending. Per question: right or wrong (null while waiting) — what a wrong-answer book needs.
     */
    'exams.attempt-graded': {
      attemptId: string;
      examId: string;
      examTitle: string;
      userId: string;
      /** When this grading happened (epoch ms). */
      at: number;
      final: boolean;
      score: number;
      maxScore: number;
      passed: boolean | null;
      questions: { questionId: string; versionId: string; status: GradeStatus; correct: boolean | null; answered: boolean }[];
    };
  }
}

/** How often the scheduler looks for attempts past their deadline + grace. */
export const SWEEP_INTERVAL_MS = 15_000;

export function registerExamJobs(queue: JobQueue, scheduler: Scheduler, attempts: AttemptsService, grades: GradesService, regrade: RegradeService): void {
  queue.register('exams.grade-short-answers', (ctx) => grades.gradeShortAnswers(ctx));
  queue.register('exams.regrade', (ctx) => regrade.job(ctx));
  // Idempotent and exactly-once per attempt (a conditional status change), so every scheduler
  // replica may run it; it finds its work in the database, so downtime at a deadline loses nothing.
  scheduler.every('exams.sweep-overdue', SWEEP_INTERVAL_MS, async () => {
    await attempts.sweepOverdue();
  });
}
