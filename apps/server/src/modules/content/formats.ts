/** Each format → blocks (headings and paragraphs), before the shared structure pass. */
import mammoth from 'mammoth';
import { getDocumentProxy } from 'unpdf';
import { assertSafeZip } from '../../platform/zip-guard.js';
import { decodeText } from './detect.js';
import { contentErrors } from './errors.js';
import { dropRunningHeaders, fullLineWidth, joinWrappedLines, normaliseLine, tightenDigitHanSpaces, type LineLayout } from './normalise.js';
import type { Block } from './structure.js';

export interface FormatOptions {
  signal?: AbortSignal;
  /** Progress within this step, 0..1. */
  progress: (fraction: number) => void;
}

/** A .docx may unpack to at most this much (text, styles and embedded images together). */
export const DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Text and Markdown

export function readText(data: Buffer): string {
  const decoded = decodeText(data);
  if (!decoded) throw contentErrors.damaged('The file is not readable text (it must be UTF-8 without NUL bytes).');
  return decoded.text.replace(/\r\n?/g, '\n');
}

/** Plain text: blank lines (and form feeds) separate paragraphs; hard-wrapped lines are joined. */
export function textBlocks(source: string): Block[] {
  const lines = source.replace(/\f/g, '\n\n').split('\n').map(normaliseLine);
  return joinWrappedLines(lines, { fullWidth: fullLineWidth(lines) }).map((text) => ({ type: 'para' as const, level: 0, text }));
}

/** Inline Markdown → plain text: images → alt text, links → their text, emphasis and code marks removed, tags dropped. */
export function markdownInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1');
}

/**
 * Markdown: ATX and setext headings; paragraphs separated by blank lines, list items and table
 * rows on their own; fenced code kept as one paragraph; HTML comments dropped. Inside a paragraph,
 * lines are joined unless one ends a sentence or the next starts an article or list item (Chinese
 * documents often put each paragraph on its own line without a blank line between).
 */
export function markdownBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/<!--[\s\S]*?-->/g, '').split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length) {
      for (const text of joinWrappedLines(para.map((l) => markdownInline(normaliseLine(l))), { fullWidth: null })) blocks.push({ type: 'para', level: 0, text });
    }
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s{0,3}(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      if (code.join('').trim()) blocks.push({ type: 'para', level: 0, text: code.join('\n') });
      continue;
    }
    const atx = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      flush();
      blocks.push({ type: 'heading', level: atx[1]!.length, text: markdownInline(atx[2]!) });
      continue;
    }
    if (/^\s{0,3}(=+|-+)\s*$/.test(line) && para.length === 1) {
      blocks.push({ type: 'heading', level: line.trim().startsWith('=') ? 1 : 2, text: markdownInline(para[0]!) });
      para = [];
      continue;
    }
    if (!line.trim() || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      continue;
    }
    const table = /^\s*\|(.*)\|?\s*$/.exec(line);
    if (table) {
      flush();
      if (/^[\s|:-]+$/.test(line)) continue; // the |---|---| separator row
      const cells = table[1]!.split('|').map((c) => markdownInline(c.trim())).filter(Boolean);
      if (cells.length) blocks.push({ type: 'para', level: 0, text: cells.join(' | ') });
      continue;
    }
    const item = /^\s*(?:[-*+]|(\d{1,3}[.)]))\s+(.*)$/.exec(line);
    if (item) {
      flush();
      para.push(item[1] ? `${item[1]} ${item[2]}` : `• ${item[2]}`);
      continue;
    }
    para.push(line.replace(/^\s{0,3}>\s?/, ''));
  }
  flush();
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// PDF

/** A line of a PDF page, where it starts, and how tall its text is. */
interface PdfLine {
  text: string;
  x: number;
  y: number;
  height: number;
}

