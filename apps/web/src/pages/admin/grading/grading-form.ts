import type { AiAssessment, RubricPoint } from '@kpl/shared';

/**
 * Grading a short answer point by point: each rubric point is worth its share of the question's
 * points (by weight); the grader sets what each point earned, or types the total directly.
 */
export interface RubricLine {
  point: string;
  keywords: string[];
  max: number;
  /** What the AI gave this point, when it graded the answer. */
  ai: { awarded: number; found: string[]; missed: string[]; comment: string } | null;
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** Each point's maximum: its weight's share of `maxScore`; the last point takes the rounding remainder. */
export function rubricMaxes(rubric: readonly Pick<RubricPoint, 'weight'>[], maxScore: number): number[] {
  const total = rubric.reduce((sum, point) => sum + point.weight, 0);
  if (rubric.length === 0 || total <= 0) return rubric.map(() => 0);
  const maxes = rubric.map((point) => cents((point.weight / total) * maxScore));
  const drift = cents(maxScore - maxes.reduce((a, b) => a + b, 0));
  maxes[maxes.length - 1] = cents(maxes[maxes.length - 1]! + drift);
  return maxes;
}

export function rubricLines(rubric: readonly RubricPoint[], maxScore: number, ai: AiAssessment | null): RubricLine[] {
  const maxes = rubricMaxes(rubric, maxScore);
  const byIndex = new Map((ai?.points ?? []).map((p) => [p.index, p]));
  return rubric.map((point, index) => {
    const suggested = byIndex.get(index);
    return {
      point: point.point,
      keywords: [...point.keywords],
      max: maxes[index] ?? 0,
      ai: suggested ? { awarded: suggested.awarded, found: suggested.found, missed: suggested.missed, comment: suggested.comment } : null,
    };
  });
}

/** The per-point scores to start from: the AI's, scaled to each point's maximum, or nothing. */
export function initialPointScores(lines: readonly RubricLine[]): number[] {
  return lines.map((line) => (line.ai ? clampScore(line.ai.awarded, line.max) : 0));
}

export function clampScore(score: number, max: number): number {
  if (!Number.isFinite(score)) return 0;
  return cents(Math.min(max, Math.max(0, score)));
}

/** The total of the per-point scores, never above the question's points. */
export function totalOf(pointScores: readonly number[], maxScore: number): number {
  return clampScore(pointScores.reduce((sum, score) => sum + (Number.isFinite(score) ? score : 0), 0), maxScore);
}

export type Confidence = 'high' | 'medium' | 'low';

/** How much to trust the AI's grade, for the colour of its badge. */
export function confidenceLevel(confidence: number): Confidence {
  if (confidence >= 0.8) return 'high';
  if (confidence >= 0.5) return 'medium';
  return 'low';
}

/** The comment an accepted AI grade starts with: its explanation, which the grader may edit. */
export function suggestedComment(ai: AiAssessment | null): string {
  return ai?.explanation.trim() ?? '';
}
