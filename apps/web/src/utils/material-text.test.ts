import { describe, expect, it } from 'vitest';
import { blockAt, findSnippet, headingId, headingTag, toBlocks } from './material-text';

const TEXT = '中华人民共和国个人信息保护法\n\n第一章 总则\n\n第一条 为了保护个人信息权益。\n\n第二条 自然人的个人信息受法律保护。\n第二款接着写。\n\n第二章 规则\n\n第十三条 符合下列情形之一。';
const OUTLINE = [
  { level: 1, title: '中华人民共和国个人信息保护法', start: 0 },
  { level: 2, title: '第一章 总则', start: TEXT.indexOf('第一章') },
  { level: 2, title: '第二章 规则', start: TEXT.indexOf('第二章') },
];

describe('toBlocks', () => {
  it('turns outline entries into headings and blank-line separated text into paragraphs', () => {
    const blocks = toBlocks(TEXT, OUTLINE);
    expect(blocks.map((b) => [b.kind, b.level, b.text])).toEqual([
      ['heading', 1, '中华人民共和国个人信息保护法'],
      ['heading', 2, '第一章 总则'],
      ['paragraph', 0, '第一条 为了保护个人信息权益。'],
      ['paragraph', 0, '第二条 自然人的个人信息受法律保护。\n第二款接着写。'],
      ['heading', 2, '第二章 规则'],
      ['paragraph', 0, '第十三条 符合下列情形之一。'],
    ]);
    expect(blocks[1]!.id).toBe(headingId(1));
    // Spans point back into the text.
    for (const block of blocks) expect(TEXT.slice(block.start, block.end)).toBe(block.text);
  });

  it('splits a paragraph at a heading inside it and ignores offsets out of range', () => {
    const text = '导语\n第一节 一般规定\n正文';
    const blocks = toBlocks(text, [
      { level: 3, title: '第一节 一般规定', start: 3 },
      { level: 2, title: '坏的', start: 999 },
    ]);
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', '导语'],
      ['heading', '第一节 一般规定'],
      ['paragraph', '正文'],
    ]);
  });

  it('renders text without an outline as paragraphs only', () => {
    expect(toBlocks('a\n\n\n  b  \n\n', []).map((b) => b.text)).toEqual(['a', 'b']);
    expect(toBlocks('', [])).toEqual([]);
  });
});

describe('findSnippet', () => {
  it('finds the chunk start as is, or ignoring whitespace', () => {
    expect(findSnippet(TEXT, '第二条 自然人的个人信息')).toBe(TEXT.indexOf('第二条'));
    expect(findSnippet(TEXT, '第二条 自然人的个人信息受法律保护。 第二款')).toBe(TEXT.indexOf('第二条'));
    expect(findSnippet(TEXT, '不存在的内容')).toBe(-1);
    expect(findSnippet(TEXT, '   ')).toBe(-1);
  });

  it('leads to the block holding the offset', () => {
    const blocks = toBlocks(TEXT, OUTLINE);
    expect(blockAt(blocks, findSnippet(TEXT, '第二款接着写'))?.text).toMatch(/^第二条/);
    expect(blockAt(blocks, TEXT.length)).toBeUndefined();
  });
});

describe('headingTag', () => {
  it('keeps the h1 for the page title', () => {
    expect([0, 1, 2, 3, 9].map(headingTag)).toEqual(['h2', 'h2', 'h3', 'h4', 'h6']);
  });
});
