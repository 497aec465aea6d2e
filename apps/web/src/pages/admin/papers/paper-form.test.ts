import { createPaperSchema, paperRuleSchema } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import {
  addItems,
  availabilityKey,
  emptyPaperForm,
  formOfPaper,
  moveTo,
  newRule,
  paperInput,
  paperProblems,
  paperTotals,
  ruleInput,
  ruleOfInput,
  ruleStatus,
  type PaperDetail,
} from './paper-form';

const BANK = '0190a000-0000-7000-8000-000000000001';
const Q = (n: number) => `0190a000-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`;

describe('random paper rules', () => {
  it('sends only the filters that are set, and 1–5 difficulty as "any"', () => {
    expect(ruleInput(newRule({ count: 10, pointsEach: 2 }))).toEqual({ bankIds: [], knowledgePoints: [], types: [], count: 10, pointsEach: 2 });
    const rule = newRule({ bankIds: [BANK], knowledgePoints: ['敏感个人信息'], types: ['single', 'multiple'], difficulty: [4, 2], count: 3, pointsEach: 1.234 });
    const input = ruleInput(rule);
    expect(input).toEqual({ bankIds: [BANK], knowledgePoints: ['敏感个人信息'], types: ['single', 'multiple'], difficultyMin: 2, difficultyMax: 4, count: 3, pointsEach: 1.23 });
    // What the server accepts, and back to the same form.
    expect(paperRuleSchema.safeParse(input).success).toBe(true);
    const again = ruleOfInput(input);
    expect({ ...again, uid: rule.uid }).toEqual({ ...rule, difficulty: [2, 4], pointsEach: 1.23 });
  });

  it('checks availability again when filters or counts change, not when points do', () => {
    const rules = [newRule({ count: 5 }), newRule({ types: ['true_false'] })];
    const key = availabilityKey(rules);
    expect(availabilityKey([{ ...rules[0]!, pointsEach: 9 }, rules[1]!])).toBe(key);
    expect(availabilityKey([{ ...rules[0]!, count: 6 }, rules[1]!])).not.toBe(key);
    expect(availabilityKey([rules[1]!, rules[0]!])).not.toBe(key); // order matters: earlier rules take first
  });

  it('shows each rule as checking, enough, short or unknown', () => {
    expect(ruleStatus(undefined, true)).toBe('checking');
    expect(ruleStatus(undefined, false)).toBe('unknown');
    expect(ruleStatus({ requested: 5, matching: 8, available: 5, ok: true }, false)).toBe('enough');
    expect(ruleStatus({ requested: 5, matching: 8, available: 3, ok: false }, false)).toBe('short');
  });

  it('totals questions and points', () => {
    const form = emptyPaperForm('random');
    form.rules = [newRule({ count: 10, pointsEach: 2 }), newRule({ count: 5, pointsEach: 0.5 })];
    expect(paperTotals(form)).toEqual({ questions: 15, points: 22.5 });
  });
});

describe('fixed papers', () => {
  it('adds picked questions once, reorders them and totals their points', () => {
    const form = emptyPaperForm('fixed');
    expect(addItems(form, [{ questionId: Q(1), stem: 'a', type: 'single', points: 2 }, { questionId: Q(2), stem: 'b', type: 'true_false', points: 2 }])).toBe(2);
    expect(addItems(form, [{ questionId: Q(2), stem: 'b', type: 'true_false', points: 5 }, { questionId: Q(3), stem: 'c', type: 'short_answer', points: 10 }])).toBe(1);
    moveTo(form.items, 2, 0);
    moveTo(form.items, 0, 9); // out of range: nothing
    expect(form.items.map((item) => item.stem)).toEqual(['c', 'a', 'b']);
    expect(paperTotals(form)).toEqual({ questions: 3, points: 14 });
  });

  it('builds the create request the server accepts', () => {
    const form = emptyPaperForm('fixed');
    form.title = '  期末考试 ';
    addItems(form, [{ questionId: Q(1), stem: 'a', type: 'single', points: 2.5 }]);
    const input = paperInput(form);
    expect(input).toEqual({ mode: 'fixed', title: '期末考试', description: '', items: [{ questionId: Q(1), points: 2.5 }] });
    expect(createPaperSchema.safeParse(input).success).toBe(true);

    const random = emptyPaperForm('random');
    random.title = '随机卷';
    expect(createPaperSchema.safeParse(paperInput(random)).success).toBe(true);
  });

  it('reads a stored paper back into the form', () => {
    const paper: PaperDetail = {
      id: 'p1',
      title: '卷一',
      description: '',
      mode: 'fixed',
      items: [{ questionId: Q(1), points: 3 }, { questionId: Q(2), points: 1 }],
      rules: null,
      questionCount: 2,
      totalPoints: 4,
      ownerId: 'u',
      ownerName: null,
      locked: false,
      createdAt: 1,
      updatedAt: 1,
      preview: [{ questionId: Q(2), versionId: 'v2', type: 'true_false', stem: '判断', difficulty: 1, points: 1 }],
    };
    const form = formOfPaper(paper);
    expect(form.items).toEqual([
      { questionId: Q(1), points: 3, stem: '', type: 'single' },
      { questionId: Q(2), points: 1, stem: '判断', type: 'true_false' },
    ]);
    expect(paperTotals(form).points).toBe(4);
  });
});

describe('paper problems', () => {
  it('lists what keeps a paper from being saved', () => {
    expect(paperProblems(emptyPaperForm('fixed'))).toEqual(['titleRequired', 'noQuestions']);
    const random = { ...emptyPaperForm('random'), title: 'x' };
    expect(paperProblems(random)).toEqual([]);
    random.rules[0]!.count = 0;
    random.rules[0]!.pointsEach = 0;
    expect(paperProblems(random)).toEqual(['countPositive', 'pointsPositive']);
    expect(paperProblems({ ...random, rules: [] })).toEqual(['noRules']);
  });
});
