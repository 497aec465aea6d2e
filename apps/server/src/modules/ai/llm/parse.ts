import { questionContentSchema } from '@kpl/shared';
import { CRITERION_LABELS } from '../builtin/index.js';
import type { GenerateQuestionsInput, GeneratedCandidate, GradeAnswerInput, GradeAnswerResult, PracticeEvaluation } from '../capabilities.js';
import { AiCallError } from '../errors.js';
import { extractJson, isRecord } from './json.js';
import { PRACTICE_MAX_PER_CRITERION, pointMaxima } from './prompts.js';

const round2 = (n: number) => Math.round(n * 100) / 100;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function structuredError(what: string): AiCallError {
  return new AiCallError('protocol', `the model's ${what} does not have the requested shape`, { afterFirstByte: true });
}

/** Small, unambiguous repairs of what models commonly send: 'A' for ['A'], "正确" for true. */
function normaliseCorrect(type: unknown, correct: unknown): unknown {
  if (type === 'true_false') {
    if (typeof correct === 'boolean') return correct;
    const s = String(Array.isArray(correct) ? correct[0] : correct).trim().toLowerCase();
    if (['true', '正确', '对', '是', 't'].includes(s)) return true;
    if (['false', '错误', '错', '否', 'f'].includes(s)) return false;
    return correct;
  }
  if (typeof correct === 'string') return correct.split(/[,，、\s]+/).filter(Boolean).map((k) => k.toUpperCase());
  return Array.isArray(correct) ? correct.map((k) => (typeof k === 'string' ? k.trim().toUpperCase() : k)) : correct;
}

/**
 * Candidates that pass `questionContentSchema`, are of a requested type and cite one of the given
 * chunks; anything else is dropped (the generation pipeline validates the survivors further).
 */
export function parseCandidates(text: string, input: GenerateQuestionsInput): GeneratedCandidate[] {
  const json = extractJson(text);
  const items = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.questions) ? json.questions : null;
  if (!items) throw structuredError('question list');
  const chunks = new Map(input.chunks.map((c) => [c.chunkId, c]));
  const out: GeneratedCandidate[] = [];
  for (const item of items) {
    if (!isRecord(item) || !isRecord(item.source)) continue;
    const chunk = chunks.get(str(item.source.chunkId));
    const quote = str(item.source.quote);
    if (!chunk || !quote || !input.types.includes(item.type as GeneratedCandidate['content']['type'])) continue;
    const parsed = questionContentSchema.safeParse({
      ...item,
      correct: normaliseCorrect(item.type, item.correct),
      difficulty: clamp(Math.round(num(item.difficulty) ?? input.difficulty ?? 3), 1, 5),
      knowledgePoints: strings(item.knowledgePoints).slice(0, 20),
      source: { materialId: chunk.materialId, chunkId: chunk.chunkId, quote: quote.slice(0, 2000), ...(chunk.citation ? { citation: chunk.citation.slice(0, 500) } : {}) },
    });
    if (parsed.success) out.push({ content: parsed.data, source: { chunkId: chunk.chunkId, quote } });
    if (out.length >= input.count) break;
  }
  return out;
}

/**
 * Scores per rubric point, clamped to each point's maximum; a point the model skipped scores 0 and
 * lowers the confidence, so a doubtful grade goes to a person.
 */
export function parseGrade(text: string, input: GradeAnswerInput): GradeAnswerResult {
  const json = extractJson(text);
  if (!isRecord(json) || !Array.isArray(json.points)) throw structuredError('grade');
  const maxima = pointMaxima(input);
  const given = new Map<number, Record<string, unknown>>();
  json.points.forEach((p, i) => {
    if (isRecord(p)) given.set(num(p.index) ?? i, p);
  });
  let skipped = 0;
  const points = input.rubric.map((r, index) => {
    const max = maxima[index]!;
    const p = given.get(index);
    const awarded = p ? num(p.awarded) : undefined;
    if (!p || awarded === undefined) {
      skipped++;
      return { index, awarded: 0, max, found: [], missed: [r.point], comment: '模型未给出这一要点的评分，按未答到计。' };
    }
    return { index, awarded: round2(clamp(awarded, 0, max)), max, found: strings(p.found), missed: strings(p.missed), comment: str(p.comment) };
  });
  const score = round2(points.reduce((n, p) => n + p.awarded, 0));
  const stated = num(json.confidence);
  const confidence = round2(clamp(stated ?? 0.5, 0, 1) * (1 - skipped / Math.max(1, input.rubric.length)));
  const explanation = str(json.explanation) || points.map((p) => `要点${p.index + 1}：${p.awarded}/${p.max}${p.comment ? `，${p.comment}` : ''}`).join('；');
  return { points, score, explanation, confidence };
}

/** The four criteria of the builtin evaluator, 25 points each; unknown names are ignored, missing ones score 0. */
export function parseEvaluation(text: string): PracticeEvaluation {
  const json = extractJson(text);
  if (!isRecord(json) || !Array.isArray(json.criteria)) throw structuredError('evaluation');
  const byName = new Map<string, Record<string, unknown>>();
  for (const c of json.criteria) if (isRecord(c)) byName.set(str(c.name), c);
  const criteria = Object.entries(CRITERION_LABELS).map(([name, label]) => {
    const c = byName.get(name) ?? byName.get(label);
    const score = num(c?.score);
    return {
      name,
      score: Math.round(clamp(score ?? 0, 0, PRACTICE_MAX_PER_CRITERION)),
      max: PRACTICE_MAX_PER_CRITERION,
      comment: c ? str(c.comment) : `${label}：模型未给出评价。`,
    };
  });
  const total = criteria.reduce((n, c) => n + c.score, 0);
  const max = criteria.length * PRACTICE_MAX_PER_CRITERION;
  return { criteria, total, max, summary: str(json.summary) || `总分 ${total}/${max}。` };
}
