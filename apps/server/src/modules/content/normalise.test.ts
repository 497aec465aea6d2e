import { describe, expect, it } from 'vitest';
import { extractDocument } from './index.js';
import { htmlBlocks, markdownBlocks, markdownInline, pdfLayout } from './formats.js';
import { collapseSpacedHan, dropRunningHeaders, fullLineWidth, joinWrappedLines, normaliseLine, tightenDigitHanSpaces } from './normalise.js';

describe('normaliseLine', () => {
  it('unifies spaces (full-width, NBSP, tabs), drops invisible characters, applies NFC, trims', () => {
    expect(normaliseLine('\u3000第一条\u3000\u3000为了\u00a0保护\t个人\u200b信息 \ufeff')).toBe('第一条 为了 保护 个人信息');
    expect(normaliseLine('e\u0301')).toBe('\u00e9');
  });
});

describe('joinWrappedLines (PDF line wraps)', () => {
  const lines = [
    '第一条 为了保护个人信息权益，规范个人信息处理活动，促进个人信息合理利',
    '用，根据宪法，制定本法。',
    '第二条 自然人的个人信息受法律保护，任何组织、个人不得侵害自然人的个人',
    '信息权益。',
    '在中华人民共和国境外处理中华人民共和国境内自然人个人信息的活动，有下',
    '列情形之一的，也适用本法：',
    '（一）以向境内自然人提供产品或者服务为目的；',
    '（二）分析、评估境内自然人的行为；',
  ];
  it('joins a line that ends without sentence punctuation to the CJK line after it, without a space', () => {
    expect(joinWrappedLines(lines, { fullWidth: fullLineWidth(lines) })).toEqual([
      '第一条 为了保护个人信息权益，规范个人信息处理活动，促进个人信息合理利用，根据宪法，制定本法。',
      '第二条 自然人的个人信息受法律保护，任何组织、个人不得侵害自然人的个人信息权益。',
      '在中华人民共和国境外处理中华人民共和国境内自然人个人信息的活动，有下列情形之一的，也适用本法：',
      '（一）以向境内自然人提供产品或者服务为目的；',
      '（二）分析、评估境内自然人的行为；',
    ]);
  });

  it('keeps headings, short title lines and list items on their own; joins Latin words with a space', () => {
    const doc = ['公司员工培训管理制度', '第一章 总则', '第一条 为了规范员工培训管理，提升员工的专业能力和职业素养，特制定', '本制度。This policy applies to all employees of the', 'company and its subsidiaries.', '一、培训对象', '1. 新员工'];
    expect(joinWrappedLines(doc, { fullWidth: fullLineWidth(doc) })).toEqual([
      '公司员工培训管理制度',
      '第一章 总则',
      '第一条 为了规范员工培训管理，提升员工的专业能力和职业素养，特制定本制度。This policy applies to all employees of the company and its subsidiaries.',
      '一、培训对象',
      '1. 新员工',
    ]);
  });

  it('treats blank lines as paragraph breaks and follows the PDF layout when it is known', () => {
    expect(joinWrappedLines(['很长的一行没有标点结束', '', '下一段'], { fullWidth: null })).toEqual(['很长的一行没有标点结束', '下一段']);
    // the layout says: same paragraph although the line ends with 。; new paragraph although it does not
    expect(joinWrappedLines(['第五十条 应当建立申请受理和处理机制。', '拒绝请求的，应当说明理由。', '新的一段没有标点', '继续'], { fullWidth: null, layout: [null, 'continue', 'break', 'break'] })).toEqual([
      '第五十条 应当建立申请受理和处理机制。拒绝请求的，应当说明理由。',
      '新的一段没有标点',
      '继续',
    ]);
  });
});

describe('pdfLayout', () => {
  it('finds paragraph breaks from line gaps when paragraphs are spaced, and from indents', () => {
    const line = (y: number, x = 90) => ({ x, y, height: 12 });
    // 17.3 between lines of a paragraph, 26.3 between paragraphs (as in pipl.pdf)
    const ys = [700, 682.7, 656.4, 639.1, 621.8, 595.5, 569.2, 551.9, 525.6, 508.3, 482, 464.7];
    const page = ys.map((y) => line(y));
    expect(pdfLayout([page])[0]).toEqual([null, 'continue', 'break', 'continue', 'continue', 'break', 'break', 'continue', 'break', 'continue', 'break', 'continue']);
    // no spacing between paragraphs: the gaps say nothing; a first-line indent still does
    const flat = [line(700), line(683, 114), line(666), line(649, 114), line(632), line(615), line(598), line(581), line(564), line(547), line(530)];
    expect(pdfLayout([flat])[0]).toEqual([null, 'break', null, 'break', null, null, null, null, null, null, null]);
  });
});

