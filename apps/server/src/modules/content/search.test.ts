import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight } from './highlight.js';
import { synonymsOf } from './synonyms.js';
import { SearchIndex, tokenize, type SearchDoc } from './index.js';

const doc = (chunkId: string, text: string, over: Partial<SearchDoc> = {}): SearchDoc => ({
  chunkId,
  materialId: 'm1',
  courseId: 'c1',
  text,
  location: '',
  knowledgePointIds: [],
  ...over,
});

const CHUNKS: SearchDoc[] = [
  doc('a1', '个人信息处理者处理敏感个人信息，应当取得个人的单独同意；法律、行政法规规定处理敏感个人信息应当取得书面同意的，从其规定。', { location: '第二章 个人信息处理规则 › 第二十九条', knowledgePointIds: ['kp-consent'] }),
  doc('a2', '个人信息处理者向中华人民共和国境外提供个人信息的，应当通过国家网信部门组织的安全评估。GDPR 对个人数据出境也有类似要求。', { location: '第三章 个人信息跨境提供的规则 › 第三十八条', courseId: 'c2', materialId: 'm2' }),
  doc('a3', '员工入职培训包括安全生产、职业健康和信息安全三个部分。Security awareness training is mandatory for all staff.', { location: '新员工培训 › 入职须知', courseId: 'c3', materialId: 'm3', knowledgePointIds: ['kp-onboarding'] }),
  doc('a4', '处理不满十四周岁未成年人个人信息的，应当取得未成年人的父母或者其他监护人的同意。', { location: '第二章 个人信息处理规则 › 第三十一条', knowledgePointIds: ['kp-consent', 'kp-minors'] }),
];

const fresh = () => {
  const index = new SearchIndex();
  index.add(CHUNKS);
  return index;
};

