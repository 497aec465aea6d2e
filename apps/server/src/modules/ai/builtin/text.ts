/**
 * Text helpers of the builtin engine: matching forms, character n-grams, and the statements
 * (sentences with their article and exact offsets) a chunk is made of.
 */
import { decodeBasicEntities } from '@kpl/shared';
import { CN_NUMERAL_CHARS, parseNumeral, sentences } from '../../content/index.js';
import type { SourceChunk } from '../capabilities.js';

/** HTML tags out, entities of the few characters the sanitiser writes back in. */
export function stripTags(html: string): string {
  return decodeBasicEntities(html.replace(/<[^>]*>/g, ''));
}

const NUMBER_WITH_UNIT = new RegExp(`(第?)([${CN_NUMERAL_CHARS}]+)(?=[日天年月个周岁元万亿倍次项款条章节小时分钟%])`, 'g');

/**
 * The form texts are compared in: NFKC (full-width → half-width), lower case, no whitespace, and
 * Chinese numbers before a unit written as digits (十五日 → 15日), so 「十五日」 matches 「15 日」.
 */
export function matchForm(text: string): string {
  return stripTags(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(NUMBER_WITH_UNIT, (all, di: string, n: string) => {
      const v = parseNumeral(n);
      return v === null ? all : `${di}${v}`;
    });
}

/** The form for n-gram similarity: matchForm without punctuation and blank markers. */
export function similarityForm(text: string): string {
  return matchForm(text).replace(/[\p{P}\p{S}_]/gu, '');
}

/** Character n-grams (as a set) of the similarity form. */
export function charNgrams(text: string, n = 3): Set<string> {
  const s = [...similarityForm(text)];
  const out = new Set<string>();
  if (s.length === 0) return out;
  if (s.length < n) {
    out.add(s.join(''));
    return out;
  }
  for (let i = 0; i + n <= s.length; i++) out.add(s.slice(i, i + n).join(''));
  return out;
}

/** |A ∩ B| / |A ∪ B| (0 when both are empty). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

/** The share of `part`'s n-grams found in `whole` (1 when part's text is inside whole's). */
export function containment(part: string, whole: string, n = 3): number {
  const p = charNgrams(part, n);
  if (!p.size) return 0;
  const w = charNgrams(whole, n);
  let hit = 0;
  for (const g of p) if (w.has(g)) hit++;
  return hit / p.size;
}

/** Rough token count for usage accounting (about 0.7 tokens per Han character, 1 per other word). */
export function estimateTokens(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = text.replace(/\p{Script=Han}/gu, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return Math.ceil(han * 0.7 + words);
}

/** Deterministic 32-bit FNV-1a hash (for tie-breaks, seeds and embeddings). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ARTICLE_LABEL = new RegExp(`^第[${CN_NUMERAL_CHARS}0-9]+条(?:之[一二三四五六七八九十]+)?`);
const LIST_MARKER = /^(?:[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．]|[一二三四五六七八九十]+、)\s*/;

/** One sentence of a chunk, located exactly: `chunk.text.slice(start, start + text.length) === text`. */
export interface Statement {
  chunk: SourceChunk;
  /** The sentence without its article label or list marker. */
  text: string;
  start: number;
  /** "第二十八条" when known. */
  article: string | null;
  /** A list item "（一）…；" (its lead sentence is `lead`). */
  listItem: boolean;
  /** For list items: the sentence that introduces the list (ends with ：). */
  lead: Statement | null;
  /** Index of the paragraph inside the chunk (sentences of one article share its run of paragraphs). */
  paragraph: number;
}

/** The article a chunk starts in, from its citation ("… › 第十九条"), when it names one article. */
function articleOfCitation(chunk: SourceChunk): string | null {
  const last = (chunk.citation ?? '').split(' › ').at(-1) ?? '';
  const m = ARTICLE_LABEL.exec(last);
  return m && m[0] === last ? m[0] : null;
}

/** The document title (the first heading of the path) when the chunk has one. */
export function titleOf(chunk: SourceChunk): string | null {
  return chunk.headingPath?.[0] ?? null;
}

const cache = new WeakMap<SourceChunk, Statement[]>();

/** The chunk's sentences, with article labels and list markers split off (offsets stay exact). */
export function statementsOf(chunk: SourceChunk): Statement[] {
  const hit = cache.get(chunk);
  if (hit) return hit;
  const out: Statement[] = [];
  const text = chunk.text;
  let article = articleOfCitation(chunk);
  let lead: Statement | null = null;
  let paragraph = 0;
  for (const m of text.matchAll(/[^\n]+/g)) {
    let start = m.index;
    let body = m[0];
    const label = ARTICLE_LABEL.exec(body);
    if (label) {
      article = label[0];
      lead = null;
      const skip = label[0].length + (/^\s*/.exec(body.slice(label[0].length))?.[0].length ?? 0);
      start += skip;
      body = body.slice(skip);
    }
    const marker = LIST_MARKER.exec(body);
    const listItem = Boolean(marker);
    if (marker) {
      start += marker[0].length;
      body = body.slice(marker[0].length);
    }
    if (!body.trim()) continue;
    // The content module also cuts at ；: join those pieces back, a clause after ； rarely stands alone.
    const spans: { start: number; end: number }[] = [];
    for (const s of sentences(text, { start, end: start + body.length })) {
      const prev = spans.at(-1);
      if (prev && /[；;]$/.test(text.slice(prev.start, prev.end))) prev.end = s.end;
      else spans.push({ ...s });
    }
    for (const s of spans) {
      const st: Statement = { chunk, text: text.slice(s.start, s.end), start: s.start, article, listItem, lead: listItem ? lead : null, paragraph };
      out.push(st);
      if (!listItem && /[：:]$/.test(st.text)) lead = st;
    }
    if (!listItem && !/[：:]$/.test(body.trim())) lead = null;
    paragraph++;
  }
  cache.set(chunk, out);
  return out;
}

/** Words that make a sentence lean on its neighbours (前款 …), so it cannot be asked alone. */
const CONTEXT_BOUND = /前款|前条|前两款|前三款|本条|前述|上述|下列|该条|其中/;

/** A sentence that can stand alone as a claim: ends with 。, 12–160 characters, no reference to its neighbours. */
export function isClaim(s: Statement): boolean {
  const len = [...s.text].length;
  return !s.listItem && /[。！]$/.test(s.text) && len >= 12 && len <= 160 && !CONTEXT_BOUND.test(s.text);
}
