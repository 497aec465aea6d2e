import { userImportFailureDetailsSchema, type UserImportError, type UserImportResult, type UserImportSummary } from '@kpl/shared';

/** What a check (or a refused commit) found: the counts and the row errors to fix. */
export interface ImportReport {
  summary: UserImportSummary;
  errors: UserImportError[];
  /** Errors beyond the first 1,000, which the server leaves out. */
  errorsOmitted: number;
}

export function reportOfResult(result: UserImportResult): ImportReport {
  return { summary: result.summary, errors: result.errors, errorsOmitted: 0 };
}

/** The report inside a 422 ERR-IMPORT-0001 answer; null for any other failure. */
export function reportOfFailure(error: { code: string; details: unknown }): ImportReport | null {
  if (error.code !== 'ERR-IMPORT-0001') return null;
  const parsed = userImportFailureDetailsSchema.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}
