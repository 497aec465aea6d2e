import { questionContentSchema, type QuestionContent } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import {
  addOption,
  changeType,
  contentOfForm,
  countBlankMarkers,
  emptyQuestionForm,
  formOfContent,
  moveItem,
  removeOption,
  rubricShares,
  toggleCorrect,
  type QuestionForm,
} from './question-form';

const SOURCE = { materialId: 'm1', chunkId: 'c1', quote: '处理敏感个人信息应当取得个人的单独同意' };

/** One valid question of every type, as the server would return it. */
const SAMPLES: QuestionContent[] = [
  questionContentSchema.parse({
    type: 'single',
    stem: '《个人信息保护法》自何时起施行？',
    options: [
      { key: 'A', text: '2021年11月1日' },
      { key: 'B', text: '2021年9月1日' },
      { key: 'C', text: '2022年1月1日' },
    ],
    correct: ['A'],
    difficulty: 2,
    knowledgePoints: ['施行日期'],
    tags: ['法条'],
  }),
  questionContentSchema.parse({
    type: 'multiple',
    stem: '下列哪些属于敏感个人信息？',
    options: [
      { key: 'A', text: '生物识别' },
      { key: 'B', text: '宗教信仰' },
      { key: 'C', text: '姓名' },
      { key: 'D', text: '医疗健康' },
    ],
    correct: ['A', 'B', 'D'],
    source: SOURCE,
  }),
  questionContentSchema.parse({ type: 'true_false', stem: '处理个人信息可以不告知个人。', correct: false, explanation: '应当告知。' }),
  questionContentSchema.parse({
    type: 'fill_blank',
    stem: '不满____周岁未成年人的个人信息属于____。',
    blanks: [{ accepted: ['十四', '14'] }, { accepted: ['敏感个人信息'] }],
    ordered: true,
  }),
  questionContentSchema.parse({
    type: 'short_answer',
    stem: '简述处理敏感个人信息的条件。',
    referenceAnswer: '具有特定目的和充分必要性，并采取严格保护措施，取得单独同意。',
    rubric: [
      { point: '特定目的和充分必要性', weight: 2, keywords: ['特定目的', '必要性'] },
      { point: '严格保护措施', weight: 1, keywords: ['保护措施'] },
      { point: '单独同意', weight: 1, keywords: ['单独同意'] },
    ],
  }),
];

describe('question form ⇄ content', () => {
  it.each(SAMPLES.map((content) => [content.type, content] as const))('%s survives a round trip unchanged', (_type, content) => {
    const check = contentOfForm(formOfContent(content));
    expect(check).toEqual({ ok: true, content });
  });

  it('trims text and drops empty or repeated list entries', () => {
    const form = formOfContent(SAMPLES[3]!);
    form.stem = `  ${form.stem}  `;
    form.tags = [' 法条 ', '法条', ''];
    form.blanks[0]!.accepted = ['十四', ' 14 ', '14', ''];
    const check = contentOfForm(form);
    expect(check.ok).toBe(true);
    if (!check.ok || check.content.type !== 'fill_blank') return;
    expect(check.content.stem).toBe(SAMPLES[3]!.stem);
    expect(check.content.tags).toEqual(['法条']);
    expect(check.content.blanks[0]!.accepted).toEqual(['十四', '14']);
  });

  it('orders the keys of a multiple-choice question by letter', () => {
    const form = formOfContent(SAMPLES[1]!);
    form.correct = ['D', 'A'];
    const check = contentOfForm(form);
    expect(check.ok && check.content.type === 'multiple' && check.content.correct).toEqual(['A', 'D']);
  });
});

