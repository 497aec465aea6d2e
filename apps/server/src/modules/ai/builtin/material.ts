/**
 * What the question generator knows about the material it was given: its statements, its key
 * terms (jieba TF-IDF over all chunks, with part of speech and how many statements use them), the
 * numbers it states, and its enumerations (「收集、存储、使用…」 and （一）…（二）… lists).
 */
import { keywords, parseNumeral, tagWords } from '../../content/index.js';
import type { SourceChunk } from '../capabilities.js';
import { isClaim, statementsOf, type Statement } from './text.js';

export interface Term {
  word: string;
  /** jieba's tag where the word was first seen (ns = place name …). */
  tag: string;
  /** Coarse part of speech: n (nouns, names), i (idioms, set phrases), vn (verbal nouns), v, a. */
  group: string;
  /** TF-IDF weight over the whole material. */
  weight: number;
  /** Statements that contain the word. */
  df: number;
  /**
   * Almost always part of one longer word (法规 in 行政法规, 信息处理 in 个人信息处理者): blanking
   * or swapping it would cut that word apart.
   */
  bound: boolean;
}

export interface NumberTerm {
  word: string;
  prefix: string;
  value: number;
  unit: string;
  /** Written in Chinese numerals (十四周岁) rather than digits (14周岁). */
  chinese: boolean;
}

/** A run of items in one sentence: 「收集、存储、使用…和删除」. */
export interface InlineList {
  statement: Statement;
  items: string[];
  /** Offsets of the run inside the statement text. */
  from: number;
  to: number;
  group: string;
}

/** A lead sentence ending with ：and its （一）（二）… items, all in one chunk. */
export interface ItemList {
  lead: Statement;
  items: Statement[];
}

export interface Material {
  chunks: SourceChunk[];
  statements: Statement[];
  claims: Statement[];
  terms: Map<string, Term>;
  numbers: NumberTerm[];
  inlineLists: InlineList[];
  itemLists: ItemList[];
  /** Every statement text joined: substitutions that produce a sentence found here are not false. */
  corpus: string;
  /** Tagged words per statement (cached). */
  tagged(s: Statement): { word: string; tag: string; at: number }[];
  /** 1 (in most statements) … 5 (in one statement only). */
  rarity(term: Term): number;
  /** How many statements contain the word (any word, cached). */
  df(word: string): number;
  /** See Term.bound (any word, cached). */
  bound(word: string): boolean;
}

const GROUPS: Record<string, string> = { n: 'n', nr: 'n', nrt: 'n', ns: 'n', nt: 'n', nz: 'n', j: 'n', eng: 'n', l: 'i', i: 'i', vn: 'vn', v: 'v', a: 'a', ad: 'a', an: 'a' };
export const groupOf = (tag: string): string | null => GROUPS[tag] ?? null;

const NUMBER = /(?<!第)(百分之)?([零〇一二三四五六七八九两十百千0-9]+)(万元|元|周岁|个工作日|个月|日|年|天|倍|次|小时)/g;
const LIST_JOINERS = new Set(['和', '或者', '及', '以及', '与', '或']);

export function analyseMaterial(chunks: SourceChunk[]): Material {
  const statements = chunks.flatMap(statementsOf);
  const claims = statements.filter(isClaim);
  const corpus = statements.map((s) => s.text).join('\n');
  const tagCache = new Map<Statement, { word: string; tag: string; at: number }[]>();
  const tagged = (s: Statement) => {
    let t = tagCache.get(s);
    if (!t) {
      let at = 0;
      t = tagWords(s.text).map((w) => {
        const out = { ...w, at };
        at += w.word.length;
        return out;
      });
      tagCache.set(s, t);
    }
    return t;
  };

  // Key terms: TF-IDF keywords of the whole material, with the part of speech they are used as.
  const weightOf = new Map(keywords(chunks.map((c) => c.text).join('\n'), 400).map((k) => [k.word, k.weight]));
  const terms = new Map<string, Term>();
  for (const s of statements) {
    for (const w of tagged(s)) {
      const weight = weightOf.get(w.word);
      const group = groupOf(w.tag);
      if (weight === undefined || !group || terms.has(w.word)) continue;
      terms.set(w.word, { word: w.word, tag: w.tag, group, weight, df: 0, bound: false });
    }
  }
  for (const t of terms.values()) {
    t.df = statements.filter((s) => s.text.includes(t.word)).length;
    t.bound = isBound(corpus, t.word);
  }
  const dfs = [...terms.values()].map((t) => t.df).sort((a, b) => a - b);
  const quantile = (q: number) => dfs[Math.min(dfs.length - 1, Math.floor(q * dfs.length))] ?? 1;
  const cuts = [quantile(0.5), quantile(0.7), quantile(0.85), quantile(0.95)];
  const rarity = (t: Term) => 5 - cuts.filter((c) => t.df > c).length;

  const numbers: NumberTerm[] = [];
  const seenNumbers = new Set<string>();
  for (const s of statements) {
    for (const m of s.text.matchAll(NUMBER)) {
      const value = parseNumeral(m[2]!);
      if (value === null || seenNumbers.has(m[0])) continue;
      seenNumbers.add(m[0]);
      numbers.push({ word: m[0], prefix: m[1] ?? '', value, unit: m[3]!, chinese: !/[0-9]/.test(m[2]!) });
    }
  }

  const inlineLists: InlineList[] = [];
  for (const s of statements) inlineLists.push(...inlineListsOf(s, tagged(s)));

  const itemLists: ItemList[] = [];
  for (const s of statements) {
    if (!s.listItem || !s.lead) continue;
    const last = itemLists.at(-1);
    if (last && last.lead === s.lead) last.items.push(s);
    else itemLists.push({ lead: s.lead, items: [s] });
  }

  const dfCache = new Map<string, number>();
  const df = (word: string) => {
    let n = terms.get(word)?.df ?? dfCache.get(word);
    if (n === undefined) dfCache.set(word, (n = statements.filter((s) => s.text.includes(word)).length));
    return n;
  };
  const boundCache = new Map<string, boolean>();
  const bound = (word: string) => {
    let b = terms.get(word)?.bound ?? boundCache.get(word);
    if (b === undefined) boundCache.set(word, (b = isBound(corpus, word)));
    return b;
  };
  return {
    chunks,
    statements,
    claims,
    terms,
    numbers,
    inlineLists,
    itemLists: itemLists.filter((l) => l.items.filter((i) => !isBoilerplate(i.text)).length >= 3),
    corpus,
    tagged,
    rarity,
    df,
    bound,
  };
}