describe('dropRunningHeaders', () => {
  it('drops page headers, footers and page numbers repeated on most pages', () => {
    const body = ['甲', '乙', '丙', '丁'];
    const pages = [1, 2, 3, 4].map((n) => ['公司内部资料 注意保密', `${body[n - 1]}页的第一行正文`, `${body[n - 1]}页的最后一行正文。`, `- ${n} -`]);
    expect(dropRunningHeaders(pages, (l) => l)).toEqual(body.map((b) => [`${b}页的第一行正文`, `${b}页的最后一行正文。`]));
    // a long line is text even when it recurs
    const long = '这是一段很长的正文，'.repeat(8);
    const withLong = [1, 2, 3].map((n) => [long, `第${n}页其他内容`]);
    expect(dropRunningHeaders(withLong, (l) => l)[0]).toContain(long);
  });

  it('keeps everything with fewer than three pages, or when nothing repeats', () => {
    const two = [['页眉', '正文一'], ['页眉', '正文二']];
    expect(dropRunningHeaders(two, (l) => l)).toEqual(two);
    const varied = [['甲', '一'], ['乙', '二'], ['丙', '三']];
    expect(dropRunningHeaders(varied, (l) => l)).toEqual(varied);
  });
});

describe('spacing', () => {
  it('tightens letter-spaced Han ("第一章 总 则" → "第一章 总则") but keeps spaces between words', () => {
    expect(collapseSpacedHan('第一章 总 则')).toBe('第一章 总则');
    expect(collapseSpacedHan('第八章 附 则')).toBe('第八章 附则');
    expect(collapseSpacedHan('目 录')).toBe('目录');
    expect(collapseSpacedHan('第二章 个人信息处理规则')).toBe('第二章 个人信息处理规则');
    expect(collapseSpacedHan('GDPR 与 个人信息')).toBe('GDPR 与 个人信息');
  });

  it('removes the spaces PDF layout puts between digits and Han characters', () => {
    expect(tightenDigitHanSpaces('2021 年 8 月 20 日 第十三届')).toBe('2021年8月20日 第十三届');
  });
});

describe('Markdown and HTML blocks', () => {
  it('strips inline Markdown', () => {
    expect(markdownInline('**重要**：见[附件](http://x/a.pdf)与`代码`和![图](i.png)')).toBe('重要：见附件与代码和图');
  });

  it('reads headings, lists, tables, code and comments', () => {
    const md = '标题\n===\n\n<!-- 注释 -->\n## 第一章 总 则\n\n- 条目一\n- 条目二\n\n| 列 | 值 |\n|---|---|\n| 甲 | 乙 |\n\n```\ncode line\n```\n\n第一条 内容\n接着写。\n第二条 另一条。';
    expect(markdownBlocks(md)).toEqual([
      { type: 'heading', level: 1, text: '标题' },
      { type: 'heading', level: 2, text: '第一章 总 则' },
      { type: 'para', level: 0, text: '• 条目一' },
      { type: 'para', level: 0, text: '• 条目二' },
      { type: 'para', level: 0, text: '列 | 值' },
      { type: 'para', level: 0, text: '甲 | 乙' },
      { type: 'para', level: 0, text: 'code line' },
      { type: 'para', level: 0, text: '第一条 内容接着写。' },
      { type: 'para', level: 0, text: '第二条 另一条。' },
    ]);
  });

  it('reads mammoth HTML: headings, paragraphs, list items, table cells, entities', () => {
    const html = '<h1>员工手册</h1><p>第一条 &lt;总则&gt; &amp; 说明</p><ul><li>条目一<ul><li>子条目</li></ul></li></ul><table><tr><td>甲</td><td>乙</td></tr></table><p>换行<br />之后</p>';
    expect(htmlBlocks(html).map((b) => `${b.type}:${b.text}`)).toEqual(['heading:员工手册', 'para:第一条 <总则> & 说明', 'para:条目一', 'para:子条目', 'para:甲', 'para:乙', 'para:换行', 'para:之后']);
  });
});

describe('structure of a plain-text policy', () => {
  it('finds the title, chapters and articles without any markup', async () => {
    const text = '员工信息安全管理办法\n\n第一章 总 则\n\n第一条 为了加强员工信息安全管理，制定本办法。\n\n第二条 本办法适用于公司全体员工。\n\n第二章 管理要求\n\n第三条 员工不得泄露客户个人信息。';
    const doc = await extractDocument(Buffer.from(text), 'text');
    expect(doc.outline.map((o) => [o.level, o.title])).toEqual([
      [1, '员工信息安全管理办法'],
      [2, '第一章 总则'],
      [2, '第二章 管理要求'],
    ]);
    expect(doc.chunks.map((c) => [c.location, c.headingPath])).toEqual([
      ['第一章 总则 › 第一条–第二条', ['员工信息安全管理办法', '第一章 总则']],
      ['第二章 管理要求 › 第三条', ['员工信息安全管理办法', '第二章 管理要求']],
    ]);
  });

  it('chunks a document without headings or articles by sentences', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `这是第${i + 1}句培训内容，讲解信息安全的基本要求。`).join('');
    const doc = await extractDocument(Buffer.from(text), 'text');
    expect(doc.outline).toEqual([]);
    expect(doc.chunks.length).toBeGreaterThan(1);
    for (const c of doc.chunks) {
      expect(c.location).toBe('');
      expect(c.text.length).toBeLessThanOrEqual(800);
      expect(c.text).toMatch(/。$/);
    }
  });
});
