import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerValue } from '@kpl/shared';
import { gradeObjective } from './grade-objective.js';
import { multiple, orderedBlanks, question, shortAnswer, single, trueFalse, unorderedBlanks } from './test-fixtures.js';
import type { GradeResult } from './types.js';

const blanksOf = (r: GradeResult) => r.detail.blanks ?? [];
const cents = (n: number) => Math.round(n * 100);

describe('single choice', () => {
  it('full points for the key, 0 for another or an unknown key', () => {
    expect(gradeObjective(single, 'B', 2)).toEqual({ status: 'graded', score: 2, maxScore: 2, correct: true, detail: { answered: true } });
    expect(gradeObjective(single, 'A', 2)).toMatchObject({ score: 0, correct: false, detail: { answered: true } });
    expect(gradeObjective(single, 'Z', 2)).toMatchObject({ score: 0, correct: false, detail: { answered: true } });
  });
});

describe('true / false', () => {
  it('grades both ways', () => {
    expect(gradeObjective(trueFalse, true, 1)).toMatchObject({ score: 1, correct: true });
    expect(gradeObjective(trueFalse, false, 1)).toMatchObject({ score: 0, correct: false, detail: { answered: true } });
    const falseKey = question({ type: 'true_false', stem: '可以默认勾选同意。', correct: false });
    expect(gradeObjective(falseKey, false, 1)).toMatchObject({ score: 1, correct: true });
    expect(gradeObjective(falseKey, true, 1)).toMatchObject({ score: 0, correct: false });
  });
});

describe('multiple choice', () => {
  it('all_or_nothing (default): only exactly the key scores', () => {
    expect(gradeObjective(multiple, ['D', 'A', 'C'], 4)).toMatchObject({ score: 4, correct: true, detail: { wrongChoices: [], missedChoices: [] } });
    expect(gradeObjective(multiple, ['A', 'C'], 4)).toMatchObject({ score: 0, correct: false, detail: { missedChoices: ['D'] } });
    expect(gradeObjective(multiple, ['A', 'C'], 4, { multipleChoice: 'all_or_nothing' }).score).toBe(0);
  });

  it('partial: share of the key chosen, rounded down to the cent', () => {
    const partial = { multipleChoice: 'partial' } as const;
    expect(gradeObjective(multiple, ['A', 'C'], 3, partial)).toMatchObject({ score: 2, correct: false, detail: { answered: true, missedChoices: ['D'] } });
    expect(gradeObjective(multiple, ['A'], 10, partial)).toMatchObject({ score: 3.33, correct: false });
    expect(gradeObjective(multiple, ['A', 'C'], 10, partial).score).toBe(6.66);
    expect(gradeObjective(multiple, ['A', 'C', 'D'], 10, partial)).toMatchObject({ score: 10, correct: true });
  });

  it('partial: any wrong choice gives 0', () => {
    const result = gradeObjective(multiple, ['A', 'C', 'B'], 3, { multipleChoice: 'partial' });
    expect(result).toMatchObject({ score: 0, correct: false, detail: { wrongChoices: ['B'], missedChoices: ['D'] } });
    expect(gradeObjective(multiple, ['A', 'B', 'C', 'D'], 3, { multipleChoice: 'partial' }).score).toBe(0);
  });
});

describe('fill in the blank, ordered', () => {
  it('forgives full-width forms, case, spaces and trailing punctuation; accepts alternatives', () => {
    const result = gradeObjective(orderedBlanks, ['《个人信息保护法》。', '２０２１', 'ｐｉｐｌ'], 3);
    expect(result).toMatchObject({ status: 'graded', score: 3, correct: true });
    expect(blanksOf(result).map((b) => b.correct)).toEqual([true, true, true]);
    expect(gradeObjective(orderedBlanks, ['个人信息 保护法', ' 2021 ', 'Pipl!'], 3).score).toBe(3);
    const abc = question({ type: 'fill_blank', stem: '____', blanks: [{ accepted: ['abc'] }] });
    expect(gradeObjective(abc, ['ＡＢＣ'], 1).score).toBe(1);
    const info = question({ type: 'fill_blank', stem: '____', blanks: [{ accepted: ['个人信息'] }] });
    expect(gradeObjective(info, ['个人信息。'], 1).score).toBe(1);
  });

  it('scores each blank by position, with details', () => {
    const result = gradeObjective(orderedBlanks, ['2021', '2021', 'PIPL'], 3);
    expect(result).toMatchObject({ score: 2, correct: false, detail: { answered: true } });
    expect(blanksOf(result)).toEqual([
      { given: '2021', correct: false, expected: ['个人信息保护法', '《个人信息保护法》'], score: 0 },
      { given: '2021', correct: true, expected: ['2021'], score: 1 },
      { given: 'PIPL', correct: true, expected: ['PIPL'], score: 1 },
    ]);
    // the right order, swapped, is wrong when order matters
    expect(gradeObjective(orderedBlanks, ['PIPL', '2021', '个人信息保护法'], 3).score).toBe(1);
  });

  it('splits points that do not divide evenly exactly: 10 over 3 blanks → 3.33 / 3.33 / 3.34', () => {
    const result = gradeObjective(orderedBlanks, ['个人信息保护法', '2021', 'PIPL'], 10);
    expect(blanksOf(result).map((b) => b.score)).toEqual([3.33, 3.33, 3.34]);
    expect(result.score).toBe(10);
    expect(blanksOf(result).reduce((sum, b) => sum + cents(b.score), 0)).toBe(1000);
    expect(gradeObjective(orderedBlanks, ['个人信息保护法', '2021', ''], 10).score).toBe(6.66);
    expect(gradeObjective(orderedBlanks, ['', '', 'PIPL'], 10).score).toBe(3.33);
  });

  it('treats a shorter answer list as unanswered trailing blanks', () => {
    const result = gradeObjective(orderedBlanks, ['个人信息保护法'], 3);
    expect(result.score).toBe(1);
    expect(blanksOf(result).map((b) => b.given)).toEqual(['个人信息保护法', '', '']);
  });
});

