import { computed, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { isApiError, type ApiError } from '../api/api-error';
import { canCommit, type ImportReportBase } from '../utils/import-report';

export interface ImportWizardOptions<Result extends { summary: unknown }, Report extends ImportReportBase> {
  /** One call of the import endpoint: a dry run (the check) or the all-or-nothing commit. */
  request(file: File, dryRun: boolean): Promise<Result>;
  reportOfResult(result: Result): Report;
  /** The report inside a refused check or commit (422 with row errors); null for any other failure. */
  reportOfFailure(error: ApiError): Report | null;
  describeError(error: unknown): string;
  /** A failure outside the rows that the page shows itself (e.g. on a field); true when handled. */
  handleUploadProblem?(error: unknown): boolean;
}

/** The steps every import wizard walks through. */
export const IMPORT_STEP = { prepare: 0, upload: 1, preview: 2, done: 3 } as const;

/**
 * The state of an import wizard (prepare → upload → check report → commit), shared by the user and
 * the question import. Problems outside the rows (unreadable file, bad option) belong to the
 * upload step; a commit refused with fresh row errors shows them in the report.
 */
export function useImportWizard<Result extends { summary: unknown }, Report extends ImportReportBase>(options: ImportWizardOptions<Result, Report>) {
  const step = ref<number>(IMPORT_STEP.prepare);
  const file = ref<File | null>(null) as Ref<File | null>;
  const busy = ref(false);
  const uploadFailure = ref('');
  const commitFailure = ref('');
  const report = shallowRef<Report | null>(null) as ShallowRef<Report | null>;
  const imported = shallowRef<Result['summary'] | null>(null) as ShallowRef<Result['summary'] | null>;
  const committable = computed(() => canCommit(report.value));

  const reportOf = (error: unknown) => (isApiError(error) ? options.reportOfFailure(error) : null);

  async function check(): Promise<void> {
    if (!file.value || busy.value) return;
    busy.value = true;
    uploadFailure.value = '';
    commitFailure.value = '';
    try {
      report.value = options.reportOfResult(await options.request(file.value, true));
      step.value = IMPORT_STEP.preview;
    } catch (error) {
      const failed = reportOf(error);
      if (failed) {
        report.value = failed;
        step.value = IMPORT_STEP.preview;
      } else if (!options.handleUploadProblem?.(error)) {
        uploadFailure.value = options.describeError(error);
      }
    } finally {
      busy.value = false;
    }
  }

  async function commit(): Promise<void> {
    if (!file.value || !committable.value || busy.value) return;
    busy.value = true;
    commitFailure.value = '';
    try {
      imported.value = (await options.request(file.value, false)).summary;
      step.value = IMPORT_STEP.done;
    } catch (error) {
      // Something may have changed since the check (e.g. a clashing user added): show the fresh errors.
      const failed = reportOf(error);
      if (failed) report.value = failed;
      commitFailure.value = options.describeError(error);
    } finally {
      busy.value = false;
    }
  }

  /** Back to the upload step with the file cleared: the fixed file is a new file. */
  function reupload(): void {
    file.value = null;
    report.value = null;
    uploadFailure.value = '';
    commitFailure.value = '';
    step.value = IMPORT_STEP.upload;
  }

  function startOver(): void {
    reupload();
    imported.value = null;
    step.value = IMPORT_STEP.prepare;
  }

  return { step, file, busy, uploadFailure, commitFailure, report, imported, canCommit: committable, check, commit, reupload, startOver };
}
