import type { AnswerValue, OptionKey, QuestionContent, QuestionOption, QuestionView, RubricPoint } from '@kpl/shared';
import type { GradeResult } from './types.js';

/**
 * Options in the given display order. An order that does not list every option exactly once
 * (a stale order after a key edit) cannot hide options: the listed ones come first, then the
 * rest in their original order.
 */
function orderOptions(options: readonly QuestionOption[], order: readonly OptionKey[] | undefined): QuestionOption[] {
  if (!order) return options.map((o) => ({ ...o }));
  const byKey = new Map(options.map((o) => [o.key, o]));
  const listed = [...new Set(order)].flatMap((k) => {
    const o = byKey.get(k);
    return o ? [{ ...o }] : [];
  });
  const listedKeys = new Set(listed.map((o) => o.key));
  return [...listed, ...options.filter((o) => !listedKeys.has(o.key)).map((o) => ({ ...o }))];
}

/** What a learner sees while answering: no key, explanation, source, tags or knowledge points. */
export function toQuestionView(
  content: QuestionContent,
  versionId: string,
  points: number,
  optionOrder?: readonly OptionKey[],
): QuestionView {
  const view: QuestionView = { versionId, type: content.type, stem: content.stem, points };
  if (content.type === 'single' || content.type === 'multiple') view.options = orderOptions(content.options, optionOrder);
  if (content.type === 'fill_blank') view.blankCount = content.blanks.length;
  return view;
}

/** The key of a question as shown on a results page. */
export interface QuestionKey {
  /** single / multiple: the correct option keys. */
  correctOptions?: OptionKey[];
  /** true_false */
  correctValue?: boolean;
  /** fill_blank: the accepted answers of each blank, and whether the order matters. */
  blanks?: string[][];
  ordered?: boolean;
  /** short_answer */
  referenceAnswer?: string;
  rubric?: RubricPoint[];
}

/** A question on a results page: the learner's answer, the result, and the key with its explanation. */
export interface QuestionReview {
  type: QuestionContent['type'];
  stem: string;
  options?: QuestionOption[];
  blankCount?: number;
  answer: AnswerValue;
  result: GradeResult;
  key: QuestionKey;
  explanation: string;
  knowledgePoints: string[];
}

/**
 * The review of one answered question, for results pages when the paper allows showing keys.
 * Whether it is allowed is the caller's decision; this only shapes the data. Options keep the
 * order the learner saw when `optionOrder` is given.
 */
export function toReviewView(
  content: QuestionContent,
  answer: AnswerValue,
  result: GradeResult,
  optionOrder?: readonly OptionKey[],
): QuestionReview {
  const review: QuestionReview = {
    type: content.type,
    stem: content.stem,
    answer,
    result,
    key: keyOf(content),
    explanation: content.explanation,
    knowledgePoints: [...content.knowledgePoints],
  };
  if (content.type === 'single' || content.type === 'multiple') review.options = orderOptions(content.options, optionOrder);
  if (content.type === 'fill_blank') review.blankCount = content.blanks.length;
  return review;
}

function keyOf(content: QuestionContent): QuestionKey {
  switch (content.type) {
    case 'single':
    case 'multiple':
      return { correctOptions: [...content.correct] };
    case 'true_false':
      return { correctValue: content.correct };
    case 'fill_blank':
      return { blanks: content.blanks.map((b) => [...b.accepted]), ordered: content.ordered };
    case 'short_answer':
      return { referenceAnswer: content.referenceAnswer, rubric: content.rubric.map((r) => ({ ...r, keywords: [...r.keywords] })) };
  }
}
