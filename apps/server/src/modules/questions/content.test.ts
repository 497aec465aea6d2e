import type { QuestionContent } from '@kpl/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashContent, normaliseContent } from './content.js';
import { displayText, htmlToText, sanitizeRich } from './sanitize.js';

const single = {
  type: 'single',
  stem: '根据《个人信息保护法》，处理个人信息应当具有明确、合理的目的，并应当与处理目的（  ）。',
  options: [
    { key: 'A', text: '间接相关' },
    { key: 'B', text: '直接相关' },
  ],
  correct: ['B'],
};

function ok(input: unknown): { content: QuestionContent; hash: string } {
  const r = normaliseContent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
}
const problems = (input: unknown) => {
  const r = normaliseContent(input);
  return r.ok ? [] : r.problems;
};

/** Rebuilds an object with its keys in reverse order, all the way down. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
  return v;
}

describe('canonical content and its hash', () => {
  it('is the SHA-256 of the key-sorted JSON, with defaults filled in', () => {
    const { content, hash } = ok(single);
    expect(content).toEqual({ ...single, explanation: '', difficulty: 3, knowledgePoints: [], tags: [], source: null });
    expect(canonicalJson(content).startsWith('{"correct":["B"],"difficulty":3,"explanation":"","knowledgePoints":[]')).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashContent(content));
  });

  it('does not change with key order, stray whitespace, CRLF, option order or a repeated key', () => {
    const { hash } = ok(single);
    expect(ok(reverseKeys(single)).hash).toBe(hash);
    expect(
      ok({
        ...single,
        stem: `  \r\n${single.stem}\r\n `,
        options: [
          { key: 'B', text: ' 直接相关 ' },
          { key: 'A', text: '间接相关\n' },
        ],
        explanation: '   ',
      }).hash,
    ).toBe(hash);
    const multiple = { type: 'multiple', stem: '原则有哪些？', options: single.options.concat({ key: 'C', text: '必要' }), correct: ['C', 'A', 'C'] };
    expect(ok(multiple).content).toMatchObject({ correct: ['A', 'C'] });
    expect(ok({ ...multiple, correct: ['A', 'C'] }).hash).toBe(ok(multiple).hash);
  });

  it('is stable under key order for any generated content (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '' && !/[<>&]/.test(s));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 1, max: 5 }), fc.array(text, { maxLength: 4 }), (stem, answer, difficulty, tags) => {
        const input = { type: 'fill_blank', stem: `${stem}____`, blanks: [{ accepted: [answer] }], difficulty, tags: tags.map((t) => t.slice(0, 32)) };
        const a = normaliseContent(input);
        const b = normaliseContent(reverseKeys(input));
        expect(a.ok && b.ok && a.hash === b.hash).toBe(a.ok);
      }),
    );
  });

  it('changes when the meaning changes', () => {
    const { hash } = ok(single);
    expect(ok({ ...single, correct: ['A'] }).hash).not.toBe(hash);
    expect(ok({ ...single, difficulty: 4 }).hash).not.toBe(hash);
    expect(ok({ ...single, tags: ['总则'] }).hash).not.toBe(hash);
  });

  it('de-duplicates labels case- and width-insensitively and keeps their order', () => {
    const { content } = ok({ ...single, knowledgePoints: ['告知同意', '目的限制', '告知同意'], tags: ['PIPL', 'pipl', 'ＰＩＰＬ', '总则'] });
    expect(content.knowledgePoints).toEqual(['告知同意', '目的限制']);
    expect(content.tags).toEqual(['PIPL', '总则']);
  });

  it('writes fill-in blanks as ____ and checks their number against the answers', () => {
    const { content } = ok({ type: 'fill_blank', stem: '处理敏感个人信息应当取得个人的（ ）同意，或者______同意。', blanks: [{ accepted: ['单独'] }, { accepted: ['书面'] }] });
    expect(content).toMatchObject({ stem: '处理敏感个人信息应当取得个人的____同意，或者____同意。', ordered: true });
    expect(problems({ type: 'fill_blank', stem: '只有一个空____。', blanks: [{ accepted: ['a'] }, { accepted: ['b'] }] })).toEqual([
      { path: 'blanks', message: 'the stem marks 1 blank(s) with ____ but 2 answer(s) are given' },
    ]);
    // "（）" in a choice stem is the usual answer bracket, not a blank: left as typed.
    expect(ok({ ...single, stem: '应当与处理目的（）。' }).content.stem).toBe('应当与处理目的（）。');
  });

  it('checks option keys, duplicate options and keys that are not options', () => {
    expect(problems({ ...single, options: [{ key: 'A', text: 'x' }, { key: 'C', text: 'y' }] })).toEqual([{ path: 'options', message: 'option keys must be A, B (each once, no gaps)' }, { path: 'correct', message: 'B is not one of the options' }]);
    expect(problems({ ...single, options: [{ key: 'A', text: '同' }, { key: 'B', text: ' 同' }] })).toEqual([{ path: 'options', message: 'options A and B are the same' }]);
    expect(problems({ ...single, correct: ['E'] })).toEqual([{ path: 'correct', message: 'E is not one of the options' }]);
    expect(problems({ ...single, difficulty: 9 })[0]!.path).toBe('difficulty');
  });
});

describe('sanitising rich text', () => {
  it('keeps basic formatting, lists, tables, code and safe images', () => {
    const html =
      '<p><strong>加粗</strong><em>斜体</em><u>下划线</u></p><ul><li>一</li></ul><ol start="2"><li>二</li></ol>' +
      '<table><thead><tr><th colspan="2">表头</th></tr></thead><tbody><tr><td>格</td></tr></tbody></table>' +
      '<pre><code class="language-sql">select 1</code></pre><img src="https://cdn.example.com/a.png" alt="图" /><img src="/files/b.png" />';
    expect(sanitizeRich(html)).toBe(html);
  });

  it('drops scripts, styles, event handlers, javascript: URLs and unsafe image sources', () => {
    expect(sanitizeRich('<p onclick="steal()">题干<script>alert(1)</script><style>p{}</style></p>')).toBe('<p>题干</p>');
    expect(sanitizeRich('<a href="javascript:alert(1)">链接</a><a href="https://example.com/x">好</a>')).toBe('<a>链接</a><a href="https://example.com/x">好</a>');
    expect(sanitizeRich('<img src="javascript:alert(1)"><img src="//evil.example/x.png"><img src="x.png"><img src="data:image/png;base64,AAAA">图')).toBe('图');
    expect(sanitizeRich('<img src="/a.png" onerror="x()" style="width:1px">')).toBe('<img src="/a.png" />');
    expect(sanitizeRich('<iframe src="https://evil.example"></iframe><svg><script>1</script></svg>文字')).toBe('文字');
    expect(sanitizeRich('<code class="language-js evil">x</code>')).toBe('<code class="language-js">x</code>');
  });

  it('is idempotent, so stored HTML re-sanitised on import keeps its hash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('<p>', '</p>', '<b>', '<img src="/x.png">', '&amp;', '&lt;', '<script>', '"', "'"), (s, tag) => {
        const once = sanitizeRich(`${s}${tag}${s}`);
        expect(sanitizeRich(once)).toBe(once);
      }),
    );
  });

  it('refuses content that is empty once unsafe HTML is removed', () => {
    expect(problems({ ...single, stem: '<script>alert(1)</script>' })).toEqual([{ path: 'stem', message: 'is empty once unsafe HTML is removed' }]);
    expect(ok({ ...single, stem: '<img src="/files/a.png">' }).content.stem).toBe('<img src="/files/a.png" />');
  });

  it('turns HTML into plain text and shows plain stems as typed', () => {
    expect(htmlToText('<p>第一段</p><p>a &lt; b &amp; c</p><ul><li>一</li><li>二</li></ul>')).toBe('第一段\na < b & c\n一\n二');
    expect(displayText('a &lt; b &amp;&amp; c')).toBe('a < b && c');
    expect(displayText('<b>x</b>')).toBe('<b>x</b>');
    // "&amp;lt;" is the text "&lt;": shown as HTML, because the text would read back as "<".
    expect(displayText('&amp;lt;')).toBe('&amp;lt;');
    expect(sanitizeRich(displayText('a &lt; b'))).toBe('a &lt; b');
  });
});
