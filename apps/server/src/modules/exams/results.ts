import type { AiAssessment, AttemptResult, ExamSettings, QuestionResult } from '@kpl/shared';
import type { PinnedVersion } from '../questions/catalog.js';
import type { AnswerRow, AttemptRow, GradeRow } from './attempts.repository.js';
import { toReviewView } from './grading/index.js';
import { parseAnswer, parseJson, toResult, totalsOf, type PinnedQuestion } from './scoring.js';

/**
 * What a learner may see of a submitted attempt. Totals (score, pass/fail, breakdowns) are always
 * shown once submitted: hiding a score from the person who earned it helps nobody, and the exam
 * settings are about revealing the paper. The per-question breakdown needs `reviewAllowed`; keys,
 * explanations, grading detail (which also reveals keys) and the AI's findings additionally need
 * the `showAnswers` moment (never / after submit / after the exam closed or its window ended).
 * Instructors and admins of the exam see everything.
 */
export function visibility(settings: ExamSettings, exam: { status: string; closes_at: number }, at: number, instructor: boolean): { review: boolean; answers: boolean } {
  if (instructor) return { review: true, answers: true };
  const closed = exam.status === 'closed' || at >= Number(exam.closes_at);
  const moment = settings.showAnswers === 'after_submit' || (settings.showAnswers === 'after_close' && closed);
  return { review: settings.reviewAllowed, answers: settings.reviewAllowed && moment };
}

export interface ResultInput {
  attempt: AttemptRow;
  examTitle: string;
  passMark: number;
  pinned: readonly PinnedQuestion[];
  answers: readonly AnswerRow[];
  grades: readonly GradeRow[];
  versions: ReadonlyMap<string, PinnedVersion>;
  show: { review: boolean; answers: boolean };
}

export function buildResult(input: ResultInput): AttemptResult {
  const { attempt, pinned, versions, show } = input;
  const totals = totalsOf(pinned, input.grades, versions, input.passMark, 0).score;
  const gradeOf = new Map(input.grades.map((g) => [g.question_id, g]));
  const answerOf = new Map(input.answers.map((a) => [a.question_id, parseAnswer(a.answer)]));
  const questions = show.review
    ? pinned.map((q): QuestionResult => {
        const content = versions.get(q.versionId)!.content;
        const g = gradeOf.get(q.questionId);
        const result = g ? toResult(g) : { status: 'pending' as const, score: 0 as const, maxScore: q.points, detail: { answered: false } };
        const answer = answerOf.get(q.questionId) ?? null;
        const review = toReviewView(content, answer, result, q.optionOrder ?? undefined);
        return {
          questionId: q.questionId,
          versionId: q.versionId,
          position: q.position,
          type: content.type,
          stem: content.stem,
          ...(review.options && { options: review.options }),
          ...(review.blankCount !== undefined && { blankCount: review.blankCount }),
          knowledgePoints: review.knowledgePoints,
          answer,
          score: result.score,
          maxScore: result.maxScore,
          status: g?.status ?? 'pending',
          grader: g?.grader ?? null,
          correct: result.status === 'graded' ? result.correct : null,
          comment: g?.comment ?? null,
          detail: show.answers ? (result.detail as unknown as Record<string, unknown>) : null,
          ai: show.answers ? parseJson<AiAssessment>(g?.ai_assessment ?? null) : null,
          key: show.answers ? review.key : null,
          explanation: show.answers ? review.explanation : null,
        };
      })
    : null;
  return {
    attemptId: attempt.id,
    examId: attempt.exam_id,
    examTitle: input.examTitle,
    userId: attempt.user_id,
    attemptNo: Number(attempt.attempt_no),
    status: attempt.status,
    submittedAt: attempt.submitted_at === null ? null : Number(attempt.submitted_at),
    submitReason: attempt.submit_reason,
    score: totals.score,
    maxScore: attempt.status === 'submitted' ? totals.maxScore : Number(attempt.max_score),
    percent: totals.percent,
    passMark: input.passMark,
    passed: attempt.status === 'submitted' ? totals.passed : null,
    pendingCount: attempt.status === 'submitted' ? totals.pending : 0,
    byType: totals.byType,
    byKnowledgePoint: totals.byKnowledgePoint,
    reviewVisible: show.review,
    answersVisible: show.answers,
    questions,
  };
}
