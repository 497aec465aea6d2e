import type { QuestionContentInput } from '@kpl/shared';
import { describe, expect, it } from 'vitest';
import { createBuiltinCapabilities, sampleChunks } from '../ai/builtin/index.js';
import { LONGEST_KEY_FLAG_RATE, NEAR_DUPLICATE_THRESHOLD, validateBatch, validateCandidate, type ChunkText, type RawCandidate } from './validate.js';

/** 第十九条 and 第二十条 of the sample, as one chunk. */
const CHUNK =
  '第十九条 除法律、行政法规另有规定外，个人信息的保存期限应当为实现处理目的所必要的最短时间。\n\n第二十条 两个以上的个人信息处理者共同决定个人信息的处理目的和处理方式的，应当约定各自的权利和义务。';
const SENTENCE = '除法律、行政法规另有规定外，个人信息的保存期限应当为实现处理目的所必要的最短时间。';
const chunks = new Map<string, ChunkText>([['c1', { materialId: 'm1', text: CHUNK }]]);

let seq = 0;
const cand = (content: QuestionContentInput, quote = SENTENCE, chunkId = 'c1'): RawCandidate => ({ id: `k${seq++}`, content, source: { chunkId, quote } });
const single = (correct: 'A' | 'B' | 'C' | 'D', texts = ['保存期限', '处理目的', '处理方式', '权利义务'], stem = `第十九条规定：个人信息的____应当为实现处理目的所必要的最短时间。（${seq}）`): QuestionContentInput => ({
  type: 'single',
  stem,
  options: texts.map((text, i) => ({ key: (['A', 'B', 'C', 'D'] as const)[i]!, text })),
  correct: [correct],
});
const rules = (c: RawCandidate) =>
  validateCandidate(c, chunks, [])
    .report.issues.filter((i) => i.severity === 'error')
    .map((i) => i.rule);

