import { z } from 'zod';
import { idSchema, paginationQuerySchema } from './common.js';
import { questionContentSchema, questionTypeSchema, type QuestionType } from './questions.js';

/** Question bank API (requests and responses) shared by the server and the web console. */

export const QUESTION_STATUSES = ['active', 'archived'] as const;
export const questionStatusSchema = z.enum(QUESTION_STATUSES);
export type QuestionStatus = z.infer<typeof questionStatusSchema>;

/** Suggested points when neither the request nor the import file gives 分值. */
export const DEFAULT_QUESTION_POINTS: Record<QuestionType, number> = { single: 2, multiple: 3, true_false: 1, fill_blank: 2, short_answer: 10 };

/** Points with at most two decimals (stored as DECIMAL(8,2)). */
export const pointsSchema = z
  .number()
  .min(0.01)
  .max(1000)
  .transform((v) => Math.round(v * 100) / 100);

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

// ---------------------------------------------------------------------------------------------
// Banks

export const questionBankSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  courseId: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  /** Active questions in the bank. */
  questionCount: z.number().int(),
  /** Whether the caller may add and edit questions here (the owner or an administrator). */
  canEdit: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type QuestionBank = z.infer<typeof questionBankSchema>;
export const questionBankPageSchema = page(questionBankSchema);

export const questionBankListQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  courseId: idSchema.optional(),
  ownerId: idSchema.optional(),
});
export type QuestionBankListQuery = z.infer<typeof questionBankListQuerySchema>;

export const createQuestionBankSchema = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(''),
  courseId: idSchema.nullable().default(null),
});
export type CreateQuestionBank = z.infer<typeof createQuestionBankSchema>;

