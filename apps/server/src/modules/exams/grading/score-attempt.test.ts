import { describe, expect, it } from 'vitest';
import { gradeObjective } from './grade-objective.js';
import { scoreAttempt, type ScoredItem } from './score-attempt.js';
import { multiple, orderedBlanks, shortAnswer, single, trueFalse } from './test-fixtures.js';
import type { GradeResult } from './types.js';

// knowledge points: single → 个人信息保护; multiple → 个人信息保护 + 敏感信息; trueFalse → 合规基础; orderedBlanks → 个人信息保护
const objectiveItems: ScoredItem[] = [
  { content: single, result: gradeObjective(single, 'B', 2) }, // 2 / 2
  { content: multiple, result: gradeObjective(multiple, ['A', 'C'], 3, { multipleChoice: 'partial' }) }, // 2 / 3
  { content: trueFalse, result: gradeObjective(trueFalse, false, 1) }, // 0 / 1
  { content: orderedBlanks, result: gradeObjective(orderedBlanks, ['个人信息保护法', '2021', ''], 10) }, // 6.66 / 10
];

describe('scoreAttempt', () => {
  it('totals score, max and percent exactly', () => {
    const s = scoreAttempt(objectiveItems, 60);
    expect(s).toMatchObject({ score: 10.66, maxScore: 16, percent: 66.62, questions: 4, correct: 1, pending: 0, passed: true });
    expect(scoreAttempt(objectiveItems, 66.63).passed).toBe(false);
    expect(scoreAttempt(objectiveItems, 66.62).passed).toBe(true);
  });

  it('breaks the score down per knowledge point (a question counts towards each of its points) and per type', () => {
    const s = scoreAttempt(objectiveItems);
    expect(s.byKnowledgePoint).toEqual([
      { knowledgePoint: '个人信息保护', score: 10.66, maxScore: 15, percent: 71.06, questions: 3, correct: 1, pending: 0 },
      { knowledgePoint: '敏感信息', score: 2, maxScore: 3, percent: 66.66, questions: 1, correct: 0, pending: 0 },
      { knowledgePoint: '合规基础', score: 0, maxScore: 1, percent: 0, questions: 1, correct: 0, pending: 0 },
    ]);
    expect(s.byType.map((t) => [t.type, t.score, t.maxScore])).toEqual([
      ['single', 2, 2],
      ['multiple', 2, 3],
      ['true_false', 0, 1],
      ['fill_blank', 6.66, 10],
    ]);
  });

  it('counts pending short answers and decides pass/fail only once they are graded', () => {
    const pending = { content: shortAnswer, result: gradeObjective(shortAnswer, '应当告知并取得同意', 4) };
    const s = scoreAttempt([...objectiveItems, pending], 50);
    expect(s).toMatchObject({ score: 10.66, maxScore: 20, pending: 1, passed: null });
    expect(s.byType.at(-1)).toMatchObject({ type: 'short_answer', pending: 1, score: 0, maxScore: 4 });

    const graded: GradeResult = { status: 'graded', score: 4, maxScore: 4, correct: true, detail: { answered: true } };
    expect(scoreAttempt([...objectiveItems, { content: shortAnswer, result: graded }], 50)).toMatchObject({
      score: 14.66, maxScore: 20, percent: 73.3, pending: 0, correct: 2, passed: true,
    });
  });

  it('sums many fractional scores without drift', () => {
    const items = Array.from({ length: 30 }, () => ({ content: single, result: gradeObjective(single, 'B', 0.1) }));
    expect(scoreAttempt(items)).toMatchObject({ score: 3, maxScore: 3, percent: 100 });
  });

  it('handles an empty attempt, no pass mark, and rejects a pass mark outside 0–100', () => {
    expect(scoreAttempt([], 60)).toMatchObject({ score: 0, maxScore: 0, percent: 0, passed: false, byType: [], byKnowledgePoint: [] });
    expect(scoreAttempt(objectiveItems).passed).toBeNull();
    expect(() => scoreAttempt(objectiveItems, 101)).toThrow(RangeError);
    expect(() => scoreAttempt(objectiveItems, Number.NaN)).toThrow(RangeError);
  });
});
