import { paperRuleSchema, questionContentSchema, type QuestionType } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../questions/catalog.js';
import { optionOrderFor, orderQuestions, pickForRules, ruleFilter } from './attempt-plan.js';

const entries = (prefix: string, n: number, type: QuestionType = 'single'): CatalogEntry[] =>
  Array.from({ length: n }, (_, i) => ({ questionId: `${prefix}-${String(i).padStart(3, '0')}`, versionId: `v-${prefix}-${i}`, type, difficulty: 3 }));

const choice = questionContentSchema.parse({
  type: 'multiple',
  stem: '哪些属于敏感个人信息？',
  options: ['A', 'B', 'C', 'D', 'E', 'F'].map((key) => ({ key, text: `选项${key}` })),
  correct: ['A', 'C'],
});

describe('attempt plan (everything from the seed)', () => {
  const rules = [paperRuleSchema.parse({ count: 5, pointsEach: 2 }), paperRuleSchema.parse({ types: ['true_false'], count: 3, pointsEach: 1 })];
  const pool = [[...entries('s', 30), ...entries('t', 10, 'true_false')], entries('t', 10, 'true_false')];

  it('picks the same questions, order and option order for the same seed', () => {
    const a = pickForRules('seed-1', rules, pool)!;
    const b = pickForRules('seed-1', rules, pool)!;
    expect(a).toEqual(b);
    expect(orderQuestions('seed-1', a, true)).toEqual(orderQuestions('seed-1', b, true));
    expect(optionOrderFor('seed-1', 'q1', choice, true)).toEqual(optionOrderFor('seed-1', 'q1', choice, true));
  });

  it('gives each rule its count, points, and never the same question twice', () => {
    const picked = pickForRules('seed-2', rules, pool)!;
    expect(picked).toHaveLength(8);
    expect(new Set(picked.map((p) => p.questionId)).size).toBe(8);
    expect(picked.slice(5).every((p) => p.questionId.startsWith('t-') && p.points === 1)).toBe(true);
    expect(picked.slice(0, 5).every((p) => p.points === 2)).toBe(true);
    for (const p of picked) expect(p.versionId).toBe(`v-${p.questionId.replace(/-0*(\d)/, '-$1')}`);
  });

  it('varies between seeds', () => {
    const seen = new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(pickForRules(`s${i}`, rules, pool)!.map((p) => p.questionId))));
    expect(seen.size).toBeGreaterThan(15);
    const orders = new Set(Array.from({ length: 20 }, (_, i) => optionOrderFor(`s${i}`, 'q1', choice, true)!.join('')));
    expect(orders.size).toBeGreaterThan(10);
  });

  it('returns null when the bank cannot satisfy the rules', () => {
    expect(pickForRules('x', rules, [entries('s', 4), []])).toBeNull();
  });

  it('keeps order and options as they are when shuffling is off', () => {
    const list = [1, 2, 3, 4, 5];
    expect(orderQuestions('seed', list, false)).toEqual(list);
    expect(optionOrderFor('seed', 'q', choice, false)).toBeNull();
    const tf = questionContentSchema.parse({ type: 'true_false', stem: '对吗', correct: true });
    expect(optionOrderFor('seed', 'q', tf, true)).toBeNull();
  });

  it('maps a rule to a catalog filter without empty lists', () => {
    expect(ruleFilter(paperRuleSchema.parse({ count: 1, pointsEach: 1 }))).toEqual({});
    expect(ruleFilter(paperRuleSchema.parse({ count: 1, pointsEach: 1, types: ['single'], knowledgePoints: ['告知同意'], difficultyMin: 2, difficultyMax: 4 }))).toEqual({
      types: ['single'],
      knowledgePoints: ['告知同意'],
      difficultyMin: 2,
      difficultyMax: 4,
    });
  });
});
