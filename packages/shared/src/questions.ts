import { z } from 'zod';

/**
 * The question model shared by the bank, papers, attempts, AI generation and the web editor.
 * A question's content is immutable once stored: an edit makes a new version whose id is the
 * hash of its canonical content; attempts pin the versions they were given.
 */
export const QUESTION_TYPES = ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'] as const;
export const questionTypeSchema = z.enum(QUESTION_TYPES);
export type QuestionType = z.infer<typeof questionTypeSchema>;

export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export const optionKeySchema = z.enum(OPTION_KEYS);
export type OptionKey = z.infer<typeof optionKeySchema>;

/** Stems, options and explanations may hold rich text (HTML); the server sanitises it on write. */
const richText = z.string().trim().min(1).max(20_000);
const optionSchema = z.object({ key: optionKeySchema, text: richText });
export type QuestionOption = z.infer<typeof optionSchema>;

/** Where a question's key comes from: a span of a material chunk (kept from AI generation or set by hand). */
export const questionSourceSchema = z.object({
  materialId: z.string(),
  chunkId: z.string(),
  quote: z.string().min(1).max(2000),
  citation: z.string().max(500).optional(),
});
export type QuestionSource = z.infer<typeof questionSourceSchema>;

export const rubricPointSchema = z.object({
  point: z.string().trim().min(1).max(500),
  weight: z.number().positive().max(100),
  /** Words or phrases that show the point was made; alternatives separated as separate entries. */
  keywords: z.array(z.string().trim().min(1).max(100)).max(30).default([]),
});
export type RubricPoint = z.infer<typeof rubricPointSchema>;

export const blankSchema = z.object({ accepted: z.array(z.string().trim().min(1).max(200)).min(1).max(20) });

const common = {
  stem: richText,
  explanation: z.string().max(20_000).default(''),
  difficulty: z.number().int().min(1).max(5).default(3),
  /** Knowledge point names (matched to the course's knowledge points by name). */
  knowledgePoints: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  tags: z.array(z.string().trim().min(1).max(32)).max(20).default([]),
  source: questionSourceSchema.nullable().default(null),
};

const choiceOptions = z.array(optionSchema).min(2).max(8);

export const questionContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('single'), ...common, options: choiceOptions, correct: z.array(optionKeySchema).length(1) }),
  z.object({ type: z.literal('multiple'), ...common, options: choiceOptions, correct: z.array(optionKeySchema).min(1).max(8) }),
  z.object({ type: z.literal('true_false'), ...common, correct: z.boolean() }),
  z.object({
    type: z.literal('fill_blank'),
    ...common,
    blanks: z.array(blankSchema).min(1).max(20),
    /** When false, the learner's answers may fill the blanks in any order (e.g. "list three …"). */
    ordered: z.boolean().default(true),
  }),
  z.object({
    type: z.literal('short_answer'),
    ...common,
    referenceAnswer: z.string().trim().min(1).max(20_000),
    rubric: z.array(rubricPointSchema).min(1).max(20),
  }),
]);
export type QuestionContent = z.infer<typeof questionContentSchema>;
export type QuestionContentInput = z.input<typeof questionContentSchema>;

/**
 * A learner's answer, by type: single → 'A'; multiple → ['A','C']; true_false → true;
 * fill_blank → one string per blank; short_answer → text. `null` clears an answer.
 */
export const answerValueSchema = z.union([
  z.string().max(20_000),
  z.array(z.string().max(2_000)).max(20),
  z.boolean(),
  z.null(),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

/** The learner's view of a question: the content without keys, explanation or source. */
export const questionViewSchema = z.object({
  versionId: z.string(),
  type: questionTypeSchema,
  stem: z.string(),
  options: z.array(optionSchema).optional(),
  blankCount: z.number().int().optional(),
  points: z.number(),
});
export type QuestionView = z.infer<typeof questionViewSchema>;
