import type { AnswerValue, GradeStatus, OptionKey, QuestionContent } from '@kpl/shared';
import type { PinnedVersion } from '../questions/catalog.js';
import type { AnswerRow, GradeRow } from './attempts.repository.js';
import { gradeObjective, scoreAttempt, type AttemptScore, type GradeResult, type MultipleChoicePolicy } from './grading/index.js';

/** A question as pinned by an attempt (immutable for the attempt's life). */
export interface PinnedQuestion {
  questionId: string;
  position: number;
  versionId: string;
  points: number;
  optionOrder: OptionKey[] | null;
}

export const parseAnswer = (raw: string | null): AnswerValue => (raw === null ? null : (JSON.parse(raw) as AnswerValue));
export const parseJson = <T>(raw: string | null): T | null => (raw === null ? null : (JSON.parse(raw) as T));

/** The stored grade as the grading library's result (anything not final counts as pending: 0 points). */
export function toResult(g: Pick<GradeRow, 'status' | 'score' | 'max_score' | 'correct' | 'detail'>): GradeResult {
  const detail = parseJson<GradeResult['detail']>(g.detail) ?? { answered: true };
  if (g.status !== 'graded') return { status: 'pending', score: 0, maxScore: Number(g.max_score), detail };
  return { status: 'graded', score: Number(g.score), maxScore: Number(g.max_score), correct: Number(g.correct) === 1, detail };
}

/** The grade columns of one question as decided now: objective types final, a short answer waiting. */
export type DecidedGrade = Omit<GradeRow, 'attempt_id' | 'question_id' | 'version_id'>;

/**
 * One question's grade by the grading library. Objective types are final at once; an answered
 * short answer waits for the AI grader when there is one (`pending`), otherwise in the
 * instructors' queue (`manual`).
 */
export function decideGrade(content: QuestionContent, answer: AnswerValue, points: number, policy: MultipleChoicePolicy, aiAvailable: boolean, at: number): DecidedGrade {
  const result = gradeObjective(content, answer, points, { multipleChoice: policy });
  const graded = result.status === 'graded';
  const status: GradeStatus = graded ? 'graded' : aiAvailable ? 'pending' : 'manual';
  return {
    score: result.score,
    max_score: result.maxScore,
    status,
    grader: graded ? 'auto' : null,
    correct: result.status === 'graded' ? (result.correct ? 1 : 0) : null,
    comment: null,
    detail: JSON.stringify(result.detail),
    ai_confidence: null,
    ai_assessment: null,
    graded_by: null,
    graded_at: graded ? at : null,
  };
}

/** Grades every question at submit, against the version the attempt pinned. */
export function gradeAtSubmit(
  attemptId: string,
  pinned: readonly PinnedQuestion[],
  answers: readonly AnswerRow[],
  versions: ReadonlyMap<string, PinnedVersion>,
  policy: MultipleChoicePolicy,
  aiAvailable: boolean,
  at: number,
): GradeRow[] {
  const answerOf = new Map(answers.map((a) => [a.question_id, parseAnswer(a.answer)]));
  return pinned.map((q) => ({
    attempt_id: attemptId,
    question_id: q.questionId,
    ...decideGrade(versions.get(q.versionId)!.content, answerOf.get(q.questionId) ?? null, q.points, policy, aiAvailable, at),
    version_id: q.versionId,
  }));
}

/**
 * The attempt's questions with the version each is graded against: the grade's own version once a
 * re-grade moved it to a corrected one, else the pinned version. Results, totals and events use
 * these; the taking view and autosave keep the pinned versions (what the learner was shown).
 */
export function effectiveQuestions(pinned: readonly PinnedQuestion[], grades: readonly Pick<GradeRow, 'question_id' | 'version_id'>[]): PinnedQuestion[] {
  const gradedWith = new Map(grades.map((g) => [g.question_id, g.version_id]));
  return pinned.map((q) => {
    const versionId = gradedWith.get(q.questionId);
    return versionId && versionId !== q.versionId ? { ...q, versionId } : q;
  });
}

export interface Totals {
  score: AttemptScore;
  row: { score: number; max_score: number; pending_count: number; passed: number | null; graded_at: number };
}

/** Totals, pass/fail (only once nothing is pending) and breakdowns from the stored grades. */
export function totalsOf(
  pinned: readonly PinnedQuestion[],
  grades: readonly Pick<GradeRow, 'question_id' | 'status' | 'score' | 'max_score' | 'correct' | 'detail'>[],
  versions: ReadonlyMap<string, PinnedVersion>,
  passMark: number,
  at: number,
): Totals {
  const byQuestion = new Map(grades.map((g) => [g.question_id, g]));
  const items = pinned.flatMap((q) => {
    const g = byQuestion.get(q.questionId);
    return g ? [{ content: versions.get(q.versionId)!.content, result: toResult(g) }] : [];
  });
  const score = scoreAttempt(items, passMark);
  return {
    score,
    row: { score: score.score, max_score: score.maxScore, pending_count: score.pending, passed: score.passed === null ? null : score.passed ? 1 : 0, graded_at: at },
  };
}

/** Strips markup for plain-text consumers (the AI grader reads the stem as text). */
export const plainText = (html: string): string => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

