/**
 * Extractive tutor: the passages' sentences are ranked against the question with BM25 on jieba
 * tokens (query words also match their thesaurus synonyms, at a lower weight); the best one to
 * three are quoted with a citation each. When no sentence covers enough of the question, the
 * answer says so instead of quoting something loosely related.
 */
import { synonymsOf, tokenize } from '../../content/index.js';
import type { CallOptions, StreamEvent, TutorAnswerInput } from '../capabilities.js';
import { streamParts } from './stream.js';
import { statementsOf, titleOf, type Statement } from './text.js';

const K1 = 1.2;
const B = 0.75;
const SYNONYM_WEIGHT = 0.7;
/** Words from the previous question count this much when the new one is a short follow-up (那罚款呢？). */
const HISTORY_WEIGHT = 0.5;
/** A sentence answers when its matched words carry this share of the question's weight (IDF). */
export const MIN_COVERAGE = 0.4;
/** Further sentences are quoted when they score at least this share of the best one. */
const NEXT_SENTENCE_SHARE = 0.6;
const MAX_SENTENCES = 3;

/**
 * Words that frame a question rather than name its subject (「需要满足什么条件」): the law text
 * rarely uses them (it says 情形 / 方可), so they count when they match but do not lower coverage.
 */
const QUESTION_FRAME = new Set(['什么', '哪些', '怎么', '怎样', '如何', '是否', '需要', '满足', '条件', '要求', '可以', '能否', '规定', '有没有', '吗', '呢']);

export const NO_ANSWER = '抱歉，所提供的资料中没有找到能回答这个问题的内容。建议换一种问法，或查阅课程中的相关章节。';

interface Unit {
  statement: Statement;
  /** What is quoted: the sentence, or a list's lead with its items. */
  quote: string;
  tokens: Map<string, number>;
  length: number;
}

function unitsOf(input: TutorAnswerInput): Unit[] {
  const units: Unit[] = [];
  for (const chunk of input.passages) {
    const statements = statementsOf(chunk);
    for (const s of statements) {
      // A list item alone lacks its subject: quote it with its lead (「…下列情形之一的：（一）…」).
      const start = s.listItem && s.lead ? s.lead.start : s.start;
      let end = s.start + s.text.length;
      // A lead sentence brings its items along.
      if (!s.listItem && /[：:]$/.test(s.text)) {
        const items = statements.filter((i) => i.lead === s).slice(0, 6);
        if (items.length) end = items.at(-1)!.start + items.at(-1)!.text.length;
      }
      const quote = chunk.text.slice(start, end);
      const tokens = new Map<string, number>();
      for (const t of tokenize(quote)) tokens.set(t, (tokens.get(t) ?? 0) + 1);
      units.push({ statement: s, quote, tokens, length: [...tokens.values()].reduce((a, b) => a + b, 0) });
    }
  }
  return units;
}

function queryOf(input: TutorAnswerInput): Map<string, number> {
  const q = new Map<string, number>();
  const add = (t: string, w: number) => q.set(t, Math.max(q.get(t) ?? 0, w));
  const own = tokenize(input.question);
  for (const t of own) {
    add(t, 1);
    for (const s of synonymsOf(t)) add(s, SYNONYM_WEIGHT);
  }
  const lastUser = [...(input.history ?? [])].reverse().find((h) => h.role === 'user');
  if (lastUser && new Set(own).size <= 2) for (const t of tokenize(lastUser.content)) add(t, HISTORY_WEIGHT);
  return q;
}

export interface RankedSentence {
  quote: string;
  statement: Statement;
  score: number;
  coverage: number;
}

/** Sentences of the passages ranked against the question (best first), with the share of the question they cover. */
export function rankSentences(input: TutorAnswerInput): RankedSentence[] {
  const units = unitsOf(input);
  const query = queryOf(input);
  if (!units.length || !query.size) return [];
  const n = units.length;
  const avg = units.reduce((a, u) => a + u.length, 0) / n || 1;
  const idf = new Map<string, number>();
  for (const t of query.keys()) {
    const df = units.filter((u) => u.tokens.has(t)).length;
    idf.set(t, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  const subject = [...query].filter(([t, w]) => w === 1 && !QUESTION_FRAME.has(t));
  const asked = subject.length ? subject : [...query].filter(([, w]) => w === 1);
  const totalWeight = asked.reduce((a, [t]) => a + idf.get(t)!, 0) || 1;
  const ranked: RankedSentence[] = [];
  for (const u of units) {
    let score = 0;
    let covered = 0;
    for (const [t, w] of query) {
      const tf = u.tokens.get(t);
      if (!tf) continue;
      score += w * idf.get(t)! * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * u.length) / avg)));
      covered += w * idf.get(t)!;
    }
    if (score > 0) ranked.push({ quote: u.quote, statement: u.statement, score, coverage: Math.min(1, covered / totalWeight) });
  }
  return ranked.sort((a, b) => b.score - a.score || a.statement.start - b.statement.start);
}

const same = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/** The quoted sentences of the answer (empty when the passages do not answer the question). */
export function selectAnswer(input: TutorAnswerInput): RankedSentence[] {
  const ranked = rankSentences(input).filter((r) => r.coverage >= MIN_COVERAGE);
  const best = ranked[0];
  if (!best) return [];
  const picked = [best];
  for (const r of ranked.slice(1)) {
    if (picked.length >= MAX_SENTENCES || r.score < best.score * NEXT_SENTENCE_SHARE) break;
    // Overlapping quotes (a list item inside an already quoted list) add nothing.
    // The same sentence from another copy of the material (the course has it as PDF, DOCX and Markdown) neither.
    if (picked.some((p) => (p.statement.chunk === r.statement.chunk && (p.quote.includes(r.quote) || r.quote.includes(p.quote))) || same(p.quote, r.quote))) continue;
    picked.push(r);
  }
  return picked;
}

export function tutorAnswer(input: TutorAnswerInput, options: CallOptions = {}): AsyncIterable<StreamEvent> {
  const prompt = [input.question, ...input.passages.map((p) => p.text)].join('\n');
  const picked = selectAnswer(input);
  if (!picked.length) return streamParts([NO_ANSWER], prompt, options);
  const parts: Parameters<typeof streamParts>[0] = [];
  picked.forEach((p, i) => {
    const title = titleOf(p.statement.chunk);
    const where = `${title ? `《${title}》` : ''}${p.statement.article ?? ''}`;
    parts.push(`${i ? '\n' : ''}${where ? `根据${where}：` : ''}${p.quote.replace(/\n+/g, '')}[${i + 1}]`);
    const c = p.statement.chunk;
    parts.push({ type: 'citation', chunkId: c.chunkId, materialId: c.materialId, ...(c.citation ? { citation: c.citation } : {}), quote: p.quote });
  });
  return streamParts(parts, prompt, options);
}
