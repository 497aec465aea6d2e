import type { AnswerValue, QuestionContent } from '@kpl/shared';
import type { GradeRow } from './attempts.repository.js';
import { validateAnswerShape, type MultipleChoicePolicy } from './grading/index.js';
import { decideGrade, type DecidedGrade } from './scoring.js';

/**
 * What a re-grade does with one question of a submitted attempt whose current version differs
 * from the version it was graded against (a corrected key, rubric or wording). The rules:
 *
 * - A person's grade (an instructor's grade or override) is final: kept as it is. The instructor
 *   can change it by hand; the re-grade reports it.
 * - The learner's answer is kept. When it cannot be graded against the new version — the type,
 *   the option keys or the number of blanks changed, or the answer no longer fits — the grade is
 *   kept too and reported as incompatible (the paper was rewritten, not corrected).
 * - Objective types are graded again against the new version at once.
 * - A short answer goes back to the AI (or the manual queue) when what it is graded on changed
 *   (stem, reference answer, rubric); otherwise its grade simply moves to the new version.
 * Every moved grade records the version it was made against.
 */
export type RegradeStep =
  | { kind: 'kept_override' }
  | { kind: 'incompatible'; reason: string }
  | { kind: 'regraded'; patch: DecidedGrade & { version_id: string }; requeued: boolean }
  | { kind: 'moved'; patch: { version_id: string } };

export interface RegradeInput {
  grade: Pick<GradeRow, 'grader'>;
  from: QuestionContent;
  to: { versionId: string; content: QuestionContent };
  answer: AnswerValue;
  points: number;
  policy: MultipleChoicePolicy;
  aiAvailable: boolean;
  at: number;
}

const optionKeys = (c: QuestionContent) => ('options' in c ? c.options.map((o) => o.key).sort().join() : '');

/** Why the answer given to `from` cannot be graded against `to`, or null when it can. */
export function incompatibility(from: QuestionContent, to: QuestionContent, answer: AnswerValue): string | null {
  if (from.type !== to.type) return `the question type changed (${from.type} → ${to.type})`;
  if (optionKeys(from) !== optionKeys(to)) return 'the option keys changed';
  if (from.type === 'fill_blank' && to.type === 'fill_blank' && from.blanks.length !== to.blanks.length) return 'the number of blanks changed';
  if (validateAnswerShape(to, answer) !== true) return 'the stored answer does not fit the new version';
  return null;
}

/** What an AI or a person grades a short answer on (versions are stored canonical, so key order is stable). */
const shortAnswerBasis = (c: QuestionContent) => (c.type === 'short_answer' ? JSON.stringify([c.stem, c.referenceAnswer, c.rubric]) : '');

export function planRegrade(input: RegradeInput): RegradeStep {
  if (input.grade.grader === 'user') return { kind: 'kept_override' };
  const reason = incompatibility(input.from, input.to.content, input.answer);
  if (reason) return { kind: 'incompatible', reason };
  if (input.to.content.type === 'short_answer' && shortAnswerBasis(input.from) === shortAnswerBasis(input.to.content)) {
    return { kind: 'moved', patch: { version_id: input.to.versionId } };
  }
  const decided = decideGrade(input.to.content, input.answer, input.points, input.policy, input.aiAvailable, input.at);
  return { kind: 'regraded', patch: { ...decided, version_id: input.to.versionId }, requeued: decided.status !== 'graded' };
}
