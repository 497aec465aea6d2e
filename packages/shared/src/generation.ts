import { z } from 'zod';
import { idSchema, paginationQuerySchema } from './common.js';
import { questionContentSchema, questionSourceSchema, questionTypeSchema } from './questions.js';

/**
 * AI question generation API: generation jobs, the candidates they produce with their validation
 * reports, and the review queue that turns approved candidates into bank questions.
 */

export const GENERATION_JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export const generationJobStatusSchema = z.enum(GENERATION_JOB_STATUSES);
export type GenerationJobStatus = z.infer<typeof generationJobStatusSchema>;

/** pending: awaiting review · invalid: rejected by validation (kept, with reasons) · approved · rejected (by a reviewer). */
export const CANDIDATE_STATUSES = ['pending', 'invalid', 'approved', 'rejected'] as const;
export const candidateStatusSchema = z.enum(CANDIDATE_STATUSES);
export type CandidateStatus = z.infer<typeof candidateStatusSchema>;

export const VALIDATION_RULES = ['schema', 'source', 'key-support', 'options', 'duplicate', 'longest-key'] as const;
export const validationRuleSchema = z.enum(VALIDATION_RULES);
export type ValidationRule = z.infer<typeof validationRuleSchema>;

export const MAX_GENERATION_COUNT = 100;

export const createGenerationJobSchema = z
  .object({
    courseId: idSchema.optional(),
    materialIds: z.array(idSchema).min(1).max(50).optional(),
    knowledgePointIds: z.array(idSchema).max(50).optional(),
    types: z.array(questionTypeSchema).min(1).max(5),
    count: z.number().int().min(1).max(MAX_GENERATION_COUNT),
    difficulty: z.number().int().min(1).max(5).optional(),
    bankId: idSchema,
  })
  .refine((v) => v.courseId !== undefined || v.materialIds !== undefined, { message: 'Give a courseId or materialIds', path: ['courseId'] });
export type CreateGenerationJob = z.infer<typeof createGenerationJobSchema>;

const share = z.number().min(0).max(1);

export const generationStatsSchema = z.object({
  /** Chunks the generator was given. */
  chunks: z.number().int(),
  candidates: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  passRate: share,
  duplicates: z.number().int(),
  duplicateRate: share,
  byType: z.record(z.string(), z.number().int()),
  /** Invalid candidates per failed rule (a candidate may fail several). */
  failures: z.record(z.string(), z.number().int()),
  /** Where the keys of the valid candidates are: option letters (single, multiple), true/false. */
  keyDistribution: z.object({
    single: z.record(z.string(), z.number().int()),
    multiple: z.record(z.string(), z.number().int()),
    trueFalse: z.object({ true: z.number().int(), false: z.number().int() }),
  }),
  keyBalanced: z.boolean(),
  /** Why the keys are not balanced (null when they are). */
  keyImbalance: z.string().nullable(),
  /** Share of single-choice questions whose key is the strictly longest option (null without single choice). */
  longestIsKeyRate: share.nullable(),
  longestIsKeyFlagged: z.boolean(),
});
export type GenerationStats = z.infer<typeof generationStatsSchema>;

export const generationJobSchema = z.object({
  id: z.string(),
  status: generationJobStatusSchema,
  progress: z.number().int(),
  courseId: z.string().nullable(),
  materialIds: z.array(z.string()),
  knowledgePointIds: z.array(z.string()),
  types: z.array(questionTypeSchema),
  count: z.number().int(),
  difficulty: z.number().int().nullable(),
  bankId: z.string(),
  createdBy: z.string(),
  error: z.string().nullable(),
  /** Candidates by review status (live). */
  counts: z.object({ total: z.number().int(), pending: z.number().int(), invalid: z.number().int(), approved: z.number().int(), rejected: z.number().int() }),
  /** Figures of the run (null until it completes). */
  stats: generationStatsSchema.nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type GenerationJob = z.infer<typeof generationJobSchema>;

export const generationJobListQuerySchema = paginationQuerySchema.extend({ status: generationJobStatusSchema.optional() });
export const generationJobPageSchema = z.object({ items: z.array(generationJobSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const candidateIssueSchema = z.object({ rule: validationRuleSchema, severity: z.enum(['error', 'warning']), message: z.string() });
export type CandidateIssue = z.infer<typeof candidateIssueSchema>;

export const validationReportSchema = z.object({
  valid: z.boolean(),
  issues: z.array(candidateIssueSchema),
  /** The most similar bank question or earlier candidate (character 3-gram Jaccard), when near-duplicate. */
  duplicateOf: z.object({ kind: z.enum(['bank', 'candidate']), id: z.string(), similarity: share }).nullable(),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;

export const candidateSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  bankId: z.string(),
  index: z.number().int(),
  type: questionTypeSchema.nullable(),
  status: candidateStatusSchema,
  /** The question (with its source); null when what the AI returned was not a valid question (see raw). */
  content: questionContentSchema.nullable(),
  /** What the AI returned, as JSON text, when it did not parse as a question. */
  raw: z.string().nullable(),
  source: questionSourceSchema.nullable(),
  validation: validationReportSchema,
  /** The bank question made from it, once approved. */
  questionId: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const reviewQueueQuerySchema = paginationQuerySchema.extend({
  jobId: idSchema.optional(),
  status: candidateStatusSchema.optional(),
  type: questionTypeSchema.optional(),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuerySchema>;
export const candidatePageSchema = z.object({ items: z.array(candidateSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** Edit before approval: the whole content (its source is kept; `quote` may correct the cited span). */
export const updateCandidateSchema = z.object({
  content: questionContentSchema,
  quote: z.string().trim().min(1).max(2000).optional(),
});
export type UpdateCandidate = z.infer<typeof updateCandidateSchema>;

export const reviewDecisionSchema = z.object({
  ids: z.array(idSchema).min(1).max(200),
  decision: z.enum(['approve', 'reject']),
  /** Where approved questions go (default: the job's bank). */
  bankId: idSchema.optional(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

export const reviewDecisionResultSchema = z.object({
  approved: z.array(z.object({ id: z.string(), questionId: z.string() })),
  rejected: z.array(z.string()),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type ReviewDecisionResult = z.infer<typeof reviewDecisionResultSchema>;
