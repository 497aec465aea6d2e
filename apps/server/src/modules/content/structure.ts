/**
 * The block model every format is converted to, and what is built from it: the normalised full
 * text, the outline, and the sections and articles the chunker works on.
 */
import { type Section, type Span, type Unit } from './chunk.js';
import { collapseSpacedHan, headingLevelOf, normaliseLine } from './normalise.js';
import { CN_NUMERAL_CHARS, parseNumeral } from './numerals.js';

export interface Block {
  type: 'heading' | 'para';
  /** Heading level (1 = document title); 0 for paragraphs. */
  level: number;
  text: string;
}

export interface OutlineEntry {
  level: number;
  title: string;
  start: number;
}

export interface Structured {
  text: string;
  outline: OutlineEntry[];
  sections: Section[];
}

/** An article start: 第十三条 (also 第13条, 第十条之一) at the start of a paragraph. */
const ARTICLE = new RegExp(`^第([${CN_NUMERAL_CHARS}0-9０-９]+)条(?:之[一二三四五六七八九十]+)?`);
const TITLE_PUNCTUATION = /[。，；：！？,;:!?、]/;
const NOT_A_TITLE = /^(第[^\s]{1,8}[条章节编]|[（(]|[0-9０-９]|[-*•])/;

/**
 * Cleans block texts and finishes the structure: 第X章 / 第X节 paragraphs become headings (levels 2
 * and 3, whatever heading level the format gave them), letter-spaced headings are tightened, and
 * a document without a level-1 heading gets its first paragraph as title when it looks like one.
 */
export function finishBlocks(raw: Block[]): Block[] {
  const blocks: Block[] = [];
  for (const b of raw) {
    const text = b.text
      .split('\n')
      .map(normaliseLine)
      .filter((l, i, all) => l || (i > 0 && i < all.length - 1))
      .join('\n')
      .trim();
    if (!text) continue;
    const single = !text.includes('\n');
    const asHeading = single ? headingLevelOf(collapseSpacedHan(text)) : null;
    if (b.type === 'heading' || asHeading) {
      const title = collapseSpacedHan(text.replace(/\n/g, ' '));
      blocks.push({ type: 'heading', level: headingLevelOf(title) ?? (b.type === 'heading' ? Math.min(Math.max(b.level, 1), 6) : asHeading!), text: title });
      continue;
    }
    // a fully letter-spaced paragraph ("目 录")
    const tight = single && /^(\p{Script=Han} )+\p{Script=Han}$/u.test(text) ? collapseSpacedHan(text) : text;
    blocks.push({ type: 'para', level: 0, text: tight });
  }
  const levelOnes = blocks.filter((b) => b.type === 'heading' && b.level === 1).length;
  const first = blocks[0];
  if (levelOnes === 0 && first && first.type === 'para' && blocks.length > 1) {
    if (first.text.length <= 50 && !first.text.includes('\n') && !TITLE_PUNCTUATION.test(first.text) && !NOT_A_TITLE.test(first.text)) {
      blocks[0] = { type: 'heading', level: 1, text: first.text };
    }
  }
  return blocks;
}

/**
 * Joins the blocks into the full text (blocks separated by a blank line) and builds the outline
 * and the sections. The document title is the only level-1 heading when there is exactly one;
 * it is in every heading path but not in locations. Articles start at paragraphs that begin with
 * 第X条 followed by a space — or directly by text when the number is the next one expected.
 */
export function structure(blocks: Block[]): Structured {
  const levelOnes = blocks.filter((b) => b.type === 'heading' && b.level === 1);
  const title = levelOnes.length === 1 ? levelOnes[0] : undefined;

  let text = '';
  const outline: OutlineEntry[] = [];
  const sections: Section[] = [];
  const stack: { level: number; title: string; isTitle: boolean }[] = [];
  let section: Section | null = null;
  let unit: Unit | null = null;
  let lastArticle = 0;

  const openSection = () => {
    section = { headingPath: stack.map((h) => h.title), locationPath: stack.filter((h) => !h.isTitle).map((h) => h.title), units: [] };
    sections.push(section);
    unit = null;
  };

  for (const b of blocks) {
    if (text) text += '\n\n';
    const span: Span = { start: text.length, end: text.length + b.text.length };
    text += b.text;
    if (b.type === 'heading') {
      outline.push({ level: b.level, title: b.text, start: span.start });
      while (stack.length && stack.at(-1)!.level >= b.level) stack.pop();
      stack.push({ level: b.level, title: b.text, isTitle: b === title });
      section = null;
      unit = null;
      continue;
    }
    if (!section) openSection();
    const m = ARTICLE.exec(b.text);
    const n = m ? parseNumeral(m[1]!) : null;
    const startsArticle = m !== null && n !== null && (/^\s/.test(b.text.slice(m[0].length)) || b.text.length === m[0].length || n === lastArticle + 1);
    if (startsArticle) {
      lastArticle = n!;
      unit = { article: { label: m![0] }, paragraphs: [span] };
      section!.units.push(unit);
    } else if (unit) {
      unit.paragraphs.push(span);
    } else {
      unit = { article: null, paragraphs: [span] };
      section!.units.push(unit);
    }
  }
  return { text, outline, sections: sections.filter((s) => s.units.length) };
}
