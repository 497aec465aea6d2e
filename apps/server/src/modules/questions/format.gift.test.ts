import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuestionContent } from '@kpl/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseContent } from './content.js';
import { giftEscape, giftUnescape, parseGift, writeGift } from './format.gift.js';
import type { ParsedItem } from './import.types.js';

const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'pipl.gift.txt'), 'utf8');

function contentOf(item: ParsedItem): QuestionContent {
  const n = normaliseContent(item.content);
  if (!n.ok) throw new Error(JSON.stringify(n.problems));
  return n.content;
}

const base = { explanation: '', difficulty: 3, knowledgePoints: [], source: null };

describe('GIFT import of the sample file', () => {
  const { items } = parseGift(fixture);

  it('reads every supported type exactly', () => {
    expect(items).toHaveLength(12);
    expect(items.slice(0, 9).map((i) => i.errors)).toEqual(Array(9).fill([]));
    expect(items.slice(0, 9).map(contentOf)).toEqual([
      {
        ...base,
        type: 'single',
        stem: '处理个人信息应当遵循合法、正当、必要和（  ）原则，不得通过误导、欺诈、胁迫等方式处理个人信息。',
        options: [
          { key: 'A', text: '诚信' },
          { key: 'B', text: '效率' },
          { key: 'C', text: '自愿' },
          { key: 'D', text: '公开' },
        ],
        correct: ['A'],
        explanation: '第五条：处理个人信息应当遵循合法、正当、必要和诚信原则。',
        tags: ['总则'],
      },
      {
        ...base,
        type: 'multiple',
        stem: '下列做法中，符合“最小必要”要求的有：',
        options: [
          { key: 'A', text: '收集范围限于实现处理目的的最小范围' },
          { key: 'B', text: '采取对个人权益影响最小的方式' },
          { key: 'C', text: '为便于日后营销，一次性收集客户全部家庭成员信息' },
          { key: 'D', text: '只要客户同意，就可以收集与业务无关的信息' },
        ],
        correct: ['A', 'B'],
        explanation: '第六条：收集个人信息应当限于实现处理目的的最小范围，不得过度收集个人信息。',
        tags: ['总则'],
      },
      { ...base, type: 'true_false', stem: '经过匿名化处理后的信息，仍属于《个人信息保护法》所称的个人信息。', correct: false, explanation: '第四条：个人信息不包括匿名化处理后的信息。', tags: ['总则'] },
      { ...base, type: 'true_false', stem: '个人有权撤回其同意，个人信息处理者应当提供便捷的撤回同意的方式。', correct: true, tags: ['总则'] },
      {
        ...base,
        type: 'fill_blank',
        stem: '处理不满多少周岁未成年人的个人信息，应当取得其父母或者其他监护人的同意？____',
        blanks: [{ accepted: ['十四', '14', '十四周岁'] }],
        ordered: true,
        tags: ['敏感个人信息'],
      },
      {
        ...base,
        type: 'fill_blank',
        stem: '处理敏感个人信息应当取得个人的____同意；法律、行政法规规定应当取得____同意的，从其规定。',
        blanks: [{ accepted: ['单独'] }, { accepted: ['书面'] }],
        ordered: true,
        tags: ['敏感个人信息'],
      },
      {
        ...base,
        type: 'single',
        stem: '客服系统中手机号脱敏规则写作 <code>mask{phone} = 138****0000</code>，其中“#”和“~”只是普通字符。该规则属于哪类保护措施？',
        options: [
          { key: 'A', text: '去标识化' },
          { key: 'B', text: '匿名化' },
          { key: 'C', text: '加密传输' },
        ],
        correct: ['A'],
        tags: ['敏感个人信息'],
      },
      {
        ...base,
        type: 'short_answer',
        stem: '个人信息处理者在处理个人信息前，应当向个人告知哪些事项？',
        referenceAnswer: '处理者的名称或者姓名和联系方式；处理目的、处理方式，处理的个人信息种类、保存期限；个人行使权利的方式和程序；法律、行政法规规定应当告知的其他事项。',
        rubric: [{ point: '处理者的名称或者姓名和联系方式；处理目的、处理方式，处理的个人信息种类、保存期限；个人行使权利的方式和程序；法律、行政法规规定应当告知的其他事项。', weight: 1, keywords: [] }],
        tags: ['敏感个人信息'],
      },
      {
        ...base,
        type: 'short_answer',
        stem: '公司委托外包呼叫中心处理客户信息时，应当做到哪些要求？',
        referenceAnswer: '应当与受托人约定委托处理的目的、期限、处理方式、个人信息的种类、保护措施以及双方的权利和义务，并对受托人的个人信息处理活动进行监督。',
        rubric: [
          { point: '约定委托处理的目的、期限、处理方式等', weight: 50, keywords: ['约定', '目的', '期限'] },
          { point: '对受托人的处理活动进行监督', weight: 50, keywords: ['监督'] },
        ],
        explanation: '第二十一条。',
        difficulty: 4,
        knowledgePoints: ['委托处理'],
        tags: ['委托处理', '敏感个人信息'],
      },
    ]);
  });

  it('keeps titles, points from the kpl comment and says what it did not keep', () => {
    expect(items.map((i) => i.ref)).toEqual(
      ['PIPL-001 处理原则', 'PIPL-002 最小必要', 'PIPL-003 匿名化信息', 'PIPL-004 撤回同意', 'PIPL-005 未成年人', 'PIPL-006 敏感个人信息', 'PIPL-007 转义:符号', 'PIPL-008 告知事项', 'PIPL-009 委托处理', 'PIPL-010 权利匹配', 'PIPL-011 条款数量', 'PIPL-012 说明'].map(
        (name, i) => ({ index: i + 1, name }),
      ),
    );
    expect(items[8]!.defaultPoints).toBe(8);
    expect(items[0]!.warnings).toEqual([{ message: 'answer feedback (#…) is not kept' }]);
    expect(items[7]!.warnings).toEqual([{ message: 'no rubric given: one rubric point (the reference answer, weight 1) was made' }]);
  });

  it('reports unsupported questions one by one with their line', () => {
    expect(items.slice(9).map((i) => ({ content: i.content, errors: i.errors }))).toEqual([
      { content: null, errors: [{ message: 'line 56: matching questions {=a -> b} are not supported' }] },
      { content: null, errors: [{ message: 'line 63: numerical questions {#…} are not supported' }] },
      { content: null, errors: [{ message: 'line 66: a question without an answer block {…} (a description) is not supported' }] },
    ]);
  });
});

