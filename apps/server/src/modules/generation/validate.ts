/**
 * AI output is never trusted blindly. Each generated candidate is checked:
 * - schema: it is a well-formed question;
 * - source: it cites a chunk it was given, and the quote really is in that chunk;
 * - key-support: the key comes from the quote (the correct option, an accepted blank answer, the
 *   true statement, the reference answer); a false statement is a change of the quote, not the quote;
 * - options: non-empty and distinct, the keys name existing options, not every option is correct;
 * - duplicate: no near-duplicate (character 3-gram Jaccard ≥ NEAR_DUPLICATE_THRESHOLD) of a bank
 *   question or an earlier candidate.
 * Across the batch: the distribution of key positions (flagged when unbalanced) and how often the
 * key is the longest option (flagged above LONGEST_KEY_FLAG_RATE). Pure functions: no I/O.
 */
import {
  questionContentSchema,
  type GenerationStats,
  type QuestionContent,
  type CandidateIssue,
  type ValidationReport,
  type ValidationRule,
} from '@kpl/shared';
import { charNgrams, containment, jaccard, matchForm, stripTags } from '../ai/builtin/index.js';

/** Character n-grams compared for near-duplicates. */
export const NGRAM = 3;
/** Stems at least this similar (Jaccard of character 3-grams) are near-duplicates. */
export const NEAR_DUPLICATE_THRESHOLD = 0.7;
/** Above this share of single-choice questions whose key is the longest option, the batch is flagged. */
export const LONGEST_KEY_FLAG_RATE = 0.4;
/** Fewer single-choice (or true/false) questions than this are too few to judge balance or length. */
export const MIN_FOR_BATCH_RULES = 5;
/** A key position more than this far (as a share of questions) from its expected share is unbalanced. */
export const KEY_BALANCE_TOLERANCE = 0.2;
/** A true statement must cover its quote (or be covered by it) at least this much (3-gram containment). */
const TRUE_SUPPORT = 0.9;
/** A false statement must keep at least this much of its quote (it is a change of it, not another sentence). */
const FALSE_DERIVATION = 0.5;
/** A reference answer must come from its quote at least this much. */
const REFERENCE_SUPPORT = 0.8;

export interface ChunkText {
  materialId: string;
  text: string;
}

export interface Comparable {
  kind: 'bank' | 'candidate';
  id: string;
  text: string;
}

export interface RawCandidate {
  /** The id the candidate is known by (for duplicate reports). */
  id: string;
  content: unknown;
  source: { chunkId: string; quote: string } | null;
}

export interface CandidateResult {
  report: ValidationReport;
  /** The parsed content, or null when it is not a question. */
  content: QuestionContent | null;
}

/** Whitespace never counts: extraction and quotes differ in line breaks. */
const squeeze = (s: string) => matchForm(s);

/** The text near-duplicates are judged on: the stem without markup. */
export function signature(content: QuestionContent): string {
  return stripTags(content.stem);
}

interface Prepared extends Comparable {
  grams: Set<string>;
}
const prepare = (c: Comparable): Prepared => ({ ...c, grams: charNgrams(c.text, NGRAM) });

export function validateCandidate(candidate: RawCandidate, chunks: Map<string, ChunkText>, compareWith: Comparable[]): CandidateResult {
  return check(candidate, chunks, compareWith.map(prepare));
}

