import {
  attemptResultSchema,
  attemptSchema,
  myExamsSchema,
  proctorEventsResultSchema,
  saveAnswerResultSchema,
  type AnswerValue,
  type AttemptResult,
  type AttemptView,
  type MyExam,
  type PROCTOR_EVENT_KINDS,
} from '@kpl/shared';
import { apiRequest } from './client';

/** The learner's side of exams: my exams, taking an attempt, results. */

/** What a schema's `parse` returns (the web app has no direct zod dependency). */
type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;

export type MyExams = Parsed<typeof myExamsSchema>;
export type { AttemptResult, AttemptView, MyExam };
export type AttemptQuestion = AttemptView['questions'][number];
export type SaveAnswerResult = Parsed<typeof saveAnswerResultSchema>;
export type QuestionResult = NonNullable<AttemptResult['questions']>[number];
export type ProctorEventKind = (typeof PROCTOR_EVENT_KINDS)[number];

const id = encodeURIComponent;

/** Upcoming, available, in progress and done, each with the best score so far. */
export function listMyExams(signal?: AbortSignal): Promise<MyExams> {
  return apiRequest('/api/v1/me/exams', { schema: myExamsSchema, signal });
}

/** Starts an attempt, or returns the one already running (idempotent). */
export function startAttempt(examId: string): Promise<AttemptView> {
  return apiRequest(`/api/v1/exams/${id(examId)}/attempts`, { method: 'POST', schema: attemptSchema });
}

/** Everything to resume: questions, saved answers with their seq, the server time and deadline. */
export function getAttempt(attemptId: string, signal?: AbortSignal): Promise<AttemptView> {
  return apiRequest(`/api/v1/attempts/${id(attemptId)}`, { schema: attemptSchema, signal });
}

export interface SaveAnswerInput {
  answer: AnswerValue;
  seq: number;
  flagged?: boolean;
}

/**
 * Durable on the server before it answers. 409 ERR-EXAM-0006 after the deadline and its grace,
 * 409 ERR-EXAM-0007 once submitted; a save with a lower seq than the stored one answers `stale`.
 */
export function saveAnswer(attemptId: string, questionId: string, input: SaveAnswerInput): Promise<SaveAnswerResult> {
  return apiRequest(`/api/v1/attempts/${id(attemptId)}/answers/${id(questionId)}`, {
    method: 'PUT',
    body: input,
    schema: saveAnswerResultSchema,
    timeoutMs: 15_000,
  });
}

/** Idempotent: a second submit answers the same result. */
export function submitAttempt(attemptId: string): Promise<AttemptResult> {
  return apiRequest(`/api/v1/attempts/${id(attemptId)}/submit`, { method: 'POST', schema: attemptResultSchema, timeoutMs: 30_000 });
}

export interface ProctorEventInput {
  kind: ProctorEventKind;
  at: number;
  detail?: string;
}

/** At most 50 events per call. `keepalive` lets the last batch survive the page closing. */
export async function sendProctorEvents(attemptId: string, events: ProctorEventInput[], options: { keepalive?: boolean } = {}): Promise<void> {
  await apiRequest(`/api/v1/attempts/${id(attemptId)}/events`, {
    method: 'POST',
    body: { events },
    schema: proctorEventsResultSchema,
    keepalive: options.keepalive,
  });
}

/** 403 ERR-EXAM-0010 when the exam does not show results (yet). */
export function getAttemptResult(attemptId: string, signal?: AbortSignal): Promise<AttemptResult> {
  return apiRequest(`/api/v1/attempts/${id(attemptId)}/result`, { schema: attemptResultSchema, signal });
}
