import { describe, expect, it } from 'vitest';
import { questionViewSchema } from '@kpl/shared';
import { gradeObjective } from './grade-objective.js';
import { multiple, orderedBlanks, shortAnswer, single, trueFalse } from './test-fixtures.js';
import { toQuestionView, toReviewView } from './views.js';

describe('toQuestionView', () => {
  it('shows options in the given order and nothing of the key', () => {
    const view = toQuestionView(single, 'v1', 2, ['C', 'A', 'D', 'B']);
    expect(questionViewSchema.strict().parse(view)).toEqual(view);
    expect(view).toEqual({
      versionId: 'v1',
      type: 'single',
      stem: single.stem,
      points: 2,
      options: [{ key: 'C', text: '选项C' }, { key: 'A', text: '选项A' }, { key: 'D', text: '选项D' }, { key: 'B', text: '选项B' }],
    });
    const text = JSON.stringify(toQuestionView({ ...single, source: { materialId: 'm', chunkId: 'c', quote: '原文' } }, 'v1', 2));
    for (const secret of ['correct', 'explanation', '见第一条', 'source', '原文', 'knowledgePoints']) expect(text).not.toContain(secret);
  });

  it('never hides an option when the order is stale', () => {
    const view = toQuestionView(multiple, 'v2', 3, ['D', 'Z' as never, 'D', 'B']);
    expect(view.options?.map((o) => o.key)).toEqual(['D', 'B', 'A', 'C']);
  });

  it('gives the blank count for fill-in-the-blank and no options for other types', () => {
    expect(toQuestionView(orderedBlanks, 'v3', 3)).toEqual({ versionId: 'v3', type: 'fill_blank', stem: orderedBlanks.stem, points: 3, blankCount: 3 });
    expect(toQuestionView(trueFalse, 'v4', 1)).toEqual({ versionId: 'v4', type: 'true_false', stem: trueFalse.stem, points: 1 });
    const shortView = toQuestionView(shortAnswer, 'v5', 5);
    expect(JSON.stringify(shortView)).not.toContain(shortAnswer.referenceAnswer);
    expect(questionViewSchema.strict().parse(shortView)).toEqual(shortView);
  });
});

describe('toReviewView', () => {
  it('adds the key, explanation and result to what the learner answered', () => {
    const result = gradeObjective(single, 'A', 2);
    expect(toReviewView(single, 'A', result, ['B', 'A', 'C', 'D'])).toMatchObject({
      type: 'single',
      answer: 'A',
      result: { score: 0, correct: false },
      key: { correctOptions: ['B'] },
      explanation: '见第一条',
      knowledgePoints: ['个人信息保护'],
    });
    expect(toReviewView(single, 'A', result, ['B', 'A', 'C', 'D']).options?.[0]?.key).toBe('B');
  });

  it('shows each type’s key', () => {
    expect(toReviewView(trueFalse, true, gradeObjective(trueFalse, true, 1)).key).toEqual({ correctValue: true });
    expect(toReviewView(orderedBlanks, null, gradeObjective(orderedBlanks, null, 3))).toMatchObject({
      blankCount: 3,
      key: { blanks: [['个人信息保护法', '《个人信息保护法》'], ['2021'], ['PIPL']], ordered: true },
    });
    expect(toReviewView(shortAnswer, '告知', gradeObjective(shortAnswer, '告知', 5)).key).toMatchObject({
      referenceAnswer: shortAnswer.referenceAnswer,
      rubric: [{ point: '告知' }, { point: '同意' }],
    });
  });

  it('returns copies, so changing the review cannot change the pinned content', () => {
    const review = toReviewView(multiple, ['A'], gradeObjective(multiple, ['A'], 3));
    review.key.correctOptions?.push('B');
    const first = review.options?.[0];
    if (first) first.text = 'changed';
    expect(multiple.correct).toEqual(['A', 'C', 'D']);
    expect(multiple.options[0]?.text).toBe('选项A');
  });
});
