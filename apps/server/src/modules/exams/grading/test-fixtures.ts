// Sample questions for the grading tests (not imported by production code).
import { questionContentSchema, type QuestionContent, type QuestionContentInput } from '@kpl/shared';

/** Builds question content through the shared schema, so tests see the same defaults as stored questions. */
export function question<const T extends QuestionContentInput>(input: T): Extract<QuestionContent, { type: T['type'] }> {
  return questionContentSchema.parse(input) as Extract<QuestionContent, { type: T['type'] }>;
}

const options = ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `选项${key}` })) as { key: 'A' | 'B' | 'C' | 'D'; text: string }[];

export const single = question({ type: 'single', stem: '《个人信息保护法》的简称是？', options, correct: ['B'], explanation: '见第一条', knowledgePoints: ['个人信息保护'] });
export const multiple = question({ type: 'multiple', stem: '哪些属于敏感个人信息？', options, correct: ['A', 'C', 'D'], knowledgePoints: ['个人信息保护', '敏感信息'] });
export const trueFalse = question({ type: 'true_false', stem: '处理个人信息应当取得个人同意。', correct: true, knowledgePoints: ['合规基础'] });
export const orderedBlanks = question({
  type: 'fill_blank',
  stem: '____ 于 ____ 年施行，简称 ____。',
  blanks: [{ accepted: ['个人信息保护法', '《个人信息保护法》'] }, { accepted: ['2021'] }, { accepted: ['PIPL'] }],
  knowledgePoints: ['个人信息保护'],
});
export const unorderedBlanks = question({
  type: 'fill_blank',
  stem: '处理个人信息应遵循的三项原则：____、____、____。',
  blanks: [{ accepted: ['合法', '合法性'] }, { accepted: ['正当'] }, { accepted: ['必要', '必要性'] }],
  ordered: false,
});
export const shortAnswer = question({
  type: 'short_answer',
  stem: '简述告知同意原则。',
  referenceAnswer: '处理前应告知处理目的、方式并取得同意。',
  rubric: [{ point: '告知', weight: 1, keywords: ['告知'] }, { point: '同意', weight: 1, keywords: ['同意'] }],
  explanation: '第十三条',
});
