/**
 * Distractors of the same kind, drawn from the same material: other key terms with the same part of
 * speech (preferably the same ending: …部门 for …部门, …同意 for …同意), other numbers with the same
 * unit, other list items. A distractor never makes the sentence true (the substituted sentence must
 * not be in the material), is not a synonym, part or extension of the key, and the set is chosen
 * so that the key is not systematically the longest option.
 */
import { synonymsOf, toNumeral } from '../../content/index.js';
import type { Material, NumberTerm, Term } from './material.js';
import { hash32 } from './text.js';

const len = (s: string) => [...s].length;

/** Neither is a part of the other, and the thesaurus does not relate them. */
export function unrelated(a: string, b: string): boolean {
  if (a === b || a.includes(b) || b.includes(a)) return false;
  return !synonymsOf(a).includes(b) && !synonymsOf(b).includes(a);
}

/**
 * Picks `need` options from scored candidates: best first, then, when every pick is shorter than
 * the key, trades the weakest pick for the best candidate at least as long as the key.
 */
function balanceLength(key: string, ranked: string[], need: number): string[] {
  const picked = ranked.slice(0, need);
  if (picked.length < need) return picked;
  if (picked.some((p) => len(p) >= len(key))) return picked;
  const longer = ranked.slice(need).find((c) => len(c) >= len(key));
  if (longer) picked[need - 1] = longer;
  return picked;
}

/**
 * Same-kind terms for a key term used in `sentence`. `difficulty` ≥ 3 insists on the same ending
 * when the material has enough such terms (harder to tell apart); easier questions may mix endings.
 */
export function termDistractors(m: Material, key: Term, sentence: string, need: number, difficulty: number): string[] {
  const suffix1 = key.word.slice(-1);
  const suffix2 = key.word.slice(-2);
  const scored: { word: string; score: number; sameEnd: boolean }[] = [];
  for (const t of m.terms.values()) {
    if (t.group !== key.group || t.bound || !unrelated(t.word, key.word) || sentence.includes(t.word)) continue;
    // The sentence with this word must not be something the material says.
    if (m.corpus.includes(sentence.replace(key.word, t.word))) continue;
    const sameEnd = t.word.slice(-1) === suffix1;
    const score =
      (t.word.length >= 2 && t.word.slice(-2) === suffix2 ? 3 : 0) +
      (sameEnd ? 2 : 0) -
      0.6 * Math.abs(len(t.word) - len(key.word)) +
      Math.min(1, t.weight) +
      (hash32(key.word + t.word) % 100) / 1000;
    scored.push({ word: t.word, score, sameEnd });
  }
  scored.sort((a, b) => b.score - a.score);
  const sameEnd = scored.filter((s) => s.sameEnd);
  const pool = difficulty >= 3 && sameEnd.length >= need ? sameEnd : scored;
  return balanceLength(
    key.word,
    pool.map((s) => s.word),
    need,
  );
}

const formatNumber = (n: NumberTerm, value: number) => `${n.prefix}${n.chinese ? toNumeral(value) : String(value)}${n.unit}`;

/** Other numbers with the same unit from the material, then nearby values (×2, ×5, ±2 …) in the same notation. */
export function numberDistractors(m: Material, key: NumberTerm, sentence: string, need: number): string[] {
  const out: string[] = [];
  const add = (word: string) => {
    if (out.length < need && word !== key.word && !out.includes(word) && !sentence.includes(word) && !m.corpus.includes(sentence.replace(key.word, word))) out.push(word);
  };
  for (const n of m.numbers) if (n.unit === key.unit && n.prefix === key.prefix && n.value !== key.value) add(n.word);
  const v = key.value;
  const nearby = v < 100 ? [v + 2, v * 2, v - 2, v + 4, v * 3, v + 1] : [v * 2, v * 5, v / 2, v * 10, v / 10, v * 3];
  for (const x of nearby) if (Number.isInteger(x) && x > 0 && x <= 9999 && (key.prefix !== '百分之' || x < 100)) add(formatNumber(key, x));
  return balanceLength(key.word, out, need);
}

/** Items from the material's other lists (same part of speech) that are not in this list or sentence. */
export function listItemDistractors(m: Material, items: string[], group: string, sentence: string, need: number): string[] {
  const seen = new Set<string>();
  const candidates: { word: string; score: number }[] = [];
  const avgLen = items.reduce((a, w) => a + len(w), 0) / items.length;
  for (const l of m.inlineLists) {
    for (const w of l.items) {
      if (seen.has(w) || sentence.includes(w) || items.some((i) => !unrelated(i, w))) continue;
      seen.add(w);
      candidates.push({ word: w, score: (l.group === group ? 2 : 0) - Math.abs(len(w) - avgLen) + (hash32(items[0]! + w) % 100) / 1000 });
    }
  }
  if (candidates.filter((c) => c.score > 0).length < need) {
    for (const t of m.terms.values()) {
      if (seen.has(t.word) || t.group !== group || t.bound || sentence.includes(t.word) || items.some((i) => !unrelated(i, t.word))) continue;
      seen.add(t.word);
      candidates.push({ word: t.word, score: 1 - Math.abs(len(t.word) - avgLen) + (hash32(items[0]! + t.word) % 100) / 1000 });
    }
  }
  return candidates
    .sort((a, b) => b.score - a.score)
    .slice(0, need)
    .map((c) => c.word);
}
