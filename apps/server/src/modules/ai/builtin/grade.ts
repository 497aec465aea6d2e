/**
 * Rubric grading: for each rubric point, which of its keywords (or their synonyms) the answer
 * contains; credit in proportion, by the point's weight; an explanation in Chinese of what was
 * found and what was missed; a confidence that drops for very short or padded answers, weak
 * (synonym/partial) matches, contradictions and partly made points.
 */
import { keywords } from '../../content/index.js';
import type { GradeAnswerInput, GradeAnswerResult } from '../capabilities.js';
import { contradicts, findKeyword, prepare, referenceClause, type KeywordMatch } from './matcher.js';
import { matchForm } from './text.js';

/** Share of a point's keywords that earns the point in full (the rest scales linearly). */
export const FULL_CREDIT_SHARE = 0.75;
/** A synonym or partial match counts this much of an exact one. */
const WEAK_MATCH_CREDIT = 0.8;

const round = (n: number, step = 0.1) => Math.round(n / step) * step;
const fix = (n: number) => Number(n.toFixed(2));

export function gradeAnswer(input: GradeAnswerInput): GradeAnswerResult {
  const answer = prepare(input.answer);
  const totalWeight = input.rubric.reduce((s, p) => s + p.weight, 0) || 1;
  let weak = 0;
  let credited = 0;
  let contradictions = 0;
  let partialPoints = 0;

  const points = input.rubric.map((p, index) => {
    const max = fix((input.maxScore * p.weight) / totalWeight);
    const words = p.keywords.length ? p.keywords : keywords(p.point, 3).map((k) => k.word);
    const found: string[] = [];
    const missed: string[] = [];
    const notes: string[] = [];
    let credit = 0;
    for (const w of words) {
      const m: KeywordMatch | null = answer.form ? findKeyword(answer, w) : null;
      if (!m) {
        missed.push(w);
        continue;
      }
      if (contradicts(m.clauses, referenceClause(p.point, w))) {
        contradictions++;
        missed.push(w);
        notes.push(`「${m.clauses[0]}」与要点的表述相反`);
        continue;
      }
      found.push(w);
      credited++;
      if (m.kind === 'exact') credit += 1;
      else {
        weak++;
        credit += WEAK_MATCH_CREDIT;
        notes.push(m.kind === 'synonym' ? `以「${m.matched}」表达了「${w}」` : `部分提到「${w}」（${m.matched}）`);
      }
    }
    const share = words.length ? Math.min(1, credit / words.length / FULL_CREDIT_SHARE) : 0;
    const awarded = fix(Math.min(max, round(max * share)));
    if (awarded > 0 && awarded < max) partialPoints++;
    const comment = [
      found.length ? `答到「${found.join('」「')}」` : '未答到要点',
      missed.length ? `缺少「${missed.join('」「')}」` : '',
      ...new Set(notes),
    ]
      .filter(Boolean)
      .join('；');
    return { index, awarded, max, found, missed, comment };
  });

  const score = fix(Math.min(input.maxScore, points.reduce((s, p) => s + p.awarded, 0)));
  const { confidence, reasons } = confidenceOf(input, answer.form, { weak, credited, contradictions, partialPoints, points: points.length });
  const lines = points.map((p, i) => `要点${i + 1}「${clip(input.rubric[i]!.point, 30)}」（${p.awarded}/${p.max}）：${p.comment}。`);
  const explanation = [`得分 ${score}/${input.maxScore}。`, ...lines, ...(reasons.length ? [`置信度较低：${reasons.join('；')}。`] : [])].join('\n');
  return { points, score, explanation, confidence };
}

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);

function confidenceOf(
  input: GradeAnswerInput,
  form: string,
  stats: { weak: number; credited: number; contradictions: number; partialPoints: number; points: number },
): { confidence: number; reasons: string[] } {
  let c = 0.95;
  const reasons: string[] = [];
  const length = [...form].length;
  // Nothing written: certainly no credit.
  if (length === 0) return { confidence: 0.99, reasons };
  const refLength = [...matchForm(input.referenceAnswer)].length || 1;
  if (length < 8) {
    c -= 0.4;
    reasons.push('答案过短');
  } else if (length < Math.min(20, refLength / 4)) {
    c -= 0.15;
    reasons.push('答案较短');
  }
  if (length > refLength * 4 + 200) {
    c -= 0.25;
    reasons.push('答案远长于参考答案，可能堆砌关键词');
  }
  if (stats.credited) {
    const weakShare = stats.weak / stats.credited;
    if (weakShare > 0) {
      c -= 0.25 * weakShare;
      if (weakShare >= 0.5) reasons.push('多数要点只以近义词或部分词语匹配');
    }
  }
  if (stats.contradictions) {
    c -= Math.min(0.3, 0.15 * stats.contradictions);
    reasons.push('答案中有与要点相反的表述');
  }
  if (stats.points) {
    const partial = stats.partialPoints / stats.points;
    c -= 0.2 * partial;
    if (partial >= 0.5) reasons.push('多数要点只答对一部分');
  }
  return { confidence: fix(Math.max(0.05, Math.min(0.99, c))), reasons };
}