describe('generation validator: each rule', () => {
  it('accepts a well-formed, supported candidate', () => {
    const r = validateCandidate(cand(single('A')), chunks, []);
    expect(r.report).toEqual({ valid: true, issues: [], duplicateOf: null });
    expect(r.content?.type).toBe('single');
  });

  it('schema: rejects what is not a question, keeping the reason', () => {
    const r = validateCandidate({ id: 'x', content: { type: 'single', stem: '题干', options: [], correct: ['A'] }, source: { chunkId: 'c1', quote: SENTENCE } }, chunks, []);
    expect(r.report.valid).toBe(false);
    expect(r.content).toBeNull();
    expect(r.report.issues[0]).toMatchObject({ rule: 'schema', severity: 'error' });
  });

  it('source: the quote must be in the cited chunk, and the chunk one the job used', () => {
    expect(rules(cand(single('A'), '个人信息的保存期限应当为三年。'))).toContain('source');
    expect(rules(cand(single('A'), SENTENCE, 'elsewhere'))).toContain('source');
    expect(rules({ ...cand(single('A')), source: null })).toContain('source');
    // Line breaks and spaces do not count.
    expect(rules(cand(single('A'), '第十九条  除法律、行政法规另有规定外，\n个人信息的保存期限'))).not.toContain('source');
  });

  it('key-support: the correct option must come from the quote', () => {
    expect(rules(cand(single('D')))).toContain('key-support');
    const multiple = cand({ type: 'multiple', stem: '处理个人信息应当遵循哪些原则？', options: [{ key: 'A', text: '保存期限' }, { key: 'B', text: '最短时间' }, { key: 'C', text: '公开透明' }], correct: ['A', 'C'] });
    expect(validateCandidate(multiple, chunks, []).report.issues.find((i) => i.rule === 'key-support')?.message).toContain('C');
  });

  it('key-support: a blank needs an accepted answer from the quote', () => {
    const ok = cand({ type: 'fill_blank', stem: '个人信息的____应当为实现处理目的所必要的最短时间。', blanks: [{ accepted: ['保存期限'] }] });
    const bad = cand({ type: 'fill_blank', stem: '个人信息的____应当为实现处理目的所必要的最短时间。', blanks: [{ accepted: ['存储时长'] }] });
    expect(rules(ok)).toEqual([]);
    expect(rules(bad)).toEqual(['key-support']);
  });

  it('key-support: a true statement must be the quote; a false one a change of it, never the quote itself', () => {
    expect(rules(cand({ type: 'true_false', stem: `《个人信息保护法》第十九条规定：${SENTENCE}`, correct: true }))).toEqual([]);
    expect(rules(cand({ type: 'true_false', stem: '个人信息应当永久保存，以备查验。', correct: true }))).toEqual(['key-support']);
    expect(rules(cand({ type: 'true_false', stem: SENTENCE.replace('最短时间', '最长时间'), correct: false }))).toEqual([]);
    expect(rules(cand({ type: 'true_false', stem: SENTENCE, correct: false }))).toEqual(['key-support']);
    expect(rules(cand({ type: 'true_false', stem: '公司应当每年组织一次消防演练。', correct: false }))).toEqual(['key-support']);
  });

  it('key-support: a reference answer must come from the quote and rubric keywords from either', () => {
    const base = { type: 'short_answer' as const, stem: '个人信息应当保存多久？', rubric: [{ point: '保存期限为实现处理目的所必要的最短时间', weight: 1, keywords: ['保存期限', '最短时间'] }] };
    expect(rules(cand({ ...base, referenceAnswer: SENTENCE }))).toEqual([]);
    expect(rules(cand({ ...base, referenceAnswer: '员工应当遵守考勤制度，按时上下班。' }))).toEqual(['key-support']);
    expect(rules(cand({ ...base, referenceAnswer: SENTENCE, rubric: [{ point: '要点', weight: 1, keywords: ['数据出境'] }] }))).toEqual(['key-support']);
  });

  it('options: empty, repeated (also up to width and spaces) or all-correct options are refused', () => {
    expect(rules(cand(single('A', ['保存期限', '处理目的', '处 理 目 的', '权利义务'])))).toEqual(['options']);
    expect(rules(cand(single('A', ['保存期限', 'ＡＢＣ', 'abc', '权利义务'])))).toEqual(['options']);
    expect(rules(cand(single('A', ['保存期限', '<p> </p>', '处理方式', '权利义务'])))).toEqual(['options']);
    const allCorrect = cand({ type: 'multiple', stem: '第十九条提到了哪些词？', options: [{ key: 'A', text: '保存期限' }, { key: 'B', text: '最短时间' }], correct: ['A', 'B'] });
    expect(rules(allCorrect)).toEqual(['options']);
  });

  it(`duplicate: a stem at least ${NEAR_DUPLICATE_THRESHOLD} similar to a bank question or an earlier candidate is refused`, () => {
    const stem = '第十九条规定：个人信息的____应当为实现处理目的所必要的最短时间。';
    const near = '根据第十九条规定：个人信息的____应当为实现处理目的所必要的最短时间。';
    const r = validateCandidate(cand(single('A', undefined, near)), chunks, [{ kind: 'bank', id: 'q1', text: stem }]);
    expect(r.report.valid).toBe(false);
    expect(r.report.duplicateOf).toMatchObject({ kind: 'bank', id: 'q1' });
    expect(r.report.duplicateOf!.similarity).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD);
    // A different question on the same article is not a duplicate.
    const other = validateCandidate(cand(single('A', undefined, '第二十条规定：两个以上的个人信息处理者共同决定处理目的和处理方式的，应当约定各自的____。')), chunks, [
      { kind: 'bank', id: 'q1', text: stem },
    ]);
    expect(other.report.duplicateOf).toBeNull();
    // Within a batch the later copy is the one refused.
    const { results, stats } = validateBatch([cand(single('A', undefined, stem)), cand(single('B', ['处理目的', '保存期限', '处理方式', '权利义务'], near))], chunks, []);
    expect(results.map((x) => x.report.valid)).toEqual([true, false]);
    expect(results[1]!.report.duplicateOf?.kind).toBe('candidate');
    expect(stats).toMatchObject({ candidates: 2, valid: 1, duplicates: 1, duplicateRate: 0.5, passRate: 0.5, failures: { duplicate: 1 } });
  });
});

