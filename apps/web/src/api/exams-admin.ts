import {
  attemptDetailSchema,
  examAttemptPageSchema,
  examPageSchema,
  examSchema,
  liveViewSchema,
  regradeResultSchema,
  type CreateExamInput,
  type Exam,
  type ExamStatus,
  type RegradeResult,
} from '@kpl/shared';
import { apiDownload, apiRequest, type DownloadedFile } from './client';

/** Exams as instructors and managers run them (console); the learner side is in ./exams.ts. */

type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;
export type ExamPage = Parsed<typeof examPageSchema>;
export type ExamAttemptPage = Parsed<typeof examAttemptPageSchema>;
export type ExamAttemptRow = ExamAttemptPage['items'][number];
export type LiveView = Parsed<typeof liveViewSchema>;
export type AttemptDetail = Parsed<typeof attemptDetailSchema>;
export type { Exam, RegradeResult };

const id = encodeURIComponent;

export function listExams(query: { page: number; pageSize: number; q?: string; status?: ExamStatus }, signal?: AbortSignal): Promise<ExamPage> {
  return apiRequest('/api/v1/exams', { query: { ...query }, schema: examPageSchema, signal });
}

export function getExam(examId: string, signal?: AbortSignal): Promise<Exam> {
  return apiRequest(`/api/v1/exams/${id(examId)}`, { schema: examSchema, signal });
}

export function createExam(input: CreateExamInput): Promise<Exam> {
  return apiRequest('/api/v1/exams', { method: 'POST', body: input, schema: examSchema });
}

export type UpdateExamInput = Partial<Omit<CreateExamInput, 'settings'>> & { settings?: Partial<NonNullable<CreateExamInput['settings']>> };

export function updateExam(examId: string, patch: UpdateExamInput): Promise<Exam> {
  return apiRequest(`/api/v1/exams/${id(examId)}`, { method: 'PATCH', body: patch, schema: examSchema });
}

/** Draft → published: assigned learners see it and may start within the window. */
export function publishExam(examId: string): Promise<Exam> {
  return apiRequest(`/api/v1/exams/${id(examId)}/publish`, { method: 'POST', schema: examSchema });
}

/** Published → closed: running attempts are submitted with what they saved. */
export function closeExam(examId: string): Promise<Exam> {
  return apiRequest(`/api/v1/exams/${id(examId)}/close`, { method: 'POST', schema: examSchema });
}

export interface ExamAttemptFilters {
  status?: 'in_progress' | 'submitted';
  departmentId?: string;
  passed?: 'true' | 'false';
  q?: string;
}

export function listExamAttempts(examId: string, query: ExamAttemptFilters & { page: number; pageSize: number }, signal?: AbortSignal): Promise<ExamAttemptPage> {
  return apiRequest(`/api/v1/exams/${id(examId)}/attempts`, { query: { ...query }, schema: examAttemptPageSchema, signal });
}

/** Who is taking the exam right now, by the server clock. */
export function getLiveView(examId: string, signal?: AbortSignal): Promise<LiveView> {
  return apiRequest(`/api/v1/exams/${id(examId)}/live`, { schema: liveViewSchema, signal });
}

/** Every attempt's results as an Excel workbook (成绩, 各题得分, 知识点); managers get their subtree. */
export function exportExamResults(examId: string): Promise<DownloadedFile> {
  return apiDownload(`/api/v1/exams/${id(examId)}/results/export`, { timeoutMs: 120_000 });
}

/** Grades submitted attempts again against the current question versions (after a key was corrected). */
export function regradeExam(examId: string): Promise<RegradeResult> {
  return apiRequest(`/api/v1/exams/${id(examId)}/regrade`, { method: 'POST', schema: regradeResultSchema, timeoutMs: 120_000 });
}

/** A re-grade that runs in the background (many attempts). */
export function getRegrade(examId: string, jobId: string, signal?: AbortSignal): Promise<RegradeResult> {
  return apiRequest(`/api/v1/exams/${id(examId)}/regrade/${id(jobId)}`, { schema: regradeResultSchema, signal });
}

/** One attempt with every answer, grade and proctoring event. */
export function getAttemptDetail(examId: string, attemptId: string, signal?: AbortSignal): Promise<AttemptDetail> {
  return apiRequest(`/api/v1/exams/${id(examId)}/attempts/${id(attemptId)}`, { schema: attemptDetailSchema, signal });
}
