import { z } from 'zod';
import { idSchema, paginationQuerySchema } from './common.js';
import { questionKeySchema } from './exams.js';
import { answerValueSchema, optionKeySchema, questionTypeSchema, questionViewSchema } from './questions.js';

/**
 * The wrong-answer book (错题本): questions a learner got wrong in exams, asked again in practice
 * mode until answered right twice in a row. Only objective types are kept (see the server module).
 */

export const WRONG_ANSWER_STATUSES = ['active', 'cleared'] as const;
export const wrongAnswerStatusSchema = z.enum(WRONG_ANSWER_STATUSES);
export type WrongAnswerStatus = z.infer<typeof wrongAnswerStatusSchema>;

/** Right answers in a row (exam or practice) that take an entry out of the book. */
export const WRONG_ANSWER_CLEAR_STREAK = 2;

/** What grading an attempt tells the book: one item per question; `correct` null = not graded yet. */
export const attemptOutcomeSchema = z.object({
  userId: idSchema,
  attemptId: idSchema,
  examId: idSchema,
  /** Optional: shown beside the entry ("wrong in 《…》"); saves a cross-module read on every list. */
  examTitle: z.string().max(200).nullable().optional(),
  /** When the attempt was graded (epoch ms); defaults to the time of recording. */
  at: z.number().int().min(0).optional(),
  items: z
    .array(z.object({ questionId: idSchema, versionId: z.string().min(1).max(64), correct: z.boolean().nullable() }))
    .max(1000),
});
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

export const wrongAnswerListQuerySchema = paginationQuerySchema.extend({
  knowledgePoint: z.string().trim().min(1).max(100).optional(),
});
export type WrongAnswerListQuery = z.infer<typeof wrongAnswerListQuerySchema>;

export const wrongAnswerEntrySchema = z.object({
  id: z.string(),
  questionId: z.string(),
  /** The learner's view of the version answered wrongly: no key, no explanation. */
  question: questionViewSchema,
  knowledgePoints: z.array(z.string()),
  status: wrongAnswerStatusSchema,
  wrongCount: z.number().int(),
  /** Right answers in a row since the last wrong one. */
  streak: z.number().int(),
  lastWrongAt: z.number(),
  examId: z.string().nullable(),
  examTitle: z.string().nullable(),
  createdAt: z.number(),
});
export type WrongAnswerEntry = z.infer<typeof wrongAnswerEntrySchema>;

export const wrongAnswerPageSchema = z.object({
  items: z.array(wrongAnswerEntrySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const wrongAnswerSummarySchema = z.object({
  active: z.number().int(),
  /** Active entries per knowledge point, most first: the list's filter choices. */
  byKnowledgePoint: z.array(z.object({ knowledgePoint: z.string(), count: z.number().int() })),
});
export type WrongAnswerSummary = z.infer<typeof wrongAnswerSummarySchema>;

export const practiceAnswerSchema = z.object({ answer: answerValueSchema });

export const practiceResultSchema = z.object({
  correct: z.boolean(),
  score: z.number(),
  maxScore: z.number(),
  /** Per-blank / per-choice detail of the grading. */
  detail: z.record(z.string(), z.unknown()),
  review: z.object({
    type: questionTypeSchema,
    stem: z.string(),
    options: z.array(z.object({ key: optionKeySchema, text: z.string() })).optional(),
    blankCount: z.number().int().optional(),
    answer: answerValueSchema,
    key: questionKeySchema,
    explanation: z.string(),
    knowledgePoints: z.array(z.string()),
  }),
  streak: z.number().int(),
  status: wrongAnswerStatusSchema,
  /** True when this answer took the entry out of the book. */
  cleared: z.boolean(),
});
export type PracticeResult = z.infer<typeof practiceResultSchema>;
