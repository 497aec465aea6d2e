/** What every import check (users, questions) reports: the counts and the row errors to fix. */
export interface ImportReportBase {
  summary: { invalid: number; created: number };
  errors: readonly unknown[];
  /** Errors beyond the first 1,000, which the server leaves out. */
  errorsOmitted: number;
}

export function hasErrors(report: ImportReportBase): boolean {
  return report.errors.length > 0 || report.summary.invalid > 0 || report.errorsOmitted > 0;
}

/** A commit is worth offering only when the check is clean and would create something. */
export function canCommit(report: ImportReportBase | null): boolean {
  return report !== null && !hasErrors(report) && report.summary.created > 0;
}

/** Why a picked file cannot be imported (its name's ending, or its size), or null when it can. */
export function fileProblem(file: { name: string; size: number }, extensions: readonly string[], maxBytes: number): 'wrongType' | 'tooLarge' | null {
  const name = file.name.toLowerCase();
  if (!extensions.some((ext) => name.endsWith(ext))) return 'wrongType';
  return file.size > maxBytes ? 'tooLarge' : null;
}

/** The report's figures as tiles, in the order given; the count of invalid rows is marked when not zero. */
export function importStats<K extends string>(
  summary: Record<K, number> & { invalid: number },
  keys: readonly K[],
  label: (key: K) => string,
  format: (value: number) => string,
): { key: K; label: string; value: string; bad: boolean }[] {
  return keys.map((key) => ({ key, label: label(key), value: format(summary[key]), bad: key === 'invalid' && summary.invalid > 0 }));
}

/** A column of an import's error table. */
export interface ImportErrorColumn<Row> {
  label: string;
  width?: number;
  minWidth?: number;
  text(row: Row): string | number;
}