/** 「法律、行政法规规定的其他情形」: the catch-all item closing most statutory lists, useless as an option. */
export const isBoilerplate = (item: string) => /规定[^，。；,;]{0,8}的其他[^，。；,;]{0,6}[。；;]?$/.test(item);

/** Whether (over at least three uses) 80 % or more of the word's uses share the Han character before or after it. */
export function isBound(corpus: string, word: string): boolean {
  const left = new Map<string, number>();
  const right = new Map<string, number>();
  let n = 0;
  for (let at = corpus.indexOf(word); at >= 0; at = corpus.indexOf(word, at + word.length)) {
    n++;
    const l = corpus[at - 1] ?? '';
    const r = corpus[at + word.length] ?? '';
    if (/\p{Script=Han}/u.test(l)) left.set(l, (left.get(l) ?? 0) + 1);
    if (/\p{Script=Han}/u.test(r)) right.set(r, (right.get(r) ?? 0) + 1);
  }
  if (n < 3) return false;
  const top = (m: Map<string, number>) => Math.max(0, ...m.values());
  return top(left) >= 0.8 * n || top(right) >= 0.8 * n;
}

/** Runs of at least three single-word items joined by 、 (the last one may follow 和/或者/及). */
function inlineListsOf(s: Statement, words: { word: string; tag: string; at: number }[]): InlineList[] {
  const out: InlineList[] = [];
  const isItem = (w: { word: string; tag: string } | undefined) => Boolean(w && w.word.length >= 2 && groupOf(w.tag));
  let i = 0;
  while (i < words.length) {
    if (!isItem(words[i]) || words[i + 1]?.word !== '、') {
      i++;
      continue;
    }
    // A middle item runs on over following content words up to the next 、 (处理/方式 → 处理方式); the
    // last one is one word, as the words after it are usually the head all items share (合法、正当和诚信|原则).
    const itemAt = (k: number) => {
      let end = k + 1;
      while (isItem(words[end]) && !LIST_JOINERS.has(words[end]!.word)) end++;
      if (words[end]?.word !== '、') end = k + 1;
      const parts = words.slice(k, end);
      return { word: parts.map((p) => p.word).join(''), tag: parts[0]!.tag, at: parts[0]!.at, next: end };
    };
    const items = [{ ...words[i]!, next: i + 1 }];
    let j = i + 1;
    while (words[j]?.word === '、' && isItem(words[j + 1])) {
      const item = itemAt(j + 1);
      items.push(item);
      j = item.next;
    }
    if (LIST_JOINERS.has(words[j]?.word ?? '') && isItem(words[j + 1])) {
      const item = itemAt(j + 1);
      // 「行为习惯、兴趣爱好或者经济、健康」: a joiner inside the run means nested lists; stop before it.
      if (words[item.next]?.word !== '、') {
        items.push(item);
        j = item.next;
      }
    }
    // 「…、个人信息的种类」: an item followed by 的 is only a modifier of the real item.
    if (words[j]?.word === '的') items.pop();
    const distinct = new Set(items.map((w) => w.word));
    if (items.length >= 3 && distinct.size === items.length) {
      const groups = items.map((w) => groupOf(w.tag)!);
      const group = groups.sort((a, b) => groups.filter((g) => g === b).length - groups.filter((g) => g === a).length)[0]!;
      const last = items.at(-1)!;
      out.push({ statement: s, items: items.map((w) => w.word), from: items[0]!.at, to: last.at + last.word.length, group });
    }
    i = Math.max(j, i + 1);
  }
  return out;
}
