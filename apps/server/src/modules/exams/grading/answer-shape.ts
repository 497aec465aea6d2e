import type { AnswerValue, QuestionContent } from '@kpl/shared';

/**
 * Whether a submitted answer fits its question — the save endpoint answers 400 otherwise. Rules:
 *
 * - `null` clears an answer and always fits. So does the empty form of the type's own kind
 *   (`''` for single and short_answer, `[]` for multiple and fill_blank): it counts as no answer.
 * - single: one of the question's option keys (`'A'`), exactly as written (no `'a'`).
 * - multiple: distinct option keys of the question (`['A', 'C']`).
 * - true_false: a boolean.
 * - fill_blank: one string per blank, at most 2,000 characters each. A shorter array is allowed:
 *   the missing trailing blanks are unanswered (the learner may save before filling them all).
 *   A longer array is rejected.
 * - short_answer: a string of at most 20,000 characters.
 */

export type AnswerShapeReason = 'wrong_kind' | 'unknown_option' | 'duplicate_option' | 'too_many_blanks' | 'too_long';

export interface AnswerShapeProblem {
  reason: AnswerShapeReason;
  /** For logs and error details (English; the UI maps `reason`). */
  message: string;
}

export const MAX_BLANK_ANSWER_LENGTH = 2_000;
export const MAX_SHORT_ANSWER_LENGTH = 20_000;

const problem = (reason: AnswerShapeReason, message: string): AnswerShapeProblem => ({ reason, message });

/** True when the answer fits, otherwise what is wrong. Accepts any value so it is safe on raw input. */
export function validateAnswerShape(content: QuestionContent, answer: unknown): true | AnswerShapeProblem {
  if (answer === null) return true;
  switch (content.type) {
    case 'single': {
      if (typeof answer !== 'string') return problem('wrong_kind', 'A single-choice answer is one option key');
      if (answer === '' || content.options.some((o) => o.key === answer)) return true;
      return problem('unknown_option', `"${answer.slice(0, 20)}" is not an option of this question`);
    }
    case 'multiple': {
      if (!isStringArray(answer)) return problem('wrong_kind', 'A multiple-choice answer is a list of option keys');
      const keys = new Set<string>(content.options.map((o) => o.key));
      const unknown = answer.find((k) => !keys.has(k));
      if (unknown !== undefined) return problem('unknown_option', `"${unknown.slice(0, 20)}" is not an option of this question`);
      if (new Set(answer).size !== answer.length) return problem('duplicate_option', 'An option is chosen twice');
      return true;
    }
    case 'true_false':
      return typeof answer === 'boolean' ? true : problem('wrong_kind', 'A true/false answer is a boolean');
    case 'fill_blank': {
      if (!isStringArray(answer)) return problem('wrong_kind', 'A fill-in-the-blank answer is a list of strings, one per blank');
      if (answer.length > content.blanks.length) {
        return problem('too_many_blanks', `${answer.length} answers for ${content.blanks.length} blanks`);
      }
      if (answer.some((s) => s.length > MAX_BLANK_ANSWER_LENGTH)) {
        return problem('too_long', `A blank's answer is longer than ${MAX_BLANK_ANSWER_LENGTH} characters`);
      }
      return true;
    }
    case 'short_answer': {
      if (typeof answer !== 'string') return problem('wrong_kind', 'A short answer is text');
      if (answer.length > MAX_SHORT_ANSWER_LENGTH) return problem('too_long', `The answer is longer than ${MAX_SHORT_ANSWER_LENGTH} characters`);
      return true;
    }
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Whether anything was given: not null, '', [], whitespace, or a list of only empty strings. Any type. */
export function isAnswered(answer: AnswerValue): boolean {
  if (answer === null) return false;
  if (typeof answer === 'boolean') return true;
  if (typeof answer === 'string') return answer.trim() !== '';
  return answer.some((s) => s.trim() !== '');
}
