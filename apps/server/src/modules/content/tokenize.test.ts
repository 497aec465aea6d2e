import { describe, expect, it } from 'vitest';
import { keywords, tokenize } from './index.js';
import { parseNumeral, toNumeral } from './numerals.js';
import { THESAURUS, synonymsOf } from './synonyms.js';
import { STOP_WORDS } from './tokenize.js';

describe('tokenize', () => {
  it('cuts Chinese in search mode, with the parts of long domain words', () => {
    const t = tokenize('个人信息处理者应当取得单独同意');
    expect(t).toEqual(expect.arrayContaining(['个人信息处理者', '个人信息', '处理者', '单独同意', '同意', '取得']));
  });

  it('lower-cases English words, keeps numbers, handles mixed text', () => {
    expect(tokenize('GDPR 个人信息 出境')).toEqual(expect.arrayContaining(['gdpr', '个人信息', '出境']));
    expect(tokenize('ISO 27001 and the Data-Protection Act, version 2.0')).toEqual(['iso', '27001', 'data', 'protection', 'act', 'version', '2.0']);
    expect(tokenize('本法自2021年11月1日起施行')).toEqual(expect.arrayContaining(['2021', '11', '施行']));
  });

  it('folds full-width forms', () => {
    expect(tokenize('ＧＤＰＲ　２０２１')).toEqual(['gdpr', '2021']);
  });

  it('drops stop words, question words and punctuation', () => {
    const t = tokenize('处理敏感个人信息需要取得什么样的同意？！……，。、“”');
    for (const w of ['的', '什么样', '什么', '需要', '？', '！', '，']) expect(t).not.toContain(w);
    expect(t.every((w) => /[\p{L}\p{N}]/u.test(w))).toBe(true);
    expect(tokenize('the of and 的 了 吗')).toEqual([]);
  });

  it('keeps article and chapter references whole, canonical, and expands ranges', () => {
    expect(tokenize('第十四条')).toEqual(['第十四条']);
    expect(tokenize('第14条')).toEqual(['第十四条']);
    expect(tokenize('依照第七十四条执行')).toEqual(expect.arrayContaining(['第七十四条', '依照', '执行']));
    expect(tokenize('第七十四条')).not.toContain('十四');
    expect(tokenize('第一条–第三条')).toEqual(['第一条', '第二条', '第三条']);
    expect(tokenize('第十条至第十二条')).toEqual(['第十条', '第十一条', '第十二条']);
    expect(tokenize('第一章 总则')).toEqual(['第一章', '总则']);
  });
});

describe('keywords', () => {
  const article = '敏感个人信息是一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害或者人身、财产安全受到危害的个人信息，包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息，以及不满十四周岁未成年人的个人信息。';

  it('returns noun-like words of 2+ characters, highest weight first, no stop words', () => {
    const k = keywords(article, 8);
    expect(k.length).toBe(8);
    expect(k.map((x) => x.word)).toEqual(expect.arrayContaining(['敏感个人信息']));
    for (const { word, weight } of k) {
      expect([...word].length).toBeGreaterThanOrEqual(2);
      expect(STOP_WORDS.has(word)).toBe(false);
      expect(weight).toBeGreaterThan(0);
    }
    for (let i = 1; i < k.length; i++) expect(k[i]!.weight).toBeLessThanOrEqual(k[i - 1]!.weight);
    expect(k.map((x) => x.word)).not.toContain('应当');
  });

  it('handles empty input and topK 0', () => {
    expect(keywords('', 5)).toEqual([]);
    expect(keywords(article, 0)).toEqual([]);
  });
});

describe('thesaurus', () => {
  it('has only words tokenize produces, so every entry can match', () => {
    for (const { statutory, everyday } of THESAURUS) for (const w of [...statutory, ...everyday]) expect(tokenize(w), w).toContain(w);
  });

  it('expands everyday words to statutory terms, never the other way', () => {
    expect(synonymsOf('去世')).toEqual(['死亡']);
    expect(synonymsOf('死亡')).toEqual([]);
    expect(synonymsOf('中国')).toEqual(['境内', '中华人民共和国']);
    expect(synonymsOf('网信部门')).toEqual(['国家网信部门']);
  });
});

describe('Chinese numerals', () => {
  it('parses and writes them', () => {
    const cases: [string, number][] = [
      ['一', 1],
      ['十', 10],
      ['十四', 14],
      ['二十', 20],
      ['七十四', 74],
      ['一百', 100],
      ['一百零一', 101],
      ['一百一十', 110],
      ['三百二十五', 325],
      ['一千零二十', 1020],
      ['两千', 2000],
    ];
    for (const [s, n] of cases) expect(parseNumeral(s), s).toBe(n);
    for (const [s, n] of cases) if (!s.includes('两')) expect(toNumeral(n)).toBe(s);
    expect(parseNumeral('74')).toBe(74);
    expect(parseNumeral('７４')).toBe(74);
    expect(parseNumeral('二三')).toBeNull();
    expect(parseNumeral('十十')).toBeNull();
    expect(parseNumeral('abc')).toBeNull();
    for (let n = 1; n <= 9999; n++) expect(parseNumeral(toNumeral(n))).toBe(n);
  });
});