export const updateQuestionBankSchema = z
  .object({ name: z.string().trim().min(1).max(100), description: z.string().trim().max(2000), courseId: idSchema.nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field');
export type UpdateQuestionBank = z.infer<typeof updateQuestionBankSchema>;

// ---------------------------------------------------------------------------------------------
// Questions

export const questionSummarySchema = z.object({
  id: z.string(),
  bankId: z.string(),
  bankName: z.string(),
  type: questionTypeSchema,
  status: questionStatusSchema,
  /** Sanitised HTML of the current stem. */
  stem: z.string(),
  difficulty: z.number().int(),
  knowledgePoints: z.array(z.string()),
  tags: z.array(z.string()),
  defaultPoints: z.number(),
  currentVersionId: z.string(),
  /** SHA-256 of the current version's canonical content. */
  hash: z.string(),
  canEdit: z.boolean(),
  createdBy: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type QuestionSummary = z.infer<typeof questionSummarySchema>;
export const questionPageSchema = page(questionSummarySchema);

export const questionVersionInfoSchema = z.object({
  id: z.string(),
  hash: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
});
export type QuestionVersionInfo = z.infer<typeof questionVersionInfoSchema>;

export const questionDetailSchema = questionSummarySchema.extend({
  content: questionContentSchema,
  /** Every version, oldest first. */
  versions: z.array(questionVersionInfoSchema),
});
export type QuestionDetail = z.infer<typeof questionDetailSchema>;

export const questionVersionSchema = questionVersionInfoSchema.extend({
  questionId: z.string(),
  content: questionContentSchema,
  current: z.boolean(),
});
export type QuestionVersion = z.infer<typeof questionVersionSchema>;

export const QUESTION_LIST_STATUSES = ['active', 'archived', 'all'] as const;
const difficulty = z.coerce.number().int().min(1).max(5);

export const questionListQuerySchema = paginationQuerySchema.extend({
  bankId: idSchema.optional(),
  type: questionTypeSchema.optional(),
  difficulty: difficulty.optional(),
  difficultyMin: difficulty.optional(),
  difficultyMax: difficulty.optional(),
  knowledgePoint: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(32).optional(),
  /** Text in the stem. */
  q: z.string().trim().max(100).optional(),
  /** Default: active questions only. */
  status: z.enum(QUESTION_LIST_STATUSES).default('active'),
});
export type QuestionListQuery = z.infer<typeof questionListQuerySchema>;

export const createQuestionSchema = z.object({
  bankId: idSchema,
  content: questionContentSchema,
  defaultPoints: pointsSchema.optional(),
});
export type CreateQuestion = z.input<typeof createQuestionSchema>;

export const updateQuestionSchema = z
  .object({ content: questionContentSchema, defaultPoints: pointsSchema, status: questionStatusSchema })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field');
export type UpdateQuestion = z.input<typeof updateQuestionSchema>;

export const questionVersionParamsSchema = z.object({ id: idSchema, versionId: idSchema });

// ---------------------------------------------------------------------------------------------
// Import and export

export const QUESTION_IMPORT_FORMATS = ['xlsx', 'gift', 'moodle-xml'] as const;
export const questionImportFormatSchema = z.enum(QUESTION_IMPORT_FORMATS);
export type QuestionImportFormat = z.infer<typeof questionImportFormatSchema>;
export const QUESTION_EXPORT_FORMATS = ['xlsx', 'gift'] as const;

export const QUESTION_IMPORT_MAX_ROWS = 5_000;
export const QUESTION_IMPORT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The Excel template's columns, in order; 题型, 题干 and 答案 are required in the header row. */
export const QUESTION_XLSX_COLUMNS = [
  '题型',
  '题干',
  '选项A',
  '选项B',
  '选项C',
  '选项D',
  '选项E',
  '选项F',
  '选项G',
  '选项H',
  '答案',
  '解析',
  '分值',
  '难度',
  '知识点',
  '标签',
  '评分要点',
  '填空顺序',
  '出处',
] as const;
export type QuestionXlsxColumn = (typeof QUESTION_XLSX_COLUMNS)[number];

export const QUESTION_TYPE_LABELS_ZH: Record<QuestionType, string> = { single: '单选', multiple: '多选', true_false: '判断', fill_blank: '填空', short_answer: '简答' };

export const questionImportQuerySchema = z.object({
  format: questionImportFormatSchema,
  bankId: idSchema,
  /** Validate only (default): report what a commit would do, write nothing. */
  dryRun: flag('true'),
});
export type QuestionImportQuery = z.infer<typeof questionImportQuerySchema>;

/** Where a problem is: an Excel row (header = row 1) or a question's 1-based index in a GIFT / XML file. */
const locationShape = {
  row: z.number().int().optional(),
  index: z.number().int().optional(),
  /** The question's name in the file (GIFT ::title::, Moodle <name>), when it has one. */
  name: z.string().optional(),
};

export const questionImportErrorSchema = z.object({ ...locationShape, column: z.string().optional(), message: z.string() });
export type QuestionImportError = z.infer<typeof questionImportErrorSchema>;

export const questionImportDuplicateSchema = z.object({
  ...locationShape,
  /** Set when the same content is already in the bank. */
  existingQuestionId: z.string().optional(),
  /** Set when the same content appears earlier in this file (that question's row or index). */
  sameAs: z.object(locationShape).optional(),
});

export const questionImportPreviewSchema = z.object({
  ...locationShape,
  hash: z.string(),
  content: questionContentSchema,
  defaultPoints: z.number(),
  duplicate: z.boolean(),
});

export const questionImportSummarySchema = z.object({
  /** Questions (or data rows) found in the file. */
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Valid questions skipped because the bank (or the file, earlier) already has the same content. */
  duplicates: z.number().int(),
  /** Questions created — in a dry run, the questions a commit would create. */
  created: z.number().int(),
});
export type QuestionImportSummary = z.infer<typeof questionImportSummarySchema>;

export const questionImportResultSchema = z.object({
  dryRun: z.boolean(),
  format: questionImportFormatSchema,
  summary: questionImportSummarySchema,
  errors: z.array(questionImportErrorSchema),
  /** Things kept differently from the file (e.g. answer feedback that the bank has no place for). */
  warnings: z.array(questionImportErrorSchema),
  duplicates: z.array(questionImportDuplicateSchema),
  /** The first questions as they would be stored (at most 100). */
  preview: z.array(questionImportPreviewSchema),
});
export type QuestionImportResult = z.infer<typeof questionImportResultSchema>;

/** `details` of the 422 ERR-QUESTION-0003 answer (nothing was written). */
export const questionImportFailureDetailsSchema = z.object({
  summary: questionImportSummarySchema,
  errors: z.array(questionImportErrorSchema),
  /** Errors left out of `errors` (it holds at most the first 1,000). */
  errorsOmitted: z.number().int(),
});
export type QuestionImportFailureDetails = z.infer<typeof questionImportFailureDetailsSchema>;

export const questionExportQuerySchema = z.object({
  format: z.enum(QUESTION_EXPORT_FORMATS),
  bankId: idSchema,
  /** Default: active questions only. */
  status: z.enum(QUESTION_LIST_STATUSES).default('active'),
});
export type QuestionExportQuery = z.infer<typeof questionExportQuerySchema>;
