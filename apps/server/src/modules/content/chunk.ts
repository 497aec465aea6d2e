/**
 * Chunking: headings and statute articles first, then sentences. Offsets index into the
 * normalised full text, and `chunk.text === text.slice(chunk.start, chunk.end)` always (the
 * overlap with the previous chunk is part of both).
 */
import { parseNumeral } from './numerals.js';

export interface Chunk {
  index: number;
  text: string;
  headingPath: string[];
  /** e.g. "第一章 总则 › 第三条" — what a citation shows after the material title */
  location: string;
  start: number;
  end: number;
}

export const CHUNK_LIMITS = {
  /** Below this a chunk takes the following articles of its section, when they fit. */
  min: 300,
  /** No chunk is longer, overlap included. */
  max: 800,
  /** The overlap (one sentence) between consecutive chunks of one passage is at most this long. */
  overlap: 120,
} as const;

export const LOCATION_SEPARATOR = ' › ';
export const ARTICLE_RANGE_SEPARATOR = '–';

/** A span of the full text. */
export interface Span {
  start: number;
  end: number;
}

/** One article (第X条 and the paragraphs that continue it), or a run of paragraphs outside articles. */
export interface Unit {
  article: { label: string } | null;
  paragraphs: Span[];
}

/** Everything under one heading path. */
export interface Section {
  headingPath: string[];
  /** The headings shown in a location: the path without the document title. */
  locationPath: string[];
  units: Unit[];
}

const SENTENCE = /[。！？；!?;]+[”’」』）)】〕》]*|\.(?=\s|$)/g;
const CLAUSE = /[，、：,:]/g;

/** Sentence spans of one paragraph; a sentence longer than `max` is cut at clauses (or hard) into pieces ≤ max. */
export function sentences(text: string, para: Span, max: number = CHUNK_LIMITS.max): Span[] {
  const body = text.slice(para.start, para.end);
  const out: Span[] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    // trim whitespace at both ends
    while (a < b && /\s/.test(body[a]!)) a++;
    while (b > a && /\s/.test(body[b - 1]!)) b--;
    if (b > a) out.push(...splitLong(body, a, b, max).map((s) => ({ start: para.start + s.start, end: para.start + s.end })));
  };
  for (const m of body.matchAll(SENTENCE)) {
    const end = m.index + m[0].length;
    push(from, end);
    from = end;
  }
  push(from, body.length);
  return out;
}

function splitLong(body: string, a: number, b: number, max: number): Span[] {
  const out: Span[] = [];
  while (b - a > max) {
    // the last clause mark (or space) that keeps the piece within max, else a hard cut
    let cut = -1;
    const window = body.slice(a, a + max);
    for (const m of window.matchAll(CLAUSE)) cut = m.index + 1;
    if (cut < max / 3) {
      const space = window.lastIndexOf(' ');
      cut = space > max / 3 ? space + 1 : max;
    }
    let end = a + cut;
    // never end inside a surrogate pair
    if (/[\ud800-\udbff]/.test(body[end - 1]!)) end--;
    let pieceEnd = end;
    while (pieceEnd > a && /\s/.test(body[pieceEnd - 1]!)) pieceEnd--;
    out.push({ start: a, end: pieceEnd });
    a = end;
    while (a < b && /\s/.test(body[a]!)) a++;
  }
  if (b > a) out.push({ start: a, end: b });
  return out;
}

/** Packs sentences into chunks of about equal length ≤ max, with one-sentence overlap (≤ 120 chars). */
export function packSentences(sents: Span[], limits: { min: number; max: number; overlap: number } = CHUNK_LIMITS): Span[] {
  if (!sents.length) return [];
  const total = sents.at(-1)!.end - sents[0]!.start;
  if (total <= limits.max) return [{ start: sents[0]!.start, end: sents.at(-1)!.end }];
  const pieces = Math.ceil(total / (limits.max * 0.85));
  const target = Math.max(limits.min, total / pieces);
  const out: Span[] = [];
  let i = 0;
  let overlap: Span | null = null;
  while (i < sents.length) {
    let start = sents[i]!.start;
    if (overlap && sents[i]!.end - overlap.start <= limits.max) start = overlap.start;
    let j = i;
    while (j + 1 < sents.length && sents[j + 1]!.end - start <= limits.max && sents[j]!.end - start < target) j++;
    // a short tail that fits goes into this chunk rather than standing alone
    if (j + 1 < sents.length && sents.at(-1)!.end - start <= limits.max && sents.at(-1)!.end - sents[j + 1]!.start < limits.min / 2) j = sents.length - 1;
    out.push({ start, end: sents[j]!.end });
    const last = sents[j]!;
    overlap = j + 1 < sents.length && last.end - last.start <= limits.overlap && (j > i || start !== last.start) ? last : null;
    i = j + 1;
  }
  return out;
}

