import { describe, expect, it } from 'vitest';
import { normaliseText } from './normalise-text.js';

describe('normaliseText', () => {
  it.each([
    ['ＡＢＣ', 'abc'],
    ['ｐｉｐｌ', 'pipl'],
    ['２０２１', '2021'],
    ['个人信息。', '个人信息'],
    ['个人信息．', '个人信息'],
    ['Hello!!!', 'hello'],
    ['答案？！', '答案'],
    ['  Personal   Information  ', 'personal information'],
    ['个　人 信  息', '个人信息'],
    ['GDPR 条例', 'gdpr条例'],
    ['第 3 条', '第3条'],
    ['《 个人信息保护法 》', '《个人信息保护法》'],
    ['合法，　正当', '合法,正当'],
    ['a\u200bb\ufeff', 'ab'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it('keeps what carries meaning: spaces between Latin words, inner punctuation, Korean word spaces', () => {
    expect(normaliseText('ISO 27001')).toBe('iso 27001');
    expect(normaliseText('3.14')).toBe('3.14');
    expect(normaliseText('개인 정보')).toBe('개인 정보');
  });

  it('reduces punctuation-only or blank text to the empty string', () => {
    expect(normaliseText('。。。')).toBe('');
    expect(normaliseText(' \u3000 ')).toBe('');
  });

  it('is idempotent', () => {
    for (const s of ['ＡＢＣ 个 人。', 'Hello ,World !', '第 ３ 条；']) expect(normaliseText(normaliseText(s))).toBe(normaliseText(s));
  });
});
