import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { articlesIn, CHUNK_LIMITS, LOCATION_SEPARATOR } from './chunk.js';
import { detectMaterialType, extractDocument, type ExtractedDocument, type MaterialKind } from './index.js';
import { toNumeral } from './numerals.js';

/** The real sample (《个人信息保护法》) in three formats: apps/server/fixtures/samples. */
export const sample = (name: string) => readFileSync(new URL(`../../../fixtures/samples/${name}`, import.meta.url));

const TITLE = '中华人民共和国个人信息保护法';
const CHAPTERS = ['第一章 总则', '第二章 个人信息处理规则', '第三章 个人信息跨境提供的规则', '第四章 个人在个人信息处理活动中的权利', '第五章 个人信息处理者的义务', '第六章 履行个人信息保护职责的部门', '第七章 法律责任', '第八章 附则'];
const SECTIONS = ['第一节 一般规定', '第二节 敏感个人信息的处理规则', '第三节 国家机关处理个人信息的特别规定'];

const FORMATS: [string, MaterialKind][] = [
  ['pipl.md', 'markdown'],
  ['pipl.docx', 'docx'],
  ['pipl.pdf', 'pdf'],
];

const docs = new Map<string, ExtractedDocument>();
const progress = new Map<string, number[]>();

beforeAll(async () => {
  for (const [file, kind] of FORMATS) {
    const data = sample(file);
    expect(detectMaterialType(data, file).kind).toBe(kind);
    const seen: number[] = [];
    docs.set(file, await extractDocument(data, kind, { onProgress: (p) => seen.push(p) }));
    progress.set(file, seen);
  }
});

describe.each(FORMATS)('%s', (file) => {
  const doc = () => docs.get(file)!;

  it('recovers the Chinese text, normalised', () => {
    const { text } = doc();
    expect(text).toContain('个人信息处理者');
    expect(text).toContain('第一条 为了保护个人信息权益，规范个人信息处理活动，促进个人信息合理利用，根据宪法，制定本法。');
    expect(text).toContain('2021年8月20日'); // the PDF's "2021 年 8 月 20 日" tightened
    expect(text).not.toMatch(/\n{3,}|[ \t]{2,}|\u3000|<!--/);
    expect(text).toBe(text.normalize('NFC'));
    // the PDF's line wraps are repaired: no paragraph ends mid-sentence
    for (const para of text.split('\n\n')) if (!/^第.+[章节] /.test(para) && para !== TITLE && !para.startsWith('2021')) expect(para).toMatch(/[。；：;]$/);
  });

  it('finds the title, 8 chapters and 3 sections in the outline, at their offsets', () => {
    const { outline, text } = doc();
    expect(outline.map((o) => o.title)).toEqual([TITLE, ...CHAPTERS.slice(0, 2), ...SECTIONS, ...CHAPTERS.slice(2)]);
    expect(outline.map((o) => o.level)).toEqual([1, 2, 2, 3, 3, 3, 2, 2, 2, 2, 2, 2]);
    for (const o of outline) expect(text.slice(o.start, o.start + o.title.length)).toBe(o.title);
  });

  it('finds all 74 articles, in order, each starting in exactly one chunk', () => {
    const { chunks } = doc();
    let next = 1;
    for (const c of chunks) {
      const range = articlesIn(c.location);
      if (!range.length) continue;
      if (range[0] === next - 1 && range.length === 1) continue; // the continuation of a long article
      expect(range[0], c.location).toBe(next);
      next = range.at(-1)! + 1;
    }
    expect(next).toBe(75);
    for (let n = 1; n <= 74; n++) {
      const start = new RegExp(`(^|\\n)第${toNumeral(n)}条 `);
      expect(chunks.filter((c) => start.test(c.text)).length, `第${toNumeral(n)}条`).toBe(1);
    }
  });

  it('keeps chunk text equal to the full text at its offsets', () => {
    const { chunks, text } = doc();
    chunks.forEach((c, i) => {
      expect(c.index).toBe(i);
      expect(c.start).toBeLessThan(c.end);
      expect(c.text).toBe(text.slice(c.start, c.end));
      expect(c.text).toBe(c.text.trim());
    });
  });

  it('sizes chunks within bounds; only the last chunk of a section is short', () => {
    const { chunks } = doc();
    chunks.forEach((c, i) => {
      expect(c.text.length).toBeLessThanOrEqual(CHUNK_LIMITS.max);
      const lastOfSection = i === chunks.length - 1 || chunks[i + 1]!.headingPath.join('/') !== c.headingPath.join('/');
      if (!lastOfSection) expect(c.text.length, c.location).toBeGreaterThanOrEqual(CHUNK_LIMITS.min);
    });
  });

  it('gives each chunk its heading path and a citation location without the title', () => {
    const { chunks } = doc();
    for (const c of chunks) {
      expect(c.headingPath[0]).toBe(TITLE);
      expect(c.location).not.toContain(TITLE);
      const chapter = c.headingPath[1];
      if (!chapter) continue;
      expect(c.location.startsWith(chapter)).toBe(true);
      // an article never shares a chunk with another chapter's text: no heading inside a chunk
      for (const heading of [...CHAPTERS, ...SECTIONS]) expect(c.text).not.toContain(`\n${heading}`);
    }
    expect(chunks.find((c) => c.text.startsWith('第十三条'))!.location).toBe(['第二章 个人信息处理规则', '第一节 一般规定', '第十三条'].join(LOCATION_SEPARATOR));
    expect(chunks[1]!.location).toBe('第一章 总则 › 第一条–第四条');
  });

  it('reports progress from 0 to 100, never going back', () => {
    const seen = progress.get(file)!;
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(100);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  });
});

describe('the three formats', () => {
  it('give the same normalised text and chunks', () => {
    const md = docs.get('pipl.md')!;
    for (const file of ['pipl.docx', 'pipl.pdf']) {
      const other = docs.get(file)!;
      expect(other.text).toBe(md.text);
      expect(other.chunks.map((c) => [c.location, c.start, c.end])).toEqual(md.chunks.map((c) => [c.location, c.start, c.end]));
    }
  });

  it('count pages for PDFs only', () => {
    expect(docs.get('pipl.pdf')!.pages).toBe(12);
    expect(docs.get('pipl.md')!.pages).toBeNull();
    expect(docs.get('pipl.docx')!.pages).toBeNull();
  });
});

describe('aborting', () => {
  it('rejects with the signal’s reason', async () => {
    const controller = new AbortController();
    const done = extractDocument(sample('pipl.pdf'), 'pdf', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p > 10) controller.abort(new Error('stopped by test'));
      },
    });
    await expect(done).rejects.toThrow('stopped by test');
  });

  it('rejects at once when already aborted', async () => {
    await expect(extractDocument(sample('pipl.md'), 'markdown', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
