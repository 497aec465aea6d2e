import {
  questionBankPageSchema,
  questionBankSchema,
  questionDetailSchema,
  questionImportResultSchema,
  questionPageSchema,
  questionVersionSchema,
  type CreateQuestion,
  type CreateQuestionBank,
  type QuestionBank,
  type QuestionDetail,
  type QuestionImportFormat,
  type QuestionImportResult,
  type QuestionListQuery,
  type QuestionVersion,
  type UpdateQuestion,
  type UpdateQuestionBank,
} from '@kpl/shared';
import { apiDownload, apiRequest, type DownloadedFile } from './client';

/** Question banks and questions (console). */

const id = encodeURIComponent;

export type QuestionBankPage = ReturnType<typeof questionBankPageSchema.parse>;
export type QuestionPage = ReturnType<typeof questionPageSchema.parse>;

export interface BankListQuery {
  page: number;
  pageSize: number;
  q?: string;
  courseId?: string;
}

export function listBanks(query: BankListQuery, signal?: AbortSignal): Promise<QuestionBankPage> {
  return apiRequest('/api/v1/question-banks', { query: { ...query }, schema: questionBankPageSchema, signal });
}

/** Every bank the caller can see, for pickers (banks are few; the server caps a page at 200). */
export async function listAllBanks(signal?: AbortSignal): Promise<QuestionBank[]> {
  return (await listBanks({ page: 1, pageSize: 200 }, signal)).items;
}

export function createBank(input: CreateQuestionBank): Promise<QuestionBank> {
  return apiRequest('/api/v1/question-banks', { method: 'POST', body: input, schema: questionBankSchema });
}

export function updateBank(bankId: string, patch: UpdateQuestionBank): Promise<QuestionBank> {
  return apiRequest(`/api/v1/question-banks/${id(bankId)}`, { method: 'PATCH', body: patch, schema: questionBankSchema });
}

export type QuestionFilters = Partial<Omit<QuestionListQuery, 'page' | 'pageSize'>>;

export function listQuestions(query: QuestionFilters & { page: number; pageSize: number }, signal?: AbortSignal): Promise<QuestionPage> {
  return apiRequest('/api/v1/questions', { query: { ...query }, schema: questionPageSchema, signal });
}

export function getQuestion(questionId: string, signal?: AbortSignal): Promise<QuestionDetail> {
  return apiRequest(`/api/v1/questions/${id(questionId)}`, { schema: questionDetailSchema, signal });
}

export function getQuestionVersion(questionId: string, versionId: string, signal?: AbortSignal): Promise<QuestionVersion> {
  return apiRequest(`/api/v1/questions/${id(questionId)}/versions/${id(versionId)}`, { schema: questionVersionSchema, signal });
}

export function createQuestion(input: CreateQuestion): Promise<QuestionDetail> {
  return apiRequest('/api/v1/questions', { method: 'POST', body: input, schema: questionDetailSchema });
}

/** A new content makes a new version; the same content (same hash) changes nothing. */
export function updateQuestion(questionId: string, patch: UpdateQuestion): Promise<QuestionDetail> {
  return apiRequest(`/api/v1/questions/${id(questionId)}`, { method: 'PATCH', body: patch, schema: questionDetailSchema });
}

export function downloadQuestionTemplate(): Promise<DownloadedFile> {
  return apiDownload('/api/v1/questions/import/template');
}

export interface QuestionImportRequest {
  file: File;
  format: QuestionImportFormat;
  bankId: string;
  dryRun: boolean;
}

/**
 * Checks (dryRun) or imports a file into a bank. A commit with errors rejects with
 * ERR-QUESTION-0003 whose details carry the summary and errors (questionImportFailureDetailsSchema).
 */
export function importQuestions(request: QuestionImportRequest): Promise<QuestionImportResult> {
  const form = new FormData();
  form.append('file', request.file);
  return apiRequest('/api/v1/questions/import', {
    method: 'POST',
    query: { format: request.format, bankId: request.bankId, dryRun: request.dryRun },
    body: form,
    schema: questionImportResultSchema,
    timeoutMs: 180_000,
  });
}

export function exportQuestions(bankId: string, format: 'xlsx' | 'gift'): Promise<DownloadedFile> {
  return apiDownload('/api/v1/questions/export', { query: { bankId, format }, timeoutMs: 120_000 });
}
