import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { IMPORT_STEP, useImportWizard, type ImportWizardOptions } from './useImportWizard';

interface Summary {
  invalid: number;
  created: number;
}
interface Result {
  summary: Summary;
  errors: string[];
}
interface Report extends Result {
  errorsOmitted: number;
}

const clean: Result = { summary: { invalid: 0, created: 2 }, errors: [] };
const refused = new ApiError({ code: 'ERR-IMPORT-0001', message: 'rows', status: 422, details: { summary: { invalid: 1, created: 0 }, errors: ['row 3'] } });
const unreadable = new ApiError({ code: 'ERR-COMMON-0001', message: 'unreadable', status: 400 });

/** A wizard whose endpoint answers with the queued outcomes in turn, recording each call. */
function wizard(outcomes: (Result | Error)[], extra: Partial<ImportWizardOptions<Result, Report>> = {}) {
  const calls: boolean[] = [];
  const w = useImportWizard<Result, Report>({
    async request(_file, dryRun) {
      calls.push(dryRun);
      const next = outcomes.shift();
      if (!next || next instanceof Error) throw next;
      return next;
    },
    reportOfResult: (result) => ({ ...result, errorsOmitted: 0 }),
    reportOfFailure: (error) => (error.code === 'ERR-IMPORT-0001' ? { ...(error.details as Result), errorsOmitted: 0 } : null),
    describeError: (error) => (error instanceof Error ? error.message : 'unknown'),
    ...extra,
  });
  w.file.value = new File(['x'], 'users.xlsx');
  w.step.value = IMPORT_STEP.upload;
  return { w, calls };
}

describe('useImportWizard', () => {
  it('checks with a dry run, then commits and lands on the done step', async () => {
    const { w, calls } = wizard([clean, clean]);
    await w.check();
    expect(w.step.value).toBe(IMPORT_STEP.preview);
    expect(w.canCommit.value).toBe(true);
    await w.commit();
    expect(calls).toEqual([true, false]);
    expect(w.step.value).toBe(IMPORT_STEP.done);
    expect(w.imported.value).toEqual(clean.summary);
  });

  it('shows the row errors of a refused check as the report, with no commit on offer', async () => {
    const { w, calls } = wizard([refused]);
    await w.check();
    expect(w.step.value).toBe(IMPORT_STEP.preview);
    expect(w.report.value?.errors).toEqual(['row 3']);
    expect(w.canCommit.value).toBe(false);
    await w.commit();
    expect(calls).toEqual([true]);
  });

  it('keeps other check failures on the upload step, unless the page handles them itself', async () => {
    const { w } = wizard([unreadable]);
    await w.check();
    expect(w.step.value).toBe(IMPORT_STEP.upload);
    expect(w.uploadFailure.value).toBe('unreadable');

    const handled: unknown[] = [];
    const other = wizard([unreadable], { handleUploadProblem: (error) => handled.push(error) > 0 });
    await other.w.check();
    expect(handled).toEqual([unreadable]);
    expect(other.w.uploadFailure.value).toBe('');
  });

  it('a commit refused with fresh row errors shows them and says why', async () => {
    const { w } = wizard([clean, refused]);
    await w.check();
    await w.commit();
    expect(w.step.value).toBe(IMPORT_STEP.preview);
    expect(w.report.value?.errors).toEqual(['row 3']);
    expect(w.commitFailure.value).toBe('rows');
  });

  it('re-upload clears the file and the report; starting over goes back to the first step', async () => {
    const { w } = wizard([clean, clean]);
    await w.check();
    w.reupload();
    expect([w.step.value, w.file.value, w.report.value]).toEqual([IMPORT_STEP.upload, null, null]);
    await w.check(); // no file: nothing is sent
    expect(w.step.value).toBe(IMPORT_STEP.upload);
    w.startOver();
    expect(w.step.value).toBe(IMPORT_STEP.prepare);
  });
});
