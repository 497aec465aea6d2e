/**
 * Options are labelled by where they are shown (A, B, C… top to bottom), not by their stored key:
 * with shuffled options the stored keys come in any order, which would read as "C, A, D, B".
 */
export function optionLabel(index: number): string {
  return String.fromCharCode(65 + index);
}

/** The shown labels of stored keys, e.g. the key ['D'] shown second → "B". */
export function shownLabels(keys: readonly string[], shownKeys: readonly string[]): string {
  return shownKeys.flatMap((key, index) => (keys.includes(key) ? [optionLabel(index)] : [])).join('');
}
