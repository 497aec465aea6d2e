/**
 * Does a learner's text make a point? Keyword matching that tolerates how people write:
 * full/half width and numbers in digits (matchForm), the thesaurus in both directions (删掉 for
 * 删除, 数据保护官 for 个人信息保护负责人), and a multi-word keyword whose jieba tokens mostly appear.
 * Negation is checked per clause: 「可以过度收集」 does not make the point 「不得过度收集」.
 */
import { synonymsOf, THESAURUS, tokenize } from '../../content/index.js';
import { matchForm } from './text.js';

export type MatchKind = 'exact' | 'synonym' | 'partial';

export interface KeywordMatch {
  keyword: string;
  kind: MatchKind;
  /** The words of the text that matched. */
  matched: string;
  /** The clauses of the text the match is in (a word may be used several times). */
  clauses: string[];
}

export interface PreparedText {
  form: string;
  tokens: Set<string>;
  clauses: string[];
}

const CLAUSE = /[，。；！？,.;!?\n、：:]+/;

export function prepare(text: string): PreparedText {
  const form = matchForm(text);
  return { form, tokens: new Set(tokenize(text).map((t) => matchForm(t))), clauses: form.split(CLAUSE).filter(Boolean) };
}

/** Every word that may stand for `keyword`: its thesaurus neighbours in both directions. */
export function alternativesOf(keyword: string): string[] {
  const out = new Set<string>(synonymsOf(keyword));
  for (const entry of THESAURUS) {
    if (entry.statutory.includes(keyword)) for (const w of entry.everyday) if ([...w].length >= 2) out.add(w);
  }
  out.delete(keyword);
  return [...out];
}

const clausesOf = (t: PreparedText, word: string) => t.clauses.filter((c) => c.includes(word));

/** `partial: false` accepts only the keyword or a synonym (for phrases that must be said as such). */
export function findKeyword(text: PreparedText, keyword: string, options: { partial?: boolean } = {}): KeywordMatch | null {
  const k = matchForm(keyword);
  if (!k) return null;
  if (text.form.includes(k)) return { keyword, kind: 'exact', matched: keyword, clauses: clausesOf(text, k) };
  for (const alt of alternativesOf(keyword)) {
    const a = matchForm(alt);
    if (a && text.form.includes(a)) return { keyword, kind: 'synonym', matched: alt, clauses: clausesOf(text, a) };
  }
  // 「个人信息保护影响评估」 written as 「影响评估」「个人信息保护」: most of its tokens are there.
  const parts = [...new Set(tokenize(keyword).map((t) => matchForm(t)))].filter((t) => [...t].length >= 2 && t !== k);
  if (options.partial !== false && parts.length >= 2) {
    const hit = parts.filter((p) => text.tokens.has(p) || text.form.includes(p));
    if (hit.length / parts.length >= 2 / 3) return { keyword, kind: 'partial', matched: hit.join('、'), clauses: clausesOf(text, hit[0]!) };
  }
  return null;
}

/** Strong negations only: a bare 不 (不影响, 不完整) is too common to mean the point was denied. */
const NEGATION = /不得|不应|不能|不可|不需|无需|无须|无权|不必|禁止|严禁|不用/;

/** Whether every clause using the word says the opposite of the reference clause (one is negated, the other is not). */
export function contradicts(clauses: string[], reference: string): boolean {
  return clauses.length > 0 && clauses.every((c) => NEGATION.test(c) !== NEGATION.test(reference));
}

/** The reference clause a keyword belongs to. */
export function referenceClause(reference: string, keyword: string): string {
  return prepare(reference).clauses.find((c) => c.includes(matchForm(keyword))) ?? matchForm(reference);
}