function check(candidate: RawCandidate, chunks: Map<string, ChunkText>, others: Prepared[]): CandidateResult {
  const issues: CandidateIssue[] = [];
  const error = (rule: ValidationRule, message: string) => issues.push({ rule, severity: 'error', message });
  let duplicateOf: ValidationReport['duplicateOf'] = null;

  const parsed = questionContentSchema.safeParse(candidate.content);
  if (!parsed.success) {
    error('schema', `不是有效的题目：${parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'} ${i.message}`).join('；')}`);
  }
  const content = parsed.success ? parsed.data : null;

  const quote = candidate.source?.quote ?? '';
  const chunk = candidate.source ? chunks.get(candidate.source.chunkId) : undefined;
  if (!candidate.source || !quote.trim()) error('source', '没有引用原文。');
  else if (!chunk) error('source', '引用的资料片段不在本次生成所用的资料中。');
  else if (!squeeze(chunk.text).includes(squeeze(quote))) error('source', '引用的原文在资料片段中不存在。');

  if (content) {
    for (const m of optionProblems(content)) error('options', m);
    if (quote.trim()) for (const m of keyProblems(content, quote)) error('key-support', m);
    const grams = charNgrams(signature(content), NGRAM);
    let best: { other: Prepared; similarity: number } | null = null;
    for (const o of others) {
      if (o.id === candidate.id) continue;
      const similarity = jaccard(grams, o.grams);
      if (!best || similarity > best.similarity) best = { other: o, similarity };
    }
    if (best && best.similarity >= NEAR_DUPLICATE_THRESHOLD) {
      duplicateOf = { kind: best.other.kind, id: best.other.id, similarity: Number(best.similarity.toFixed(3)) };
      error('duplicate', `与${best.other.kind === 'bank' ? '题库中已有的题目' : '本批次中另一道候选题'}高度相似（相似度 ${Math.round(best.similarity * 100)}%）。`);
    }
  }
  return { report: { valid: !issues.some((i) => i.severity === 'error'), issues, duplicateOf }, content };
}

function optionProblems(content: QuestionContent): string[] {
  if (content.type !== 'single' && content.type !== 'multiple') return [];
  const out: string[] = [];
  const texts = content.options.map((o) => squeeze(o.text));
  if (texts.some((t) => !t)) out.push('有选项内容为空。');
  if (new Set(texts.filter(Boolean)).size < texts.filter(Boolean).length) out.push('有内容相同的选项。');
  if (new Set(content.options.map((o) => o.key)).size < content.options.length) out.push('选项字母重复。');
  const keys = new Set(content.options.map((o) => o.key));
  if (content.correct.some((k) => !keys.has(k))) out.push('答案指向不存在的选项。');
  if (new Set(content.correct).size < content.correct.length) out.push('答案字母重复。');
  if (content.type === 'multiple' && new Set(content.correct).size >= content.options.length) out.push('所有选项都是正确答案。');
  return out;
}

function keyProblems(content: QuestionContent, quote: string): string[] {
  const q = squeeze(quote);
  const inQuote = (text: string) => {
    const t = squeeze(text);
    return t.length > 0 && q.includes(t);
  };
  switch (content.type) {
    case 'single':
    case 'multiple': {
      const missing = content.options.filter((o) => content.correct.includes(o.key) && !inQuote(o.text));
      return missing.length ? [`正确选项${missing.map((o) => ` ${o.key}`).join('')} 的内容不在引用的原文中。`] : [];
    }
    case 'fill_blank': {
      const out: string[] = [];
      content.blanks.forEach((b, i) => {
        if (!b.accepted.some(inQuote)) out.push(`第 ${i + 1} 个空的答案不在引用的原文中。`);
      });
      return out;
    }
    case 'true_false': {
      const statement = stripTags(content.stem);
      const covers = containment(quote, statement);
      if (content.correct) {
        return covers >= TRUE_SUPPORT || containment(statement, quote) >= TRUE_SUPPORT ? [] : ['判断为“正确”的表述与引用的原文不符。'];
      }
      if (squeeze(statement).includes(q)) return ['判断为“错误”的表述与原文完全相同，答案应为“正确”。'];
      return covers >= FALSE_DERIVATION ? [] : ['判断为“错误”的表述不是由引用的原文改写而来，无法确认其错误。'];
    }
    case 'short_answer': {
      const out: string[] = [];
      if (containment(content.referenceAnswer, quote) < REFERENCE_SUPPORT) out.push('参考答案与引用的原文不符。');
      const loose = content.rubric.flatMap((p) => p.keywords).filter((k) => !inQuote(k) && !squeeze(content.referenceAnswer).includes(squeeze(k)));
      if (loose.length) out.push(`评分要点的关键词「${loose.join('」「')}」既不在原文也不在参考答案中。`);
      return out;
    }
  }
}

/**
 * Validates a batch: each candidate against the chunks, the bank and the candidates before it,
 * then the batch rules (key balance, longest option); returns the results and the job figures.
 */
export function validateBatch(
  candidates: RawCandidate[],
  chunks: Map<string, ChunkText>,
  bank: Comparable[],
): { results: CandidateResult[]; stats: GenerationStats } {
  const compared = bank.map(prepare);
  const results: CandidateResult[] = [];
  for (const c of candidates) {
    const r = check(c, chunks, compared);
    results.push(r);
    // Later candidates are compared with this one whatever its fate: a near-copy of a rejected one is still a copy.
    if (r.content) compared.push(prepare({ kind: 'candidate', id: c.id, text: signature(r.content) }));
  }
  const batch = batchRules(results);
  for (const i of batch.longestKeyIndexes) {
    results[i]!.report.issues.push({ rule: 'longest-key', severity: 'warning', message: '正确选项是最长的选项（本批次这种情况偏多）。' });
  }
  return { results, stats: { ...summarise(results), ...batch.stats, chunks: chunks.size } };
}

const isValid = (r: CandidateResult): r is CandidateResult & { content: QuestionContent } => r.report.valid && r.content !== null;

/** Key positions and option lengths across the valid candidates of a batch. */
function batchRules(results: CandidateResult[]) {
  const valid = results.map((r, i) => ({ r, i })).filter(({ r }) => isValid(r));
  const single: Record<string, number> = {};
  const multiple: Record<string, number> = {};
  const trueFalse = { true: 0, false: 0 };
  const expected: Record<string, number> = {};
  let singles = 0;
  const longestKeyIndexes: number[] = [];
  for (const { r, i } of valid) {
    const c = r.content!;
    if (c.type === 'single') {
      singles++;
      single[c.correct[0]!] = (single[c.correct[0]!] ?? 0) + 1;
      for (const o of c.options) expected[o.key] = (expected[o.key] ?? 0) + 1 / c.options.length;
      const lengths = c.options.map((o) => [...stripTags(o.text)].length);
      const key = lengths[c.options.findIndex((o) => o.key === c.correct[0])]!;
      if (lengths.filter((l) => l >= key).length === 1) longestKeyIndexes.push(i);
    } else if (c.type === 'multiple') {
      for (const k of c.correct) multiple[k] = (multiple[k] ?? 0) + 1;
    } else if (c.type === 'true_false') {
      trueFalse[c.correct ? 'true' : 'false']++;
    }
  }
  const problems: string[] = [];
  if (singles >= MIN_FOR_BATCH_RULES) {
    for (const [key, e] of Object.entries(expected)) {
      const observed = single[key] ?? 0;
      if (Math.abs(observed - e) / singles > KEY_BALANCE_TOLERANCE) {
        problems.push(`单选题答案为 ${key} 的有 ${observed} 道，均衡时约 ${Math.round(e)} 道`);
      }
    }
  }
  const tf = trueFalse.true + trueFalse.false;
  if (tf >= MIN_FOR_BATCH_RULES && Math.abs(trueFalse.true / tf - 0.5) > KEY_BALANCE_TOLERANCE) {
    problems.push(`判断题中“正确”占 ${Math.round((trueFalse.true / tf) * 100)}%`);
  }
  const longestIsKeyRate = singles ? Number((longestKeyIndexes.length / singles).toFixed(3)) : null;
  const longestIsKeyFlagged = singles >= MIN_FOR_BATCH_RULES && longestIsKeyRate! > LONGEST_KEY_FLAG_RATE;
  return {
    stats: {
      keyDistribution: { single, multiple, trueFalse },
      keyBalanced: problems.length === 0,
      keyImbalance: problems.length ? `${problems.join('；')}。` : null,
      longestIsKeyRate,
      longestIsKeyFlagged,
    },
    longestKeyIndexes: longestIsKeyFlagged ? longestKeyIndexes : [],
  };
}

/** Counts, pass rate, duplicate rate and failures by rule. */
function summarise(results: CandidateResult[]) {
  const n = results.length;
  const valid = results.filter(isValid).length;
  const duplicates = results.filter((r) => r.report.duplicateOf).length;
  const byType: Record<string, number> = {};
  for (const r of results) if (r.content) byType[r.content.type] = (byType[r.content.type] ?? 0) + 1;
  const failures: Record<string, number> = {};
  for (const r of results) for (const rule of new Set(r.report.issues.filter((i) => i.severity === 'error').map((i) => i.rule))) failures[rule] = (failures[rule] ?? 0) + 1;
  const rate = (x: number) => (n ? Number((x / n).toFixed(3)) : 0);
  return { candidates: n, valid, invalid: n - valid, passRate: rate(valid), duplicates, duplicateRate: rate(duplicates), byType, failures };
}
