import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articlesIn, CHUNK_LIMITS } from './chunk.js';
import { extractDocument, type ExtractedDocument } from './index.js';
import { toNumeral } from './numerals.js';

/**
 * Generated statute-like and free-form documents (Markdown and plain text): whatever the shape,
 * chunks are exact slices of the text, stay within bounds, never cross a heading, cover every
 * paragraph, overlap only a little within one passage, and cite every article exactly once.
 */

const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研';
const hanText = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...HAN), minLength: min, maxLength: max });
/** A sentence: clauses of Han text with commas, ending in 。；！？ — or, sometimes, a very long run without any punctuation. */
const sentence = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.array(hanText(2, 40), { minLength: 1, maxLength: 5 }), fc.constantFrom('。', '；', '！', '？')).map(([clauses, end]) => clauses.join('，') + end) },
  { weight: 1, arbitrary: hanText(600, 1100).map((s) => s + '。') },
  { weight: 1, arbitrary: fc.tuple(hanText(1, 20), fc.constantFrom('GDPR', 'ISO 27001', 'Data Protection Act', '2021年')).map(([a, b]) => `${a} ${b}，${a}。`) },
);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((s) => s.join(''));
const listItems = fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((ps) => ps.map((p, i) => `（${toNumeral(i + 1)}）${p}`));

interface Article {
  paragraphs: string[];
}
interface Part {
  heading: string | null;
  intro: string[];
  articles: Article[];
}
interface Chapter {
  title: string;
  parts: Part[];
}

const article: fc.Arbitrary<Article> = fc
  .tuple(paragraph, fc.array(paragraph, { maxLength: 2 }), fc.option(listItems, { nil: undefined }))
  .map(([first, more, items]) => ({ paragraphs: [first, ...(items ?? []), ...more] }));
const part = (heading: string | null): fc.Arbitrary<Part> =>
  fc.record({ heading: fc.constant(heading), intro: fc.array(paragraph, { maxLength: 2 }), articles: fc.array(article, { maxLength: 6 }) });
const chapter: fc.Arbitrary<Chapter> = fc.tuple(hanText(2, 10), fc.integer({ min: 0, max: 2 })).chain(([title, sections]) =>
  (sections === 0 ? part(null).map((p) => [p]) : fc.tuple(...Array.from({ length: sections }, (_, i) => part(`第${toNumeral(i + 1)}节 ${HAN[i]}规定`)))).map((parts) => ({ title, parts })),
);
const documentShape = fc.record({ title: fc.option(hanText(4, 20), { nil: undefined }), preamble: fc.array(paragraph, { maxLength: 2 }), chapters: fc.array(chapter, { minLength: 0, maxLength: 4 }) });
type Shape = typeof documentShape extends fc.Arbitrary<infer T> ? T : never;

/** Renders a shape as Markdown (headings with #) or plain text (headings as lines), numbering articles. */
function render(shape: Shape, markdown: boolean): { source: string; articles: number; chapters: number } {
  const lines: string[] = [];
  const h = (level: number, text: string) => lines.push(markdown ? `${'#'.repeat(level)} ${text}` : text);
  let n = 0;
  if (shape.title) h(1, shape.title);
  lines.push(...shape.preamble);
  shape.chapters.forEach((c, i) => {
    h(2, `第${toNumeral(i + 1)}章 ${c.title}`);
    for (const p of c.parts) {
      if (p.heading) h(3, p.heading);
      lines.push(...p.intro);
      for (const a of p.articles) {
        n++;
        lines.push(`第${toNumeral(n)}条 ${a.paragraphs[0]}`, ...a.paragraphs.slice(1));
      }
    }
  });
  return { source: lines.join('\n\n'), articles: n, chapters: shape.chapters.length };
}

function checkInvariants(doc: ExtractedDocument, expected: { articles: number; chapters: number }): void {
  const { text, chunks, outline } = doc;
  // outline entries point at their titles; chapters are all there
  for (const o of outline) expect(text.slice(o.start, o.start + o.title.length)).toBe(o.title);
  expect(outline.filter((o) => o.level === 2 && o.title.startsWith('第')).length).toBe(expected.chapters);

  const headingSpans = outline.map((o) => [o.start, o.start + o.title.length] as const);
  const covered = new Uint8Array(text.length);
  chunks.forEach((c, i) => {
    // exact slices, trimmed, within bounds, in order
    expect(c.index).toBe(i);
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.text).toBe(c.text.trim());
    expect(c.text.length).toBeLessThanOrEqual(CHUNK_LIMITS.max);
    // no heading inside a chunk: nothing from two sections
    for (const [s, e] of headingSpans) expect(e <= c.start || s >= c.end).toBe(true);
    const prev = chunks[i - 1];
    if (prev) {
      expect(c.start).toBeGreaterThanOrEqual(prev.start);
      const overlap = prev.end - c.start;
      if (overlap > 0) {
        expect(overlap).toBeLessThanOrEqual(CHUNK_LIMITS.overlap);
        expect(c.location).toBe(prev.location); // only between chunks of one passage
        expect(c.end).toBeGreaterThan(prev.end); // and every chunk brings new text
      }
    }
    covered.fill(1, c.start, c.end);
  });
  // every non-space character outside headings is in some chunk
  const inHeading = new Uint8Array(text.length);
  for (const [s, e] of headingSpans) inHeading.fill(1, s, e);
  for (let i = 0; i < text.length; i++) if (!covered[i] && !inHeading[i] && !/\s/.test(text[i]!)) throw new Error(`offset ${i} (${JSON.stringify(text.slice(i, i + 20))}) is in no chunk`);

  // every article starts in exactly one chunk, and locations walk through them in order
  let next = 1;
  for (const c of chunks) {
    const range = articlesIn(c.location);
    if (!range.length) continue;
    if (range.length === 1 && range[0] === next - 1) continue; // a long article's continuation
    expect(range[0]).toBe(next);
    next = range.at(-1)! + 1;
  }
  expect(next).toBe(expected.articles + 1);
  for (let n = 1; n <= expected.articles; n++) {
    const start = new RegExp(`(^|\\n)第${toNumeral(n)}条 `);
    expect(chunks.filter((c) => start.test(c.text)).length).toBe(1);
  }
}

describe('chunking invariants on generated documents', () => {
  it('hold for Markdown', async () => {
    await fc.assert(
      fc.asyncProperty(documentShape, async (shape) => {
        const rendered = render(shape, true);
        // Markdown's heading marks are not text: count only what extraction keeps.
        fc.pre(rendered.source.replace(/^#+ /gm, '').replace(/\s/g, '').length >= 20);
        checkInvariants(await extractDocument(Buffer.from(rendered.source), 'markdown'), rendered);
      }),
      { numRuns: 150 },
    );
  });

  it('hold for plain text (headings recognised from 第X章 / 第X节 lines)', async () => {
    await fc.assert(
      fc.asyncProperty(documentShape, async (shape) => {
        const rendered = render(shape, false);
        // Markdown's heading marks are not text: count only what extraction keeps.
        fc.pre(rendered.source.replace(/^#+ /gm, '').replace(/\s/g, '').length >= 20);
        checkInvariants(await extractDocument(Buffer.from(rendered.source), 'text'), rendered);
      }),
      { numRuns: 150 },
    );
  });
});