/** The PDF's page lines. */
async function pdfPages(data: Buffer, options: FormatOptions): Promise<PdfLine[][]> {
  // A PDF ends with %%EOF; one that does not was cut off (an interrupted upload or copy).
  if (!data.subarray(Math.max(0, data.length - 4096)).includes('%%EOF')) {
    throw contentErrors.damaged('The PDF is incomplete: it looks truncated.');
  }
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js transfers (detaches) the buffer it is given.
    pdf = await getDocumentProxy(new Uint8Array(data), { verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
  } catch (err) {
    if ((err as { name?: string } | null)?.name === 'PasswordException') throw contentErrors.encrypted();
    throw contentErrors.damaged('The PDF is damaged and cannot be read.');
  }
  try {
    const pages: PdfLine[][] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      options.signal?.throwIfAborted();
      let content;
      try {
        content = await (await pdf.getPage(i)).getTextContent();
      } catch {
        throw contentErrors.damaged(`The PDF is damaged: page ${i} cannot be read.`);
      }
      const lines: PdfLine[] = [];
      let line: PdfLine | null = null;
      const end = () => {
        if (line) lines.push({ ...line, text: tightenDigitHanSpaces(normaliseLine(line.text)) });
        line = null;
      };
      for (const item of content.items) {
        if (!('str' in item)) continue;
        if (item.str) {
          if (!line) line = { text: '', x: item.transform[4] as number, y: item.transform[5] as number, height: item.height };
          line.text += item.str;
          line.height = Math.max(line.height, item.height);
        }
        if (item.hasEOL) end();
      }
      end();
      pages.push(lines.filter((l) => l.text));
      options.progress(i / pdf.numPages);
    }
    return pages;
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/**
 * Paragraph breaks from the layout: a first-line indent, or — when the document spaces its
 * paragraphs (two clearly separate kinds of line gap) — a gap larger than the usual line gap.
 */
export function pdfLayout(pages: { x: number; y: number; height: number }[][]): LineLayout[][] {
  const gaps: number[] = [];
  for (const page of pages) for (let i = 1; i < page.length; i++) gaps.push(page[i - 1]!.y - page[i]!.y);
  const positive = gaps.filter((g) => g > 0).sort((a, b) => a - b);
  let breakAbove = Infinity;
  if (positive.length >= 10) {
    const line = positive[Math.floor(positive.length * 0.1)]!;
    const small = positive.filter((g) => g <= line * 1.15).length;
    const large = positive.filter((g) => g > line * 1.3).length;
    const between = positive.length - small - large;
    if (small >= positive.length * 0.05 && large >= positive.length * 0.05 && between <= positive.length * 0.05) breakAbove = line * 1.3;
  }
  return pages.map((page) => {
    const left = Math.min(...page.map((l) => l.x));
    return page.map((l, i): LineLayout => {
      if (l.x - left >= 1.5 * l.height) return 'break';
      if (i === 0) return null; // a page break says nothing
      const gap = page[i - 1]!.y - l.y;
      if (gap <= 0) return 'break'; // a new column
      if (breakAbove === Infinity) return null;
      return gap > breakAbove ? 'break' : 'continue';
    });
  });
}

export async function pdfBlocks(data: Buffer, options: FormatOptions): Promise<{ blocks: Block[]; pages: number }> {
  const all = await pdfPages(data, options);
  const pages = dropRunningHeaders(all, (l) => l.text);
  const lines = pages.flat().map((l) => l.text);
  const paragraphs = joinWrappedLines(lines, { fullWidth: fullLineWidth(lines), layout: pdfLayout(pages).flat() });
  return { blocks: paragraphs.map((text) => ({ type: 'para' as const, level: 0, text })), pages: all.length };
}

// ---------------------------------------------------------------------------------------------
// DOCX

/** Word's title style and the Chinese names WPS gives the built-in heading styles. */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='标题'] => h1:fresh",
  ...[1, 2, 3, 4, 5, 6].map((n) => `p[style-name='标题 ${n}'] => h${n}:fresh`),
];

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });

/** mammoth's HTML → blocks: h1–h6 are headings; p, li, table cells, captions and <br>-separated lines are paragraphs. */
export function htmlBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let current = '';
  let heading = 0;
  const flush = () => {
    const text = decodeEntities(current).trim();
    if (text) blocks.push(heading ? { type: 'heading', level: heading, text } : { type: 'para', level: 0, text });
    current = '';
  };
  for (const m of html.matchAll(/<(\/?)([a-zA-Z0-9]+)[^>]*>|([^<]+)/g)) {
    if (m[3] !== undefined) {
      current += m[3];
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase();
    const h = /^h([1-6])$/.exec(tag);
    if (h) {
      flush();
      heading = closing ? 0 : Number(h[1]);
    } else if (['p', 'li', 'td', 'th', 'caption', 'tr', 'ul', 'ol', 'table', 'br', 'div', 'blockquote', 'pre'].includes(tag)) {
      flush();
    }
  }
  flush();
  return blocks;
}

export async function docxBlocks(data: Buffer, options: FormatOptions): Promise<Block[]> {
  assertSafeZip(data, DOCX_MAX_UNPACKED_BYTES, (problem) =>
    problem === 'too-large' ? contentErrors.tooLargeUnpacked() : contentErrors.damaged('The Word document is damaged: it is not a readable zip archive.'),
  );
  options.progress(0.2);
  options.signal?.throwIfAborted();
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      {
        styleMap: STYLE_MAP,
        // a .docx can reference files by path; never read the server's files
        externalFileAccess: false,
        // images carry no text; do not base64 them into the HTML
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      },
    );
    html = result.value;
  } catch {
    throw contentErrors.damaged('The Word document is damaged and cannot be read.');
  }
  options.progress(0.8);
  return htmlBlocks(html);
}