describe('GIFT escapes', () => {
  it('reads \\~ \\= \\# \\{ \\} \\: \\\\ and \\n as literal characters', () => {
    expect(giftUnescape('a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni\\q')).toBe('a~b=c#d{e}f:g\\h\ni\\q');
  });

  it('round-trips any text', () => {
    fc.assert(fc.property(fc.string(), (s) => giftUnescape(giftEscape(s)) === s));
  });
});

describe('broken GIFT', () => {
  it('reports an unclosed "{" for that question and still reads the others', () => {
    const { items } = parseGift('::坏题::个人信息是什么？{=信息 ~数据\n\n::好题::个人信息受法律保护。{T}\n');
    expect(items.map((i) => i.errors)).toEqual([[{ message: 'line 1: an answer block "{" is never closed' }], []]);
    expect(items[1]!.content).toMatchObject({ type: 'true_false', correct: true });
  });

  it('reports a stray "}", several "=" in a choice, a bad kpl comment and mixed answer blocks', () => {
    const { items } = parseGift(
      ['多余的括号} {T}', '', '两个正确答案？{=甲 =乙 ~丙}', '', '// kpl: {不是 JSON', '题干{T}', '', '多个空{=甲} 和选择 {=乙 ~丙}', '', '没有正确答案{~甲 ~乙}'].join('\n'),
    );
    expect(items.map((i) => i.errors.map((e) => e.message))).toEqual([
      ['line 1: a "}" closes no answer block (escape it as \\})'],
      ['line 3: several answers are marked "=": for several right answers use weights such as ~%50%'],
      ['line 6: the "// kpl:" comment on line 5 is not a JSON object'],
      ['line 8: only fill-in answer blocks {=…} may appear several times in one question'],
      ['line 10: no answer is right: mark one with "=" or give right answers a positive weight ~%50%'],
    ]);
  });

  it('refuses an essay without a reference answer', () => {
    expect(parseGift('请论述告知同意规则。{}').items[0]!.errors).toEqual([{ message: 'line 1: an essay question {} needs its reference answer in the general feedback: {####…}' }]);
  });
});

describe('GIFT export', () => {
  const tricky: { content: QuestionContent; points: number }[] = [
    {
      points: 2.5,
      content: {
        ...base,
        type: 'single',
        stem: '<p>规则 <code>a = b: {c}</code> 中 ~ 与 # 的含义？</p>\n<p>第二段</p>',
        options: [
          { key: 'A', text: '%50%的用户' },
          { key: 'B', text: '等号 = 与冒号 :' },
        ],
        correct: ['A'],
        explanation: '解析 #1',
        tags: ['转义'],
        knowledgePoints: ['规则'],
      },
    },
    {
      points: 3,
      content: { ...base, tags: [], type: 'multiple', stem: '选出三项', options: ['甲', '乙', '丙', '丁'].map((text, i) => ({ key: 'ABCD'[i] as 'A', text })), correct: ['A', 'C', 'D'], difficulty: 5 },
    },
    { points: 1, content: { ...base, tags: [], type: 'true_false', stem: '// 看起来像注释的题干', correct: false, explanation: '因为……' } },
    {
      points: 2,
      content: { ...base, tags: [], type: 'fill_blank', stem: '列举：____、____', blanks: [{ accepted: ['a=b', '{x}'] }, { accepted: ['%100%满分'] }], ordered: false, explanation: '任意顺序' },
    },
    {
      points: 10,
      content: {
        ...base,
        tags: [],
        type: 'short_answer',
        stem: '::不是标题:: 请说明。',
        referenceAnswer: '<p>参考 ####答案</p>',
        rubric: [{ point: '要点一', weight: 60, keywords: ['关键'] }, { point: '要点二', weight: 40, keywords: [] }],
        explanation: '简答题的解析',
        source: { materialId: 'm1', chunkId: 'c1', quote: '第一条', citation: '第一章' },
      },
    },
  ];

  it('imports back to the same contents (same hashes) and points', () => {
    const text = writeGift(tricky, '测试题库');
    const { items } = parseGift(text);
    expect(items.map((i) => i.errors)).toEqual(tricky.map(() => []));
    const hashes = (list: unknown[]) => list.map((c) => {
      const n = normaliseContent(c);
      if (!n.ok) throw new Error(JSON.stringify(n.problems));
      return n.hash;
    });
    expect(hashes(items.map((i) => i.content))).toEqual(hashes(tricky.map((t) => t.content)));
    expect(items.map((i) => i.defaultPoints)).toEqual(tricky.map((t) => t.points));
  });

  it('keeps the sample file as it was through export and import', () => {
    const first = parseGift(fixture).items.filter((i) => i.errors.length === 0);
    const contents = first.map(contentOf);
    const again = parseGift(writeGift(contents.map((content, i) => ({ content, points: first[i]!.defaultPoints ?? 2 })), '样例')).items;
    expect(again.map(contentOf)).toEqual(contents);
  });
});
