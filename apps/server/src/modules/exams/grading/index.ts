/**
 * Objective grading for exams: a pure library (no database, no HTTP, no AI). Validates answer
 * shapes, grades single / multiple / true_false / fill_blank answers, totals an attempt, shapes
 * the learner's and the review views, and provides seeded shuffling for reproducible attempts.
 * Short answers come back `pending`: AI or manual grading happens elsewhere.
 */
export { validateAnswerShape, isAnswered, MAX_BLANK_ANSWER_LENGTH, MAX_SHORT_ANSWER_LENGTH } from './answer-shape.js';
export type { AnswerShapeProblem, AnswerShapeReason } from './answer-shape.js';
export { normaliseText } from './normalise-text.js';
export { gradeObjective } from './grade-objective.js';
export { matchUnorderedBlanks } from './match-blanks.js';
export { scoreAttempt, type AttemptScore, type ScoreBucket, type ScoredItem } from './score-attempt.js';
export { createRng, shuffle, pickRandom, shuffledOptions, type Rng } from './random.js';
export { toQuestionView, toReviewView, type QuestionKey, type QuestionReview } from './views.js';
export { round2 } from './cents.js';
export {
  MULTIPLE_CHOICE_POLICIES,
  type MultipleChoicePolicy,
  type GradingPolicy,
  type GradeResult,
  type GradedResult,
  type PendingResult,
  type GradeDetail,
  type BlankResult,
} from './types.js';
