import type { RubricPoint } from '@kpl/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceChunk } from '../capabilities.js';
import { sampleChunks } from './fixtures.js';
import { generateQuestions } from './generate.js';
import { gradeAnswer } from './grade.js';

/** 第二十九条–第三十一条 of the sample: sensitive personal information. */
const REFERENCE =
  '处理敏感个人信息应当取得个人的单独同意；个人信息处理者处理敏感个人信息的，应当向个人告知处理敏感个人信息的必要性以及对个人权益的影响；个人信息处理者处理不满十四周岁未成年人个人信息的，应当取得未成年人的父母或者其他监护人的同意。';
const RUBRIC: RubricPoint[] = [
  { point: '处理敏感个人信息应当取得个人的单独同意', weight: 2, keywords: ['敏感个人信息', '单独同意'] },
  { point: '应当向个人告知处理敏感个人信息的必要性以及对个人权益的影响', weight: 2, keywords: ['告知', '必要性', '个人权益'] },
  { point: '处理不满十四周岁未成年人个人信息应当取得其父母或者其他监护人的同意', weight: 1, keywords: ['十四周岁', '监护人', '同意'] },
];
const grade = (answer: string, rubric = RUBRIC, referenceAnswer = REFERENCE) => gradeAnswer({ stem: '处理敏感个人信息有哪些要求？', referenceAnswer, rubric, answer, maxScore: 10 });

let chunks: SourceChunk[];
beforeAll(async () => {
  chunks = await sampleChunks();
});

describe('builtin gradeAnswer', () => {
  it('the rubric is taken from the sample text', () => {
    const text = chunks.map((c) => c.text).join('');
    for (const p of RUBRIC) for (const k of p.keywords) expect(text).toContain(k);
  });

  it('gives the reference answer at least 90 %, an unrelated answer at most 20 %, half an answer in between', () => {
    expect(grade(REFERENCE).score).toBeGreaterThanOrEqual(9);
    expect(grade('公司应当加强员工培训，提升服务意识，做好客户接待和投诉处理工作，保证服务质量。').score).toBeLessThanOrEqual(2);
    const half = grade('处理敏感个人信息应当取得个人的单独同意。').score;
    expect(half).toBeGreaterThan(2);
    expect(half).toBeLessThan(9);
  });

  it('scores each rubric point by its weight and says what was found and missed', () => {
    const r = grade('处理敏感个人信息应当取得个人的单独同意。');
    expect(r.points.map((p) => p.max)).toEqual([4, 4, 2]);
    expect(r.points[0]).toMatchObject({ index: 0, awarded: 4, found: ['敏感个人信息', '单独同意'], missed: [] });
    expect(r.points[1]).toMatchObject({ awarded: 0, missed: ['告知', '必要性', '个人权益'] });
    expect(r.score).toBeCloseTo(r.points.reduce((a, p) => a + p.awarded, 0), 5);
    expect(r.explanation).toContain('答到「敏感个人信息」「单独同意」');
    expect(r.explanation).toContain('缺少「告知」「必要性」「个人权益」');
  });

  it('gives partial credit for part of a point', () => {
    const r = grade('要告知个人，说明必要性。');
    expect(r.points[1]!.awarded).toBeGreaterThan(0);
    expect(r.points[1]!.awarded).toBeLessThan(r.points[1]!.max);
  });

  it('accepts synonyms, digits and full-width forms, with lower confidence than exact words', () => {
    const everyday = grade('处理敏感个人信息要单独同意；要告诉用户必要性和对个人权益的影响；未满１４周岁的孩子要家长同意。');
    expect(everyday.score).toBeGreaterThanOrEqual(9);
    expect(everyday.points[2]!.comment).toContain('以「家长」表达了「监护人」');
    expect(everyday.confidence).toBeLessThan(grade(REFERENCE).confidence);
  });

  it('does not credit a point the answer contradicts', () => {
    const r = grade('处理敏感个人信息无需单独同意。');
    expect(r.points[0]!.awarded).toBe(0);
    expect(r.explanation).toContain('相反');
    expect(r.confidence).toBeLessThan(0.8);
  });

  it('is less confident about very short and very long answers', () => {
    expect(grade('单独同意').confidence).toBeLessThan(0.6);
    const padded = `${REFERENCE}${'另外还有很多其他无关的内容。'.repeat(60)}`;
    expect(grade(padded).confidence).toBeLessThan(grade(REFERENCE).confidence);
    expect(grade('').score).toBe(0);
    expect(grade('').confidence).toBeGreaterThan(0.9);
  });

  it('grades the generated short-answer questions: their reference answers score ≥ 90 %, an unrelated answer ≤ 20 %', () => {
    const questions = generateQuestions({ chunks, types: ['short_answer'], count: 12 });
    expect(questions.length).toBeGreaterThanOrEqual(10);
    for (const q of questions) {
      if (q.content.type !== 'short_answer') throw new Error('wrong type');
      const input = { stem: q.content.stem, referenceAnswer: q.content.referenceAnswer, rubric: q.content.rubric, maxScore: 10 };
      expect(gradeAnswer({ ...input, answer: q.content.referenceAnswer }).score, q.content.stem).toBeGreaterThanOrEqual(9);
      expect(gradeAnswer({ ...input, answer: '我认为应该多和同事沟通，按时完成工作任务。' }).score, q.content.stem).toBeLessThanOrEqual(2);
    }
  });
});
