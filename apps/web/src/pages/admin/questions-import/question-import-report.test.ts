import { describe, expect, it } from 'vitest';
import { canCommit, hasErrors } from '../../../utils/import-report';
import { describeLocation, reportOfFailure, reportOfResult } from './question-import-report';

const t = (key: string, values?: Record<string, unknown>) => `${key}${values ? JSON.stringify(values) : ''}`;
const summary = { total: 3, valid: 3, invalid: 0, duplicates: 1, created: 2 };

describe('question import report', () => {
  it('a clean dry run can be committed; one that would create nothing cannot', () => {
    const report = reportOfResult({ dryRun: true, format: 'gift', summary, errors: [], warnings: [], duplicates: [], preview: [] });
    expect(hasErrors(report)).toBe(false);
    expect(canCommit(report)).toBe(true);
    expect(canCommit({ ...report, summary: { ...summary, created: 0 } })).toBe(false);
    expect(canCommit(null)).toBe(false);
  });

  it('reads the errors of a refused commit and ignores other failures', () => {
    const details = { summary: { ...summary, invalid: 1 }, errors: [{ row: 4, column: '答案', message: 'bad key' }], errorsOmitted: 0 };
    const report = reportOfFailure({ code: 'ERR-QUESTION-0003', details });
    expect(report?.errors).toEqual(details.errors);
    expect(report && hasErrors(report)).toBe(true);
    expect(report && canCommit(report)).toBe(false);
    expect(reportOfFailure({ code: 'ERR-QUESTION-0004', details })).toBeNull();
    expect(reportOfFailure({ code: 'ERR-QUESTION-0003', details: { nope: true } })).toBeNull();
  });

  it('counts omitted errors as errors', () => {
    const report = reportOfResult({ dryRun: true, format: 'xlsx', summary, errors: [], warnings: [], duplicates: [], preview: [] });
    expect(hasErrors({ ...report, errorsOmitted: 3 })).toBe(true);
  });

  it('describes where a problem is in the file', () => {
    expect(describeLocation({ row: 5 }, t)).toBe('questionImport.location.row{"n":5}');
    expect(describeLocation({ index: 2, name: 'Q2' }, t)).toBe('questionImport.location.question{"n":2} “Q2”');
    expect(describeLocation({}, t)).toBe('questionImport.location.file');
  });
});