describe('SearchIndex', () => {
  it('ranks chunks for a Chinese question', () => {
    const hits = fresh().search('处理敏感个人信息要什么同意');
    expect(hits[0]!.chunkId).toBe('a1');
    expect(hits[0]!.location).toBe('第二章 个人信息处理规则 › 第二十九条');
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  });

  it('handles mixed Chinese and English queries', () => {
    const hits = fresh().search('GDPR 个人信息 出境');
    expect(hits[0]!.chunkId).toBe('a2');
    expect(hits[0]!.highlight).toContain('<mark>GDPR</mark>');
    expect(fresh().search('security TRAINING')[0]!.chunkId).toBe('a3');
  });

  it('filters by course, before ranking', () => {
    const index = fresh();
    expect(index.search('个人信息', { courseIds: ['c2'] }).map((h) => h.chunkId)).toEqual(['a2']);
    expect(index.search('个人信息', { courseIds: ['c1', 'c2'] }).map((h) => h.chunkId).sort()).toEqual(['a1', 'a2', 'a4']);
    expect(index.search('个人信息', { courseIds: [] })).toEqual([]);
    expect(index.search('个人信息', { courseIds: ['nope'] })).toEqual([]);
    // unfiltered, a3 ("信息安全") matches too, through the sub-word 信息
    expect(index.search('个人信息').map((h) => h.chunkId).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('filters by knowledge point', () => {
    const index = fresh();
    expect(index.search('同意', { knowledgePointId: 'kp-minors' }).map((h) => h.chunkId)).toEqual(['a4']);
    expect(index.search('同意', { knowledgePointId: 'kp-consent' }).map((h) => h.chunkId).sort()).toEqual(['a1', 'a4']);
    expect(index.search('同意', { knowledgePointId: 'kp-unknown' })).toEqual([]);
  });

  it('respects the limit', () => {
    expect(fresh().search('个人信息', { limit: 1 })).toHaveLength(1);
  });

  it('finds nothing for stop words, punctuation or an empty query', () => {
    const index = fresh();
    expect(index.search('')).toEqual([]);
    expect(index.search('的 了 吗？！')).toEqual([]);
    expect(new SearchIndex().search('个人信息')).toEqual([]);
  });

  it('removes a material', () => {
    const index = fresh();
    expect(index.size).toBe(4);
    expect(index.materials()).toEqual(new Map([['m1', 2], ['m2', 1], ['m3', 1]]));
    expect(index.removeMaterial('m1')).toBe(2);
    expect(index.removeMaterial('m1')).toBe(0);
    expect(index.size).toBe(2);
    expect(index.materials()).toEqual(new Map([['m2', 1], ['m3', 1]]));
    const left = index.search('敏感个人信息 单独同意 未成年人').map((h) => h.chunkId);
    expect(left).not.toContain('a1');
    expect(left).not.toContain('a4');
    expect(left[0]).toBe('a2');
  });

  it('replaces a document added again with the same chunkId', () => {
    const index = fresh();
    index.add([doc('a1', '反洗钱培训：客户身份识别和大额交易报告。', { materialId: 'm9', location: '反洗钱 › 第一节' })]);
    expect(index.size).toBe(4);
    expect(index.search('单独同意').map((h) => h.chunkId)).not.toContain('a1');
    expect(index.search('反洗钱')[0]).toMatchObject({ chunkId: 'a1', materialId: 'm9', location: '反洗钱 › 第一节' });
    expect(index.materials()).toEqual(new Map([['m1', 1], ['m2', 1], ['m3', 1], ['m9', 1]]));
    // the same chunkId twice in one batch: the last one wins
    index.add([doc('x', '第一版'), doc('x', '第二版 合规')]);
    expect(index.size).toBe(5);
    expect(index.search('合规').map((h) => h.text)).toEqual(['第二版 合规']);
  });

  it('searches the location, boosted', () => {
    const hits = fresh().search('入职须知');
    expect(hits[0]!.chunkId).toBe('a3');
  });

  it('finds an article inside a merged range ("第一条–第三条" covers 第二条)', () => {
    const index = new SearchIndex();
    index.add([doc('r', '第一条 …… 第二条 …… 第三条 ……', { location: '第一章 总则 › 第一条–第三条' }), doc('s', '其他内容', { location: '第一章 总则 › 第四条' })]);
    expect(index.search('第2条讲了什么')[0]!.chunkId).toBe('r');
  });

  it('scores exactly as MiniSearch does (BM25+, location ×2, OR, matched-terms factor)', () => {
    const texts = [
      ...CHUNKS,
      doc('b1', '个人信息保护影响评估应当包括下列内容：处理目的、处理方式等是否合法、正当、必要。', { location: '第五章 › 第五十六条' }),
      doc('b2', '国家网信部门负责统筹协调个人信息保护工作和相关监督管理工作。', { location: '第六章 › 第六十条' }),
    ];
    const ours = new SearchIndex();
    ours.add(texts);
    const mini = new MiniSearch<SearchDoc>({
      idField: 'chunkId',
      fields: ['text', 'location'],
      tokenize: (s) => tokenize(s),
      processTerm: (t) => t,
      searchOptions: { boost: { location: 2 }, prefix: false, fuzzy: false, combineWith: 'OR', tokenize: (s) => [...new Set(tokenize(s))] },
    });
    mini.addAll(texts);
    // queries without thesaurus words (the thesaurus is ours, not MiniSearch's)
    for (const q of ['个人信息 评估', '统筹协调 安全评估 GDPR', '处理敏感个人信息', '培训 security']) {
      for (const t of tokenize(q)) expect(synonymsOf(t), t).toEqual([]);
    }
    for (const q of ['个人信息 评估', '统筹协调 安全评估 GDPR', '处理敏感个人信息', '培训 security']) {
      const expected = mini.search(q).map((r) => [r.id as string, r.score]);
      const actual = ours.search(q, { limit: 100 }).map((h) => [h.chunkId, h.score]);
      expect(actual.map(([id]) => id)).toEqual(expected.map(([id]) => id));
      actual.forEach(([, s], i) => expect(s as number).toBeCloseTo(expected[i]![1] as number, 6));
    }
  });

  it('stays correct through compaction', () => {
    // enough postings that removing most materials triggers a compaction
    const many: SearchDoc[] = [];
    const words = ['合规', '培训', '安全', '数据', '隐私', '审计', '风险', '员工', '客户', '制度', '流程', '报告'];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 30 }, (_, k) => words[(i * 7 + k * 3) % words.length]! + (i % 50) + '号').join('，') + '。';
      many.push(doc(`d${i}`, text, { materialId: `mat${i % 10}`, courseId: `course${i % 3}`, location: `第${(i % 9) + 1}章` }));
    }
    const index = new SearchIndex();
    index.add(many);
    const internals = index as unknown as { entries: number };
    const before = internals.entries;
    for (let m = 0; m < 8; m++) index.removeMaterial(`mat${m}`);
    // it compacted: postings are only ever dropped by a compaction
    expect(internals.entries).toBeLessThan(before);
    index.add([doc('d5', '替换后的 合规 文本', { materialId: 'mat9' })]);
    const rest = many.filter((d) => ['mat8', 'mat9'].includes(d.materialId) && d.chunkId !== 'd5');
    const reference = new SearchIndex();
    reference.add([...rest, doc('d5', '替换后的 合规 文本', { materialId: 'mat9' })]);
    expect(index.size).toBe(reference.size);
    expect(index.materials()).toEqual(reference.materials());
    for (const q of ['合规 培训', '审计 风险 报告', '数据7号', '替换', '第三章']) {
      for (const opts of [{}, { courseIds: ['course1'] }]) {
        const a = index.search(q, { ...opts, limit: 20 });
        const b = reference.search(q, { ...opts, limit: 20 });
        expect(a.map((h) => [h.chunkId, h.score.toFixed(9)])).toEqual(b.map((h) => [h.chunkId, h.score.toFixed(9)]));
      }
    }
  });
});

