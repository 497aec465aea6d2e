import type { AnswerValue, QuestionContent } from '@kpl/shared';
import { isAnswered } from './answer-shape.js';
import { fromCents, pointsToCents, shareCents } from './cents.js';
import { matchUnorderedBlanks } from './match-blanks.js';
import { normaliseText } from './normalise-text.js';
import type { BlankResult, GradeDetail, GradeResult, GradedResult, GradingPolicy } from './types.js';

/**
 * Grades a question that has an objective key. Scores have at most 2 decimals (points are taken
 * to the cent); `correct` means full marks.
 *
 * - single, true_false: all or nothing.
 * - multiple, `all_or_nothing` (default): full points only for exactly the key's options.
 * - multiple, `partial`: any wrong choice → 0; otherwise points × chosen-correct / key-size,
 *   rounded down to the cent (2 of 3 keys on 3 points → 2; on 10 points → 6.66).
 * - fill_blank: each blank is worth points / blanks. Partial credit for k right blanks is
 *   points × k / blanks rounded down to the cent; each right blank's `score` is what it added,
 *   so blank scores always sum to the question's score, and to exactly `points` when all are
 *   right (10 points over 3 blanks: 3.33 + 3.33 + 3.34). Answers compare after `normaliseText`;
 *   unordered blanks use the best assignment (`matchUnorderedBlanks`).
 * - short_answer: `pending` (AI or manual grading happens elsewhere), except an empty answer,
 *   which is graded 0 at once — there is nothing to grade.
 *
 * No answer (null, '', [], only empty strings) scores 0 with `detail.answered: false`. Grading
 * never throws on an answer of the wrong kind (a key corrected into another type, old data): it
 * counts as no answer. The save endpoint rejects such answers first with `validateAnswerShape`.
 */
export function gradeObjective(
  content: QuestionContent,
  answer: AnswerValue,
  points: number,
  policy: GradingPolicy = {},
): GradeResult {
  const max = pointsToCents(points);
  switch (content.type) {
    case 'single': {
      if (typeof answer !== 'string' || answer === '') return unanswered(max);
      const correct = answer === content.correct[0];
      return graded(correct ? max : 0, max, correct, { answered: true });
    }
    case 'true_false': {
      if (typeof answer !== 'boolean') return unanswered(max);
      const correct = answer === content.correct;
      return graded(correct ? max : 0, max, correct, { answered: true });
    }
    case 'multiple':
      return gradeMultiple(content.correct, answer, max, policy);
    case 'fill_blank':
      return gradeFillBlank(content.blanks, content.ordered, answer, max);
    case 'short_answer':
      return isAnswered(answer)
        ? { status: 'pending', score: 0, maxScore: fromCents(max), detail: { answered: true } }
        : unanswered(max);
  }
}

function graded(scoreCents: number, maxCents: number, correct: boolean, detail: GradeDetail): GradedResult {
  return { status: 'graded', score: fromCents(scoreCents), maxScore: fromCents(maxCents), correct, detail };
}

const unanswered = (maxCents: number): GradedResult => graded(0, maxCents, false, { answered: false });

function gradeMultiple(key: readonly string[], answer: AnswerValue, max: number, policy: GradingPolicy): GradedResult {
  const chosen = new Set(Array.isArray(answer) ? answer.filter((k) => k !== '') : []);
  if (chosen.size === 0) return unanswered(max);
  const keySet = new Set(key);
  const wrongChoices = [...chosen].filter((k) => !keySet.has(k));
  const missedChoices = [...keySet].filter((k) => !chosen.has(k));
  const right = keySet.size - missedChoices.length;
  const correct = wrongChoices.length === 0 && missedChoices.length === 0;

  let score: number;
  if (wrongChoices.length > 0) score = 0;
  else if (policy.multipleChoice === 'partial') score = shareCents(max, right, keySet.size);
  else score = correct ? max : 0;
  return graded(score, max, correct, { answered: true, wrongChoices, missedChoices });
}

function gradeFillBlank(
  blanks: readonly { accepted: string[] }[],
  ordered: boolean,
  answer: AnswerValue,
  max: number,
): GradedResult {
  // One slot per blank; answers beyond the blank count are ignored, missing ones are empty.
  const given = blanks.map((_, i) => (Array.isArray(answer) ? (answer[i] ?? '') : ''));
  const normalised = given.map(normaliseText);
  const accepted = blanks.map((b) => new Set(b.accepted.map(normaliseText)));

  // Which blank each slot fills (null = wrong or empty).
  const filled = ordered
    ? normalised.map((text, i) => (text !== '' && accepted[i]?.has(text) ? i : null))
    : matchUnorderedBlanks(normalised, accepted);
  // A wrong unordered slot is shown against a blank nobody filled, so the review lists what was missing.
  const unfilled = blanks.map((_, i) => i).filter((b) => !filled.includes(b));
  const compared = filled.map((b, slot) => (ordered ? slot : (b ?? unfilled.shift() ?? slot)));

  let right = 0;
  const results: BlankResult[] = given.map((text, slot) => {
    const correct = filled[slot] !== null;
    const expected = blanks[compared[slot] ?? slot]?.accepted ?? [];
    if (!correct) return { given: text, correct, expected: [...expected], score: 0 };
    right += 1;
    const score = shareCents(max, right, blanks.length) - shareCents(max, right - 1, blanks.length);
    return { given: text, correct, expected: [...expected], score: fromCents(score) };
  });
  return graded(shareCents(max, right, blanks.length), max, right === blanks.length, {
    answered: isAnswered(given),
    blanks: results,
  });
}