/** "第一条" or "第一条–第三条". */
export const articleRange = (first: string, last: string) => (first === last ? first : `${first}${ARTICLE_RANGE_SEPARATOR}${last}`);

/** The article numbers a chunk location covers: "第一章 总则 › 第一条–第三条" → [1, 2, 3]; [] when it names none. */
export function articlesIn(location: string): number[] {
  const last = location.split(LOCATION_SEPARATOR).at(-1) ?? '';
  const m = new RegExp(`^第(.+?)条(?:${ARTICLE_RANGE_SEPARATOR}第(.+?)条)?$`).exec(last);
  const a = m ? parseNumeral(m[1]!) : null;
  const b = m?.[2] ? parseNumeral(m[2]) : a;
  if (a === null || b === null || b < a) return [];
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

const span = (u: Unit): Span => ({ start: u.paragraphs[0]!.start, end: u.paragraphs.at(-1)!.end });

/** Chunks every section. Articles never share a chunk with another section's text. */
export function chunkSections(text: string, sections: Section[], limits = CHUNK_LIMITS): Chunk[] {
  const chunks: Chunk[] = [];
  const emit = (section: Section, s: Span, article: string | null) => {
    const location = [...section.locationPath, ...(article ? [article] : [])].join(LOCATION_SEPARATOR);
    chunks.push({ index: chunks.length, text: text.slice(s.start, s.end), headingPath: section.headingPath, location, start: s.start, end: s.end });
  };
  const packParagraphs = (paras: Span[]) => packSentences(paras.flatMap((p) => sentences(text, p, limits.max)), limits);

  for (const section of sections) {
    const units = section.units.filter((u) => u.paragraphs.length);
    let i = 0;
    while (i < units.length) {
      const unit = units[i]!;
      if (!unit.article) {
        // a run of paragraphs outside articles
        const paras: Span[] = [];
        while (i < units.length && !units[i]!.article) paras.push(...units[i++]!.paragraphs);
        for (const s of packParagraphs(paras)) emit(section, s, null);
        continue;
      }
      // articles: group short ones with the following articles of this section
      const groups: Unit[][] = [];
      while (i < units.length && units[i]!.article) {
        const group = [units[i++]!];
        const start = span(group[0]!).start;
        while (
          i < units.length &&
          units[i]!.article &&
          span(group.at(-1)!).end - start < limits.min &&
          span(units[i]!).end - start <= limits.max &&
          span(group[0]!).end - start <= limits.max
        ) {
          group.push(units[i++]!);
        }
        groups.push(group);
      }
      // a short last group joins the one before when both fit
      if (groups.length >= 2) {
        const last = groups.at(-1)!;
        const prev = groups.at(-2)!;
        const lastLength = span(last.at(-1)!).end - span(last[0]!).start;
        if (lastLength < limits.min && span(last.at(-1)!).end - span(prev[0]!).start <= limits.max && span(prev[0]!).end - span(prev[0]!).start <= limits.max) {
          prev.push(...groups.pop()!);
        }
      }
      for (const group of groups) {
        const first = group[0]!;
        const s: Span = { start: span(first).start, end: span(group.at(-1)!).end };
        const label = articleRange(first.article!.label, group.at(-1)!.article!.label);
        if (s.end - s.start <= limits.max) emit(section, s, label);
        else for (const piece of packParagraphs(first.paragraphs)) emit(section, piece, label); // one long article
      }
    }
  }
  return chunks;
}