describe('highlight', () => {
  it('escapes HTML in the chunk: only <mark> tags come out', () => {
    const index = new SearchIndex();
    const evil = `注意：<script>alert("个人信息")</script> 与 <img src=x onerror=alert(1)> 都不应执行。个人信息处理者应当 'quote' & "double".`;
    index.add([doc('x', evil)]);
    const [hit] = index.search('个人信息 <script>');
    // "script" is a query term too: it is marked, inside the escaped tag
    expect(hit!.highlight).toContain('&lt;<mark>script</mark>&gt;');
    expect(hit!.highlight).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hit!.highlight).toContain('<mark>个人信息</mark>');
    expect(hit!.highlight.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(hit!.highlight).not.toMatch(/<(?!\/?mark>)/);
    expect(hit!.text).toBe(evil); // the plain text is returned as is
  });

  it('shows a ~120-character window around the densest cluster of matches', () => {
    const filler = '其他内容。'.repeat(60);
    const text = `${filler}开头提到一次合规。${filler}这里集中讨论数据出境的安全评估和个人信息保护认证以及标准合同。${filler}`;
    const h = highlight(text, ['数据', '出境', '安全评估', '认证', '标准合同', '合规']);
    expect(h.startsWith('…')).toBe(true);
    expect(h.endsWith('…')).toBe(true);
    expect(h).toContain('<mark>安全评估</mark>');
    expect(h).toContain('<mark>标准合同</mark>');
    expect(h.replace(/<\/?mark>|…/g, '').length).toBeLessThanOrEqual(125);
  });

  it('merges overlapping terms into one mark and matches English case-insensitively, on word boundaries', () => {
    expect(highlight('个人信息处理者', ['个人', '个人信息', '信息'])).toBe('<mark>个人信息</mark>处理者');
    expect(highlight('The GDPR and GDPRs', ['gdpr'])).toBe('The <mark>GDPR</mark> and GDPRs');
  });

  it('falls back to the beginning when no term occurs (a location-only match)', () => {
    expect(highlight('a < b & c', ['zzz'])).toBe('a &lt; b &amp; c');
  });

  it('escapes all five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