describe('fill in the blank, unordered', () => {
  it('accepts the answers in any order, with alternatives', () => {
    const result = gradeObjective(unorderedBlanks, ['必要性', '合法', '正当。'], 3);
    expect(result).toMatchObject({ score: 3, correct: true });
    expect(blanksOf(result).map((b) => b.expected)).toEqual([['必要', '必要性'], ['合法', '合法性'], ['正当']]);
  });

  it('lets a duplicate answer fill only one blank', () => {
    expect(gradeObjective(unorderedBlanks, ['合法', '合法', '合法'], 3).score).toBe(1);
    expect(gradeObjective(unorderedBlanks, ['合法', '合法性', '正当'], 3).score).toBe(2);
    // even when two blanks accept the same answer
    const twins = question({ type: 'fill_blank', stem: '____ ____', blanks: [{ accepted: ['甲', '乙'] }, { accepted: ['甲', '乙'] }], ordered: false });
    expect(gradeObjective(twins, ['甲', ' 甲。'], 2).score).toBe(1);
    expect(gradeObjective(twins, ['乙', '甲'], 2).score).toBe(2);
  });

  it('finds the best assignment, not the first one that fits', () => {
    const q = question({ type: 'fill_blank', stem: '____ ____', blanks: [{ accepted: ['甲', '乙'] }, { accepted: ['甲'] }], ordered: false });
    // a greedy first-fit pass would give '甲' blank 1 and leave no blank for '乙'
    const result = gradeObjective(q, ['甲', '乙'], 2);
    expect(result).toMatchObject({ score: 2, correct: true });
    expect(blanksOf(result).map((b) => b.expected)).toEqual([['甲'], ['甲', '乙']]);
    expect(gradeObjective(q, ['乙', '甲'], 2).score).toBe(2);
  });

  it('shows a wrong slot against a blank nobody filled', () => {
    const result = gradeObjective(unorderedBlanks, ['正当', '随意', ''], 3);
    expect(blanksOf(result)).toEqual([
      { given: '正当', correct: true, expected: ['正当'], score: 1 },
      { given: '随意', correct: false, expected: ['合法', '合法性'], score: 0 },
      { given: '', correct: false, expected: ['必要', '必要性'], score: 0 },
    ]);
  });
});

describe('short answer', () => {
  it('is pending when answered, graded 0 when empty', () => {
    expect(gradeObjective(shortAnswer, '应当告知并取得同意', 5)).toEqual({ status: 'pending', score: 0, maxScore: 5, detail: { answered: true } });
    expect(gradeObjective(shortAnswer, '  ', 5)).toEqual({ status: 'graded', score: 0, maxScore: 5, correct: false, detail: { answered: false } });
  });
});

describe('empty and malformed answers', () => {
  const cases: [string, Parameters<typeof gradeObjective>[0], AnswerValue][] = [
    ['single null', single, null], ['single empty', single, ''],
    ['multiple null', multiple, null], ['multiple []', multiple, []],
    ['true_false null', trueFalse, null],
    ['fill null', orderedBlanks, null], ['fill []', orderedBlanks, []], ["fill ['','']", orderedBlanks, ['', '']], ['fill blanks of spaces', unorderedBlanks, [' ', '\u3000']],
    ['short null', shortAnswer, null], ['short empty', shortAnswer, ''],
    // wrong kinds count as no answer instead of throwing
    ['single given a list', single, ['B']], ['true_false given a string', trueFalse, 'true'], ['fill given a string', orderedBlanks, '2021'],
    ['multiple given a string', multiple, 'A'],
  ];
  it.each(cases)('%s → 0, not correct, unanswered', (_name, content, answer) => {
    const result = gradeObjective(content, answer, 4, { multipleChoice: 'partial' });
    expect(result).toMatchObject({ status: 'graded', score: 0, maxScore: 4, correct: false, detail: { answered: false } });
  });
});

describe('points', () => {
  it('rejects points that are negative or not finite', () => {
    expect(() => gradeObjective(single, 'B', -1)).toThrow(RangeError);
    expect(() => gradeObjective(single, 'B', Number.NaN)).toThrow(RangeError);
  });

  it('keeps scores at 2 decimals, exact when all right, never above the exact share (property)', () => {
    const blankCount = fc.integer({ min: 1, max: 20 });
    const pointsInCents = fc.integer({ min: 0, max: 100_000 });
    fc.assert(
      fc.property(blankCount, pointsInCents, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (n, p, rightMask) => {
        const points = p / 100;
        const q = question({ type: 'fill_blank', stem: '____', blanks: Array.from({ length: n }, (_, i) => ({ accepted: [`答案${i}`] })) });
        const answer = Array.from({ length: n }, (_, i) => (rightMask[i] ? `答案${i}` : '错'));
        const result = gradeObjective(q, answer, points);
        const blankCents = blanksOf(result).map((b) => cents(b.score));
        const right = rightMask.slice(0, n).filter(Boolean).length;
        expect(Number(result.score.toFixed(2))).toBe(result.score);
        for (const b of blanksOf(result)) expect(Number(b.score.toFixed(2))).toBe(b.score);
        expect(blankCents.reduce((a, b) => a + b, 0)).toBe(cents(result.score));
        expect(cents(result.score)).toBeLessThanOrEqual((p * right) / n + 1e-9);
        expect(p * right / n - cents(result.score)).toBeLessThan(1);
        if (right === n) expect(result.score).toBe(points);
      }),
    );
  });
});
