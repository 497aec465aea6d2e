import {
  candidatePageSchema,
  candidateSchema,
  generationJobPageSchema,
  generationJobSchema,
  reviewDecisionResultSchema,
  type Candidate,
  type CandidateStatus,
  type CreateGenerationJob,
  type GenerationJob,
  type GenerationJobStatus,
  type QuestionType,
  type ReviewDecision,
  type ReviewDecisionResult,
  type UpdateCandidate,
} from '@kpl/shared';
import { apiRequest } from './client';

/** AI question generation (console, ai.generate): jobs, and the review queue of their candidates. */

type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;
export type GenerationJobPage = Parsed<typeof generationJobPageSchema>;
export type CandidatePage = Parsed<typeof candidatePageSchema>;
export type { Candidate, GenerationJob, ReviewDecisionResult };

const id = encodeURIComponent;

/** Starts a background job: pick chunks → generate → validate → review queue. */
export function startGeneration(input: CreateGenerationJob): Promise<GenerationJob> {
  return apiRequest('/api/v1/ai/generation-jobs', { method: 'POST', body: input, schema: generationJobSchema });
}

export function getGenerationJob(jobId: string, signal?: AbortSignal): Promise<GenerationJob> {
  return apiRequest(`/api/v1/ai/generation-jobs/${id(jobId)}`, { schema: generationJobSchema, signal });
}

export function listGenerationJobs(query: { page: number; pageSize: number; status?: GenerationJobStatus }, signal?: AbortSignal): Promise<GenerationJobPage> {
  return apiRequest('/api/v1/ai/generation-jobs', { query: { ...query }, schema: generationJobPageSchema, signal });
}

export interface ReviewQueueFilters {
  jobId?: string;
  status?: CandidateStatus;
  type?: QuestionType;
}

export function listCandidates(query: ReviewQueueFilters & { page: number; pageSize: number }, signal?: AbortSignal): Promise<CandidatePage> {
  return apiRequest('/api/v1/ai/review-queue', { query: { ...query }, schema: candidatePageSchema, signal });
}

/** Edits a candidate before approval; it is validated again. */
export function updateCandidate(candidateId: string, input: UpdateCandidate): Promise<Candidate> {
  return apiRequest(`/api/v1/ai/review-queue/${id(candidateId)}`, { method: 'PATCH', body: input, schema: candidateSchema });
}

/** Approves (into the bank) or rejects candidates in bulk; ones already decided are skipped with a reason. */
export function decideCandidates(input: ReviewDecision): Promise<ReviewDecisionResult> {
  return apiRequest('/api/v1/ai/review-queue/decisions', { method: 'POST', body: input, schema: reviewDecisionResultSchema, timeoutMs: 60_000 });
}
