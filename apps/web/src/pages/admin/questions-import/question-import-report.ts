import {
  questionImportFailureDetailsSchema,
  type QuestionImportError,
  type QuestionImportResult,
  type QuestionImportSummary,
} from '@kpl/shared';

/** What a check (or a refused commit) found. A refused commit carries no preview. */
export interface QuestionImportReport {
  summary: QuestionImportSummary;
  errors: QuestionImportError[];
  warnings: QuestionImportError[];
  duplicates: QuestionImportResult['duplicates'];
  preview: QuestionImportResult['preview'];
  errorsOmitted: number;
}

export function reportOfResult(result: QuestionImportResult): QuestionImportReport {
  return { summary: result.summary, errors: result.errors, warnings: result.warnings, duplicates: result.duplicates, preview: result.preview, errorsOmitted: 0 };
}

/** The report inside a 422 ERR-QUESTION-0003 answer; null for any other failure. */
export function reportOfFailure(error: { code: string; details: unknown }): QuestionImportReport | null {
  if (error.code !== 'ERR-QUESTION-0003') return null;
  const parsed = questionImportFailureDetailsSchema.safeParse(error.details);
  return parsed.success ? { ...parsed.data, warnings: [], duplicates: [], preview: [] } : null;
}

export interface Location {
  row?: number;
  index?: number;
  name?: string;
}

/**
 * Where a problem is, in the file's own terms: Excel rows (header = row 1), or the n-th question
 * of a GIFT / Moodle XML file with its name when it has one.
 */
export function describeLocation(location: Location, t: (key: string, values?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (location.row !== undefined) parts.push(t('questionImport.location.row', { n: location.row }));
  if (location.index !== undefined) parts.push(t('questionImport.location.question', { n: location.index }));
  if (location.name) parts.push(`“${location.name}”`);
  return parts.join(' ') || t('questionImport.location.file');
}