describe('question form problems', () => {
  const problemsOf = (form: QuestionForm) => {
    const check = contentOfForm(form);
    return check.ok ? [] : check.problems;
  };

  it('an empty choice question needs a stem, option texts and a key', () => {
    const problems = problemsOf(emptyQuestionForm('single'));
    expect(problems).toContainEqual({ field: 'stem', reason: 'required' });
    expect(problems).toContainEqual({ field: 'options', index: 0, reason: 'required' });
    expect(problems).toContainEqual({ field: 'correct', reason: 'chooseKey' });
  });

  it('flags repeated options and a single-choice question with two keys', () => {
    const form = formOfContent(SAMPLES[0]!);
    form.options[2]!.text = form.options[0]!.text;
    form.correct = ['A', 'B'];
    const problems = problemsOf(form);
    expect(problems).toContainEqual({ field: 'options', index: 2, reason: 'duplicateOption' });
    expect(problems).toContainEqual({ field: 'correct', reason: 'chooseOneKey' });
  });

  it('true/false needs an answer; blanks need accepted answers; rubric points need text and weight', () => {
    expect(problemsOf({ ...formOfContent(SAMPLES[2]!), truth: null })).toContainEqual({ field: 'truth', reason: 'chooseKey' });

    const blanks = formOfContent(SAMPLES[3]!);
    blanks.blanks.push({ accepted: ['  '] });
    expect(problemsOf(blanks)).toEqual([{ field: 'blanks', index: 2, reason: 'acceptedRequired' }]);

    const short = formOfContent(SAMPLES[4]!);
    short.rubric[1]!.point = '';
    short.rubric[2]!.weight = 0;
    short.referenceAnswer = ' ';
    const problems = problemsOf(short);
    expect(problems).toContainEqual({ field: 'rubric', index: 1, reason: 'required' });
    expect(problems).toContainEqual({ field: 'rubric', index: 2, reason: 'weight' });
    expect(problems).toContainEqual({ field: 'referenceAnswer', reason: 'required' });
  });
});

describe('question form edits', () => {
  it('removing an option relabels the later ones and the key follows its option', () => {
    const form = formOfContent(SAMPLES[1]!); // A B C D, key A B D
    removeOption(form, 1); // drop 宗教信仰 (B)
    expect(form.options.map((o) => `${o.key}:${o.text}`)).toEqual(['A:生物识别', 'B:姓名', 'C:医疗健康']);
    expect(form.correct).toEqual(['A', 'C']);
  });

  it('keeps between two and eight options', () => {
    const form = emptyQuestionForm('single');
    for (let i = 0; i < 10; i++) addOption(form);
    expect(form.options.map((o) => o.key).join('')).toBe('ABCDEFGH');
    for (let i = 0; i < 10; i++) removeOption(form, 0);
    expect(form.options.map((o) => o.key)).toEqual(['A', 'B']);
  });

  it('single keeps one key, multiple toggles keys in letter order', () => {
    const form = emptyQuestionForm('multiple');
    toggleCorrect(form, 'C');
    toggleCorrect(form, 'A');
    expect(form.correct).toEqual(['A', 'C']);
    toggleCorrect(form, 'C');
    expect(form.correct).toEqual(['A']);
    const single = changeType({ ...form, correct: ['A', 'C'] }, 'single');
    expect(single.correct).toEqual(['A']);
    toggleCorrect(single, 'B');
    expect(single.correct).toEqual(['B']);
  });

  it('changing the type keeps the stem and metadata', () => {
    const form = changeType(formOfContent(SAMPLES[0]!), 'true_false');
    expect(form.stem).toBe(SAMPLES[0]!.stem);
    expect(form.knowledgePoints).toEqual(['施行日期']);
    expect(contentOfForm({ ...form, truth: true }).ok).toBe(true);
  });

  it('moves items within bounds only', () => {
    const items = ['a', 'b', 'c'];
    moveItem(items, 0, -1);
    moveItem(items, 2, 1);
    expect(items).toEqual(['a', 'b', 'c']);
    moveItem(items, 0, 1);
    expect(items).toEqual(['b', 'a', 'c']);
  });

  it('shows rubric weights as shares and counts blank markers', () => {
    expect(rubricShares([{ weight: 2 }, { weight: 1 }, { weight: 1 }])).toEqual([50, 25, 25]);
    expect(rubricShares([{ weight: 0 }])).toEqual([0]);
    expect(countBlankMarkers('不满____周岁，属于（ ）信息，或 ( )。')).toBe(3);
    expect(countBlankMarkers('<p>没有空</p>')).toBe(0);
  });
});
