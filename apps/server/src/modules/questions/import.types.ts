import { QUESTION_IMPORT_MAX_ROWS, type QuestionImportError, type RubricPoint } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { htmlToText, sanitizeRich } from './sanitize.js';

/** What every import format parser produces: one item per question (or data row), in file order. */

export interface ItemRef {
  row?: number;
  index?: number;
  name?: string;
}

export interface Issue {
  column?: string;
  message: string;
}

export interface ParsedItem {
  ref: ItemRef;
  /** Raw content for normaliseContent; null when the item could not be read at all (see errors). */
  content: Record<string, unknown> | null;
  defaultPoints?: number;
  errors: Issue[];
  warnings: Issue[];
}

export interface ParsedFile {
  items: ParsedItem[];
  /** Problems of the file as a whole (e.g. a missing header column): nothing can be imported. */
  fileErrors: QuestionImportError[];
  fileWarnings: QuestionImportError[];
}

export const unreadable = (message?: string, details?: unknown) => new AppError('ERR-QUESTION-0004', message, details);

export function assertQuestionCount(count: number): void {
  if (count > QUESTION_IMPORT_MAX_ROWS) {
    throw new AppError(
      'ERR-QUESTION-0005',
      `The file has ${count.toLocaleString('en')} questions; at most ${QUESTION_IMPORT_MAX_ROWS.toLocaleString('en')} can be imported at once.`,
      { count, limit: QUESTION_IMPORT_MAX_ROWS },
    );
  }
}

/** Rubric points are at most this long (questionContentSchema). */
const POINT_MAX = 500;

/**
 * Formats without rubrics (Moodle essays, a 简答 row without 评分要点) get one point: the reference
 * answer itself. The import reports it as a warning so nobody is surprised by it.
 */
export function defaultRubric(referenceAnswer: string): RubricPoint[] {
  const text = htmlToText(sanitizeRich(referenceAnswer)).replace(/\s+/g, ' ').trim();
  // Cut at a character boundary: never half of a surrogate pair.
  const point = (text || '参考答案').slice(0, POINT_MAX).replace(/[\uD800-\uDBFF]$/, '');
  return [{ point, weight: 1, keywords: [] }];
}
export const DEFAULT_RUBRIC_WARNING = 'no rubric given: one rubric point (the reference answer, weight 1) was made';

export const escapeHtmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const TAG_MAX = 32;

/** The last level of a Moodle category path ("$course$/top/合规/个人信息" → "个人信息"). */
export function categoryLeaf(path: string): string | null {
  const levels = path.split('/').map((s) => s.trim()).filter((s) => s && !/^\$\w+\$$/.test(s) && s !== 'top');
  return levels.pop() ?? null;
}

/** A category becomes a tag, cut to a tag's 32 characters (with a warning). */
export function categoryTag(name: string, warnings: Issue[]): string {
  if (name.length <= TAG_MAX) return name;
  warnings.push({ message: `the category "${name}" is cut to ${TAG_MAX} characters to become a tag` });
  return name.slice(0, TAG_MAX).replace(/[\uD800-\uDBFF]$/, '').trim();
}
