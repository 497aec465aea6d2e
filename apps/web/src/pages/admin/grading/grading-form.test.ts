import { describe, expect, it } from 'vitest';
import { clampScore, confidenceLevel, initialPointScores, rubricLines, rubricMaxes, suggestedComment, totalOf } from './grading-form';

const RUBRIC = [
  { point: '特定目的和充分必要性', weight: 2, keywords: ['特定目的'] },
  { point: '严格保护措施', weight: 1, keywords: ['保护措施'] },
  { point: '单独同意', weight: 1, keywords: ['单独同意'] },
];

describe('grading form', () => {
  it('splits the points by weight and keeps the total exact', () => {
    expect(rubricMaxes(RUBRIC, 10)).toEqual([5, 2.5, 2.5]);
    const thirds = rubricMaxes([{ weight: 1 }, { weight: 1 }, { weight: 1 }], 10);
    expect(thirds).toEqual([3.33, 3.33, 3.34]);
    expect(rubricMaxes([], 10)).toEqual([]);
  });

  it('starts from the AI suggestion per point, clamped to each point', () => {
    const ai = {
      score: 7,
      confidence: 0.42,
      explanation: ' 提到了特定目的和单独同意，未提保护措施。 ',
      points: [
        { index: 0, awarded: 5, max: 5, found: ['特定目的'], missed: [], comment: '' },
        { index: 2, awarded: 9, max: 2.5, found: ['单独同意'], missed: [], comment: '' },
      ],
    };
    const lines = rubricLines(RUBRIC, 10, ai);
    expect(lines.map((l) => l.max)).toEqual([5, 2.5, 2.5]);
    expect(lines[1]!.ai).toBeNull();
    const scores = initialPointScores(lines);
    expect(scores).toEqual([5, 0, 2.5]);
    expect(totalOf(scores, 10)).toBe(7.5);
    expect(suggestedComment(ai)).toBe('提到了特定目的和单独同意，未提保护措施。');
    expect(confidenceLevel(ai.confidence)).toBe('low');
  });

  it('without AI, starts at zero', () => {
    const lines = rubricLines(RUBRIC, 10, null);
    expect(initialPointScores(lines)).toEqual([0, 0, 0]);
    expect(suggestedComment(null)).toBe('');
  });

  it('never totals above the question or below zero', () => {
    expect(totalOf([6, 6], 10)).toBe(10);
    expect(totalOf([Number.NaN, 1.005], 10)).toBe(1);
    expect(clampScore(-1, 5)).toBe(0);
    expect(confidenceLevel(0.8)).toBe('high');
    expect(confidenceLevel(0.5)).toBe('medium');
  });
});
