/**
 * Scores are computed in integer hundredths ("cents") so that sums are exact and every score has
 * at most two decimals; they become plain numbers again only at the end (`fromCents`).
 */

/** Rounds to whole cents; `toPrecision` first absorbs binary noise (2.675 × 100 = 267.4999…). */
export function toCents(value: number): number {
  return Math.round(Number((value * 100).toPrecision(12)));
}

export const fromCents = (cents: number): number => cents / 100;

/** Rounds to two decimals (half away from zero for positive values). */
export const round2 = (value: number): number => fromCents(toCents(value));

/**
 * Cents earned for `k` of `n` equal parts of `total` cents, rounded down: partial credit never
 * exceeds the exact share, and `k = n` gives exactly `total`.
 */
export function shareCents(total: number, k: number, n: number): number {
  return n === 0 ? 0 : Math.floor((total * k) / n);
}

/** The points of a question in cents; points must be a finite number ≥ 0 (a paper bug otherwise). */
export function pointsToCents(points: number): number {
  if (!Number.isFinite(points) || points < 0) throw new RangeError(`Question points must be a finite number ≥ 0, got ${points}`);
  return toCents(points);
}
