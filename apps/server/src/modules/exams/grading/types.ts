/** How a multiple-choice question with several keys is scored (see `gradeObjective`). */
export const MULTIPLE_CHOICE_POLICIES = ['all_or_nothing', 'partial'] as const;
export type MultipleChoicePolicy = (typeof MULTIPLE_CHOICE_POLICIES)[number];

/** Scoring rules chosen per paper. */
export interface GradingPolicy {
  /** Default `all_or_nothing`. */
  multipleChoice?: MultipleChoicePolicy;
}

/** One blank of a fill-in-the-blank question as graded. `score` values of all blanks sum to the question's score. */
export interface BlankResult {
  /** What the learner wrote in this slot, as typed ('' when left empty). */
  given: string;
  correct: boolean;
  /** The accepted answers of the blank this slot was matched (or, when wrong, compared) to. */
  expected: string[];
  score: number;
}

export interface GradeDetail {
  /** False when nothing was given (null, '', [], only empty strings). */
  answered: boolean;
  /** multiple: chosen keys that are not in the key. */
  wrongChoices?: string[];
  /** multiple: keys the learner did not choose. */
  missedChoices?: string[];
  /** fill_blank: one entry per blank, in the order the learner filled them. */
  blanks?: BlankResult[];
}

export interface GradedResult {
  status: 'graded';
  /** At most 2 decimals. */
  score: number;
  maxScore: number;
  /** Full marks. */
  correct: boolean;
  detail: GradeDetail;
}

/** A short answer awaiting AI or manual grading. */
export interface PendingResult {
  status: 'pending';
  score: 0;
  maxScore: number;
  detail: GradeDetail;
}

export type GradeResult = GradedResult | PendingResult;