describe('generation validator: batch rules', () => {
  /** Distinct single-choice stems on the sentence, keys as given. */
  const batchOf = (keys: ('A' | 'B' | 'C' | 'D')[], longKey = false) =>
    keys.map((k, i) => {
      const texts = ['处理目的', '处理方式', '权利义务', '行政法规'];
      texts[['A', 'B', 'C', 'D'].indexOf(k)] = longKey ? '保存期限应当为实现处理目的所必要的最短时间' : '保存期限';
      const stems = ['个人信息的____应当为最短时间。', '除法律另有规定外，个人信息的____要尽量短。', '____：实现处理目的所必要的最短时间。', '关于____，第十九条怎么规定？', '哪一项有“最短时间”的要求？', '第十九条规定的是什么？', '“所必要的最短时间”指什么？', '除行政法规另有规定外，什么应当最短？'];
      return cand(single(k, texts, stems[i % stems.length]!));
    });

  it('reports the key distribution and flags unbalanced keys', () => {
    const balanced = validateBatch(batchOf(['A', 'C', 'B', 'D', 'C', 'A', 'D', 'B']), chunks, []);
    expect(balanced.stats.keyDistribution.single).toEqual({ A: 2, B: 2, C: 2, D: 2 });
    expect(balanced.stats.keyBalanced).toBe(true);
    expect(balanced.stats.keyImbalance).toBeNull();
    const skewed = validateBatch(batchOf(['A', 'A', 'A', 'A', 'A', 'A', 'B', 'C']), chunks, []);
    expect(skewed.stats.passRate).toBe(1);
    expect(skewed.stats.keyBalanced).toBe(false);
    expect(skewed.stats.keyImbalance).toContain('A');
  });

  it('flags true/false batches that are nearly all true', () => {
    const sentences = [
      '自然人的个人信息受法律保护，任何组织、个人不得侵害自然人的个人信息权益。',
      '在中华人民共和国境内处理自然人个人信息的活动，适用本法。',
      '处理个人信息应当遵循公开、透明原则，公开个人信息处理规则，明示处理的目的、方式和范围。',
      '个人信息处理者应当提供便捷的撤回同意的方式。',
      '本法自2021年11月1日起施行。',
    ];
    const many = new Map(sentences.map((text, i) => [`s${i}`, { materialId: 'm1', text }]));
    const tf = sentences.map((text, i) => cand({ type: 'true_false', stem: text, correct: true }, text, `s${i}`));
    const { stats, results } = validateBatch(tf, many, []);
    expect(results.every((r) => r.report.valid)).toBe(true);
    expect(stats.keyDistribution.trueFalse).toEqual({ true: 5, false: 0 });
    expect(stats.keyBalanced).toBe(false);
  });

  it(`flags batches whose key is the longest option more than ${LONGEST_KEY_FLAG_RATE * 100}% of the time, warning on those questions`, () => {
    const long = validateBatch(batchOf(['A', 'C', 'B', 'D', 'C', 'A'], true), chunks, []);
    expect(long.stats.longestIsKeyRate).toBe(1);
    expect(long.stats.longestIsKeyFlagged).toBe(true);
    expect(long.results.every((r) => r.report.valid && r.report.issues.some((i) => i.rule === 'longest-key' && i.severity === 'warning'))).toBe(true);
    const fine = validateBatch(batchOf(['A', 'C', 'B', 'D', 'C', 'A']), chunks, []);
    expect(fine.stats.longestIsKeyFlagged).toBe(false);
    expect(fine.results.every((r) => r.report.issues.length === 0)).toBe(true);
  });
});

describe('generation validator on the builtin generator', () => {
  it('passes nearly all builtin candidates on the sample, with balanced keys', async () => {
    const sample = await sampleChunks();
    const ai = createBuiltinCapabilities();
    const generated = await ai.generateQuestions({ chunks: sample, types: ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'], count: 60 });
    const { results, stats } = validateBatch(
      generated.map((g, i) => ({ id: `g${i}`, content: g.content, source: g.source })),
      new Map(sample.map((c) => [c.chunkId, { materialId: c.materialId, text: c.text }])),
      [],
    );
    expect(results).toHaveLength(60);
    expect(stats.passRate).toBeGreaterThanOrEqual(0.95);
    expect(stats.keyBalanced).toBe(true);
    expect(stats.longestIsKeyFlagged).toBe(false);
    // The same batch generated again is all near-duplicates of the first (now in the bank).
    const again = validateBatch(
      generated.map((g, i) => ({ id: `h${i}`, content: g.content, source: g.source })),
      new Map(sample.map((c) => [c.chunkId, { materialId: c.materialId, text: c.text }])),
      results.map((r, i) => ({ kind: 'bank' as const, id: `q${i}`, text: r.content!.stem })),
    );
    expect(again.stats.duplicateRate).toBe(1);
  });
});
