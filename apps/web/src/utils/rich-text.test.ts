import { describe, expect, it } from 'vitest';
import { defuseHandlers, escapeHtml, looksLikeHtml, plainTextHtml, richTextHtml, richTextPlain } from './rich-text';

describe('rich text', () => {
  it('shows plain text as typed: escaped, line breaks kept', () => {
    expect(looksLikeHtml('a < b 且 c > d')).toBe(false);
    expect(plainTextHtml('第一行\n<第二行> & "引号"')).toBe('第一行<br>&#60;第二行&#62; &#38; &#34;引号&#34;');
    // Without markup no HTML parser is needed (this runs in Node, without a DOM).
    expect(richTextHtml('x < y')).toBe('x &#60; y');
    expect(escapeHtml("'")).toBe('&#39;');
  });

  it('renames inline handlers before the browser parses them, in every attribute syntax', () => {
    expect(defuseHandlers('<img src=x onerror="a()"><b onClick = \'b()\'>t</b><svg/onload=c()>')).toBe(
      '<img src=x data-removed="a()"><b data-removed = \'b()\'>t</b><svg/data-removed=c()>',
    );
    expect(defuseHandlers('<img alt="x"onerror=a()>')).toBe('<img alt="x"data-removed=a()>');
    // Text that merely mentions "on" is left alone.
    expect(defuseHandlers('<p>x online = 在线；only</p>')).toBe('<p>x online = 在线；only</p>');
  });

  it('recognises markup and reduces it to text for tables', () => {
    expect(looksLikeHtml('<p>题干</p>')).toBe(true);
    expect(looksLikeHtml('<img src="/a.png">')).toBe(true);
    expect(richTextPlain('<p>处理<strong>敏感</strong>信息</p><p>应当&nbsp;取得&lt;单独&gt;同意</p>')).toBe('处理敏感信息 应当 取得<单独>同意');
    expect(richTextPlain('没有标记')).toBe('没有标记');
  });
});
