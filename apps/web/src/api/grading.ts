import { gradeResultSchema, gradingQueuePageSchema } from '@kpl/shared';
import { apiRequest } from './client';

/** The manual grading queue: short answers the AI could not grade confidently (or before it ran). */

type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;
export type GradingQueuePage = Parsed<typeof gradingQueuePageSchema>;
export type GradingQueueItem = GradingQueuePage['items'][number];
export type GradeResult = Parsed<typeof gradeResultSchema>;

const id = encodeURIComponent;

export function listGradingQueue(query: { page: number; pageSize: number; examId?: string }, signal?: AbortSignal): Promise<GradingQueuePage> {
  return apiRequest('/api/v1/grading/queue', { query: { ...query }, schema: gradingQueuePageSchema, signal });
}

/** Grades or overrides one answer (audited); the attempt's total and pass/fail follow. */
export function gradeAnswer(attemptId: string, questionId: string, input: { score: number; comment: string }): Promise<GradeResult> {
  return apiRequest(`/api/v1/attempts/${id(attemptId)}/grades/${id(questionId)}`, { method: 'PUT', body: input, schema: gradeResultSchema });
}
