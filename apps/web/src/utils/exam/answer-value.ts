import type { AnswerValue, QuestionType } from '@kpl/shared';

/** Whether anything was given (the server's rule): not null, '', [], whitespace or only empty blanks. */
export function isAnswered(answer: AnswerValue | undefined): boolean {
  if (answer === null || answer === undefined) return false;
  if (typeof answer === 'boolean') return true;
  if (typeof answer === 'string') return answer.trim() !== '';
  return answer.some((s) => s.trim() !== '');
}

/** One input value per blank, whatever was saved (a shorter list leaves the last blanks empty). */
export function blankValues(answer: AnswerValue | undefined, blankCount: number): string[] {
  const given = Array.isArray(answer) ? answer : [];
  return Array.from({ length: blankCount }, (_, i) => given[i] ?? '');
}

/** The chosen keys of a multiple-choice answer with `key` switched, in the order the options are shown. */
export function toggleChoice(answer: AnswerValue | undefined, key: string, shownKeys: readonly string[]): string[] {
  const chosen = new Set(Array.isArray(answer) ? answer : []);
  if (chosen.has(key)) chosen.delete(key);
  else chosen.add(key);
  return shownKeys.filter((k) => chosen.has(k));
}

/** Typed answers are sent after a short pause (they are stored on the device at once); choices at once. */
export function sendDelayFor(type: QuestionType): number {
  return type === 'fill_blank' || type === 'short_answer' ? 800 : 0;
}
