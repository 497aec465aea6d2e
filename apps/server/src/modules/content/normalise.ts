/**
 * Text normalisation shared by every format: Unicode NFC, one kind of space, no invisible
 * characters, PDF line-wrap repair, page header/footer removal.
 */

// Zero-width characters, soft hyphen, BOM, and C0/C1 controls other than tab and newline.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Every other kind of space: tab, NBSP, en/em spaces, narrow NBSP, the full-width ideographic space. */
const SPACES = /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

/** One line (no newlines inside): NFC, spaces unified and collapsed, invisible characters removed, trimmed. */
export function normaliseLine(line: string): string {
  return line.normalize('NFC').replace(INVISIBLE, '').replace(SPACES, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Han characters and the CJK punctuation / full-width forms that go with them. */
export const HAN = /\p{Script=Han}/u;
const CJK_OR_PUNCT = /[\p{Script=Han}\u3001-\u303f\uff01-\uff60\u2014\u2026]/u;
/** What ends a sentence or a paragraph (closing quotes and brackets after it are skipped). */
const SENTENCE_END = /[。！？；：…!?;:.]$/;
const CLOSERS = /[”’」』）)】〕》]+$/;

/** A line that starts a structural element: article, chapter, section, or a numbered list item. */
export const STRUCTURAL_START = new RegExp(
  [
    '^第[零〇一二三四五六七八九两十百千0-9０-９]+[条章节编]', // 第十条 / 第一章 / 第一节
    '^[（(][一二三四五六七八九十百0-9０-９]+[）)]', // （一） (1)
    '^[一二三四五六七八九十百]+[、，．.]', // 一、
    '^[0-9０-９]{1,3}(?:[.．][0-9]{1,3})*[、．.](?![0-9])', // 1. 1、 2.3.
    '^[①-⑳]',
    '^[-*•·●▪◦]\\s',
  ].join('|'),
);

/** Chapter / section headings written as text (in any format). */
export const CHAPTER_LINE = /^第([零〇一二三四五六七八九两十百千0-9０-９]+)章(?:\s+|$)/;
export const SECTION_LINE = /^第([零〇一二三四五六七八九两十百千0-9０-９]+)节(?:\s+|$)/;

/** Whether a line is a 第X章 / 第X节 heading: short, and not a sentence. */
export function headingLevelOf(line: string): 2 | 3 | null {
  if (line.length > 40 || /[。；！？]/.test(line)) return null;
  if (CHAPTER_LINE.test(line)) return 2;
  if (SECTION_LINE.test(line)) return 3;
  return null;
}

/** How wide a line is set: CJK characters (Han, kana, Hangul, full-width forms) count 2, others 1. */
export function displayWidth(line: string): number {
  let w = 0;
  for (const c of line) w += /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1;
  return w;
}

const endsSentence = (line: string): boolean => SENTENCE_END.test(line.replace(CLOSERS, ''));

/** How wide a full line is: `hard` for lines that end without punctuation, `soft` for lines ending in ；or ：. */
export interface LineWidths {
  fullWidth: { hard: number; soft: number } | null;
}

/**
 * What the page layout says about a line (PDF): it starts a paragraph (a larger gap above it, or a
 * first-line indent), it continues the one above (the usual line gap), or nothing (use the text).
 */
export type LineLayout = 'break' | 'continue' | null;

/** A semicolon or colon ends a paragraph unless the line is full and the next is not a list item. */
const SOFT_END = /[；;：:]$/;

/**
 * Joins lines that a layout wrapped inside a paragraph (PDF, hard-wrapped text). A line is joined
 * with the next when it does not end a sentence, is not a heading, is about as long as a full line
 * (`fullWidth.hard`, so a short title or label stays on its own), and the next line does not start
 * a structural element. A line ending in ；or ：is joined only when it fills the line
 * (`fullWidth.soft`): a wrap that fell right after the semicolon. Between CJK text the join adds no
 * space; between Latin words one space. Blank lines always separate paragraphs. `fullWidth: null`
 * (Markdown paragraphs): every line is a wrap unless it ends a sentence or a clause.
 */
export function joinWrappedLines(lines: string[], options: LineWidths & { layout?: LineLayout[] }): string[] {
  const paragraphs: string[] = [];
  let current = '';
  let last = '';
  const flush = () => {
    if (current) paragraphs.push(current);
    current = '';
    last = '';
  };
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const layout = options.layout?.[i] ?? null;
    if (!line || layout === 'break') flush();
    if (!line) continue;
    if (!current) {
      current = line;
      last = line;
      continue;
    }
    const softEnd = SOFT_END.test(last);
    const structural = STRUCTURAL_START.test(line);
    const wraps =
      headingLevelOf(current) === null &&
      (layout === 'continue'
        ? // the layout says same paragraph; a list item after a finished clause still starts its own
          !(structural && (endsSentence(last) || (options.fullWidth !== null && displayWidth(last) < options.fullWidth.hard)))
        : !structural &&
          (softEnd
            ? options.fullWidth !== null && displayWidth(last) >= options.fullWidth.soft
            : !endsSentence(last) && (options.fullWidth === null || displayWidth(last) >= options.fullWidth.hard)));
    if (!wraps) {
      flush();
      current = line;
      last = line;
      continue;
    }
    const a = last.at(-1)!;
    const b = line[0]!;
    if (CJK_OR_PUNCT.test(b) || CJK_OR_PUNCT.test(a)) current += line;
    else if (a === '-' && /[a-z]/.test(b)) current = current.slice(0, -1) + line; // hyphenated word
    else current += ' ' + line;
    last = line;
  }
  flush();
  return paragraphs;
}

