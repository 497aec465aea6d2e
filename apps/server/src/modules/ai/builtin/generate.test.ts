import { questionContentSchema, type QuestionContent, type QuestionType } from '@kpl/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedCandidate, SourceChunk } from '../capabilities.js';
import { sampleChunks } from './fixtures.js';
import { acceptedAnswers, BLANK, generateQuestions } from './generate.js';
import { stripTags } from './text.js';

const ALL: QuestionType[] = ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'];

let chunks: SourceChunk[];
let batch: GeneratedCandidate[];
const chunkText = (id: string) => chunks.find((c) => c.chunkId === id)!.text;
const of = <T extends QuestionType>(list: GeneratedCandidate[], type: T) =>
  list.filter((c) => c.content.type === type) as (GeneratedCandidate & { content: Extract<QuestionContent, { type: T }> })[];

beforeAll(async () => {
  chunks = await sampleChunks();
  batch = generateQuestions({ chunks, types: ALL, count: 60, difficulty: 3 });
});

describe('builtin generateQuestions on 《个人信息保护法》', () => {
  it('makes the requested number of candidates, of every requested type, all valid question content', () => {
    expect(batch).toHaveLength(60);
    for (const t of ALL) expect(of(batch, t).length, t).toBeGreaterThanOrEqual(10);
    for (const c of batch) expect(questionContentSchema.safeParse(c.content).success, c.content.stem).toBe(true);
  });

  it('cites, for every candidate, an exact span of a chunk it was given', () => {
    for (const c of batch) {
      expect(chunks.map((x) => x.chunkId)).toContain(c.source.chunkId);
      expect(c.source.quote.length).toBeGreaterThan(5);
      expect(chunkText(c.source.chunkId)).toContain(c.source.quote);
      expect(c.content.source).toMatchObject({ chunkId: c.source.chunkId, quote: c.source.quote, materialId: 'sample-pipl' });
    }
  });

  it('fill-blank: the stem is the quoted sentence with the key blanked out, and the key is in the quote', () => {
    for (const c of of(batch, 'fill_blank')) {
      expect(c.content.stem).toContain(BLANK);
      expect(c.content.stem.split(BLANK)).toHaveLength(c.content.blanks.length + 1);
      let filled = c.content.stem;
      for (const b of c.content.blanks) {
        expect(c.source.quote).toContain(b.accepted[0]);
        filled = filled.replace(BLANK, b.accepted[0]!);
      }
      expect(filled.endsWith(c.source.quote)).toBe(true);
    }
  });

  it('single choice: the key is the blanked word of the quote; distractors are distinct, not in the quote, and turn it into no sentence of the material', () => {
    const all = chunks.map((c) => c.text).join('\n');
    for (const c of of(batch, 'single')) {
      const key = c.content.options.find((o) => o.key === c.content.correct[0])!;
      expect(c.source.quote).toContain(key.text);
      const texts = c.content.options.map((o) => o.text);
      expect(new Set(texts).size).toBe(texts.length);
      const sentence = c.content.stem.slice(c.content.stem.indexOf('：') + 1).replace(/横线处应填入的是：$/, '');
      expect(sentence.replace(BLANK, key.text)).toBe(c.source.quote);
      for (const d of c.content.options.filter((o) => o !== key)) {
        expect(c.source.quote).not.toContain(d.text);
        expect(all).not.toContain(sentence.replace(BLANK, d.text));
      }
    }
  });

  it('multiple choice: every correct option is in the quote, every distractor is not, at least two are correct', () => {
    for (const c of of(batch, 'multiple')) {
      expect(c.content.correct.length).toBeGreaterThanOrEqual(2);
      expect(c.content.correct.length).toBeLessThan(c.content.options.length);
      for (const o of c.content.options) {
        if (c.content.correct.includes(o.key)) expect(c.source.quote).toContain(o.text);
        else expect(c.source.quote).not.toContain(o.text);
      }
    }
  });

  it('true/false: true statements are the quoted sentence; false ones are a changed sentence the material never states', () => {
    const all = chunks.map((c) => c.text).join('\n');
    const tf = of(batch, 'true_false');
    for (const c of tf) {
      const statement = c.content.stem.slice(c.content.stem.indexOf('：') + 1);
      if (c.content.correct) expect(statement).toBe(c.source.quote);
      else {
        expect(statement).not.toBe(c.source.quote);
        expect(all).not.toContain(statement);
        // One change, not a different sentence: most of it is still the quote.
        const common = [...c.source.quote].filter((ch, i) => statement.includes(c.source.quote.slice(i, i + 3))).length;
        expect(common / [...c.source.quote].length).toBeGreaterThan(0.6);
      }
    }
    const trues = tf.filter((c) => c.content.correct).length;
    expect(trues / tf.length).toBeGreaterThanOrEqual(0.4);
    expect(trues / tf.length).toBeLessThanOrEqual(0.6);
  });

  it('short answer: the reference answer is the article, and each rubric point with its keywords comes from it', () => {
    for (const c of of(batch, 'short_answer')) {
      expect(c.content.rubric.length).toBeGreaterThanOrEqual(2);
      for (const sentence of c.content.referenceAnswer.split(/\n|(?<=[。；：])/)) expect(c.source.quote).toContain(sentence);
      for (const p of c.content.rubric) {
        expect(c.content.referenceAnswer).toContain(p.point);
        expect(p.keywords.length).toBeGreaterThan(0);
        for (const k of p.keywords) expect(p.point).toContain(k);
      }
    }
  });

  it('balances key positions and does not make the key the longest option', () => {
    const single = of(batch, 'single');
    const counts = new Map<string, number>();
    for (const c of single) counts.set(c.content.correct[0]!, (counts.get(c.content.correct[0]!) ?? 0) + 1);
    expect(counts.size).toBe(4);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    const longest = single.filter((c) => {
      const lengths = c.content.options.map((o) => [...stripTags(o.text)].length);
      const key = lengths[c.content.options.findIndex((o) => o.key === c.content.correct[0])]!;
      return lengths.filter((l) => l >= key).length === 1;
    });
    expect(longest.length / single.length).toBeLessThanOrEqual(0.4);
  });

  it('does not ask about the same sentence twice', () => {
    const quotes = batch.filter((c) => c.content.type !== 'short_answer' && c.content.type !== 'multiple').map((c) => `${c.source.chunkId}|${c.source.quote}`);
    expect(new Set(quotes).size).toBe(quotes.length);
  });

  it('respects the requested types and count, and is deterministic', () => {
    const cloze = generateQuestions({ chunks, types: ['fill_blank'], count: 7 });
    expect(cloze).toHaveLength(7);
    expect(cloze.every((c) => c.content.type === 'fill_blank')).toBe(true);
    expect(generateQuestions({ chunks, types: ['fill_blank'], count: 7 })).toEqual(cloze);
    expect(generateQuestions({ chunks, types: [], count: 5 })).toEqual([]);
    expect(generateQuestions({ chunks: [], types: ['single'], count: 5 })).toEqual([]);
  });

  it('makes harder questions with rarer terms and more options', () => {
    const dfOf = (word: string) => chunks.filter((c) => c.text.includes(word)).length;
    const meanKeyDf = (d: number) => {
      const list = generateQuestions({ chunks, types: ['fill_blank'], count: 20, difficulty: d });
      const keys = list.flatMap((c) => (c.content.type === 'fill_blank' ? c.content.blanks.map((b) => b.accepted[0]!) : []));
      expect(list.every((c) => c.content.difficulty === d)).toBe(true);
      return keys.reduce((a, k) => a + dfOf(k), 0) / keys.length;
    };
    expect(meanKeyDf(5)).toBeLessThan(meanKeyDf(1));
    const easy = generateQuestions({ chunks, types: ['single'], count: 5, difficulty: 1 });
    const hard = generateQuestions({ chunks, types: ['single'], count: 5, difficulty: 5 });
    expect(easy.every((c) => c.content.type === 'single' && c.content.options.length === 4)).toBe(true);
    expect(hard.every((c) => c.content.type === 'single' && c.content.options.length === 5)).toBe(true);
  });

  it('starts with the knowledge points asked for and tags the candidates with them', () => {
    const list = generateQuestions({ chunks, types: ['true_false', 'fill_blank'], count: 4, knowledgePoints: ['敏感个人信息'] });
    for (const c of list) {
      expect(c.source.quote).toContain('敏感个人信息');
      expect(c.content.knowledgePoints).toEqual(['敏感个人信息']);
    }
  });

  it('accepts the key in the forms a learner may write', () => {
    expect(acceptedAnswers('十四周岁')).toEqual(['十四周岁', '14周岁']);
    expect(acceptedAnswers('删除')).toEqual(expect.arrayContaining(['删除', '删掉', '清除']));
    expect(acceptedAnswers('保存期限')).toEqual(['保存期限']);
  });
});
