/** Search-result snippets: a window of the chunk around the densest cluster of query-term matches. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Whitespace runs (paragraph breaks included) become one space in a snippet. */
const squash = (s: string) => s.replace(/\s+/g, ' ');
const piece = (s: string) => escapeHtml(squash(s));

interface Mark {
  start: number;
  end: number;
  terms: Set<number>;
}

const LATIN = /^[a-z0-9.]+$/;
const isWordChar = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);

/** Every occurrence of the terms, merged where they overlap or touch ("个人信息" and "信息" → one mark). */
function findMarks(text: string, terms: string[]): Mark[] {
  // ASCII-only lower-casing keeps offsets equal
  const lower = text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  const found: { start: number; end: number; term: number }[] = [];
  terms.forEach((term, t) => {
    if (!term) return;
    const latin = LATIN.test(term);
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) {
      if (latin && (isWordChar(lower[at - 1]) || isWordChar(lower[at + term.length]))) continue;
      found.push({ start: at, end: at + term.length, term: t });
    }
  });
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const marks: Mark[] = [];
  for (const f of found) {
    const last = marks.at(-1);
    if (last && f.start <= last.end) {
      last.end = Math.max(last.end, f.end);
      last.terms.add(f.term);
    } else marks.push({ start: f.start, end: f.end, terms: new Set([f.term]) });
  }
  return marks;
}

/**
 * A window of about `width` characters around the densest cluster of matches (the most distinct
 * terms, weighted by length, then the most matches), with matches wrapped in <mark>…</mark> and
 * everything else HTML-escaped. "…" marks a cut at either end. Without matches: the beginning.
 */
export function highlight(text: string, terms: string[], width = 120): string {
  const marks = findMarks(text, terms);
  if (!marks.length) return piece(text.slice(0, width)) + (text.length > width ? '…' : '');

  let best = { i: 0, j: 0, score: -1 };
  let j = 0;
  for (let i = 0; i < marks.length; i++) {
    if (j < i) j = i;
    while (j + 1 < marks.length && marks[j + 1]!.end - marks[i]!.start <= width) j++;
    const distinct = new Set<number>();
    for (let k = i; k <= j; k++) for (const t of marks[k]!.terms) distinct.add(t);
    let score = 0;
    for (const t of distinct) score += terms[t]!.length;
    score += (j - i + 1) * 0.01;
    if (score > best.score) best = { i, j, score };
  }

  const clusterStart = marks[best.i]!.start;
  const clusterEnd = Math.max(marks[best.j]!.end, clusterStart);
  let start = Math.max(0, clusterStart - Math.floor((width - (clusterEnd - clusterStart)) / 2));
  const end = Math.min(text.length, Math.max(start + width, clusterEnd));
  start = Math.max(0, Math.min(start, end - width));
  // start after a sentence end just before the cluster, or else a clause mark or space near the cut
  const lead = text.slice(start, clusterStart);
  const stop = Math.max(lead.lastIndexOf('。'), lead.lastIndexOf('；'), lead.lastIndexOf('\n'));
  if (stop >= 0 && stop < lead.length - 1 && lead.length - stop < width / 2) start += stop + 1;
  else if (start > 0) {
    const clause = /[，、：,:\s]/.exec(lead.slice(0, 16));
    if (clause) start += clause.index + 1;
  }
  // never split a surrogate pair
  if (start > 0 && /[\udc00-\udfff]/.test(text[start]!)) start--;
  const cut = end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!) ? end + 1 : end;

  let out = start > 0 ? '…' : '';
  let at = start;
  for (const m of marks) {
    if (m.end <= start || m.start >= cut) continue;
    const s = Math.max(m.start, start);
    const e = Math.min(m.end, cut);
    out += piece(text.slice(at, s)) + '<mark>' + piece(text.slice(s, e)) + '</mark>';
    at = e;
  }
  out += piece(text.slice(at, cut));
  return out.trim() + (cut < text.length ? '…' : '');
}