/**
 * The width of a full line (display width, see {@link displayWidth}), from the 80th percentile
 * of line widths (lines at least 16 wide): a line without final punctuation wraps when it is at
 * least 75 % of it, a line ending in ；/： when at least 92 %. With too few lines to tell, nothing
 * is joined.
 */
export function fullLineWidth(lines: string[]): LineWidths['fullWidth'] {
  const lengths = lines
    .map((l) => displayWidth(l.trim()))
    .filter((n) => n >= 16)
    .sort((a, b) => a - b);
  if (lengths.length < 3) return { hard: Infinity, soft: Infinity };
  const p80 = lengths[Math.floor(lengths.length * 0.8)]!;
  return { hard: Math.floor(p80 * 0.75), soft: Math.floor(p80 * 0.92) };
}

/** Running headers and footers are short: a longer line is text, even if it recurs. */
const MAX_HEADER_LENGTH = 60;
const headerKey = (line: string) => line.replace(/\s+/g, '').replace(/[0-9０-９]+/g, '#').replace(/[一二三四五六七八九十百]+(?=页)/g, '#');

/**
 * Drops running headers, footers and page numbers: a short line among the first or last two of
 * a page whose text (digits ignored) recurs in the same place on at least half of the pages (and
 * at least three).
 */
export function dropRunningHeaders<T>(pages: T[][], textOf: (line: T) => string): T[][] {
  if (pages.length < 3) return pages;
  const threshold = Math.max(3, Math.ceil(pages.length / 2));
  const zone = (lines: T[]) => {
    const idx = lines.map((l, i) => [textOf(l), i] as const).filter(([l]) => l.trim());
    const top = idx.slice(0, 2);
    const bottom = idx.slice(-2);
    return { top, bottom };
  };
  const topCount = new Map<string, number>();
  const bottomCount = new Map<string, number>();
  for (const page of pages) {
    const { top, bottom } = zone(page);
    for (const key of new Set(top.map(([l]) => headerKey(l)))) topCount.set(key, (topCount.get(key) ?? 0) + 1);
    for (const key of new Set(bottom.map(([l]) => headerKey(l)))) bottomCount.set(key, (bottomCount.get(key) ?? 0) + 1);
  }
  return pages.map((page) => {
    const { top, bottom } = zone(page);
    const drop = new Set<number>();
    for (const [l, i] of top) if (l.length <= MAX_HEADER_LENGTH && (topCount.get(headerKey(l)) ?? 0) >= threshold) drop.add(i);
    for (const [l, i] of bottom) if (l.length <= MAX_HEADER_LENGTH && (bottomCount.get(headerKey(l)) ?? 0) >= threshold) drop.add(i);
    return drop.size ? page.filter((_, i) => !drop.has(i)) : page;
  });
}

/**
 * Letter-spaced Han text → tight: runs of single Han characters separated by spaces are joined
 * ("第一章 总 则" → "第一章 总则", "目 录" → "目录"); words of two or more characters keep their spaces.
 */
export function collapseSpacedHan(line: string): string {
  const tokens = line.split(' ');
  if (tokens.length < 2) return line;
  const single = (t: string) => t.length === 1 && HAN.test(t);
  let out = tokens[0]!;
  for (let i = 1; i < tokens.length; i++) {
    out += single(tokens[i - 1]!) && single(tokens[i]!) ? tokens[i] : ' ' + tokens[i];
  }
  return out;
}

/** PDF layout puts spaces between digits and Han characters ("2021 年 8 月"): remove them. */
export function tightenDigitHanSpaces(line: string): string {
  return line.replace(/(?<=[0-9])\s+(?=\p{Script=Han})|(?<=\p{Script=Han})\s+(?=[0-9])/gu, '');
}
