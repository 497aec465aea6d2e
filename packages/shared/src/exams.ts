import { z } from 'zod';
import { idSchema, paginationQuerySchema } from './common.js';
import { answerValueSchema, optionKeySchema, questionTypeSchema, questionViewSchema, rubricPointSchema } from './questions.js';

/**
 * Papers, exams, attempts and results: API schemas shared by server and web.
 * Times are epoch milliseconds (UTC); scores have at most two decimals.
 */

export const EXAM_STATUSES = ['draft', 'published', 'closed'] as const;
export const examStatusSchema = z.enum(EXAM_STATUSES);
export type ExamStatus = z.infer<typeof examStatusSchema>;

export const ATTEMPT_STATUSES = ['in_progress', 'submitted'] as const;
export const attemptStatusSchema = z.enum(ATTEMPT_STATUSES);
export type AttemptStatus = z.infer<typeof attemptStatusSchema>;

/** Why an attempt ended: the learner submitted, time ran out (sweep), or the instructor closed the exam. */
export const SUBMIT_REASONS = ['manual', 'timeout', 'closed'] as const;
export const submitReasonSchema = z.enum(SUBMIT_REASONS);
export type SubmitReason = z.infer<typeof submitReasonSchema>;

/** When the key and explanations are revealed to learners. */
export const SHOW_ANSWERS = ['never', 'after_submit', 'after_close'] as const;
export const showAnswersSchema = z.enum(SHOW_ANSWERS);

export const MULTIPLE_POLICIES = ['all_or_nothing', 'partial'] as const;
export const multiplePolicySchema = z.enum(MULTIPLE_POLICIES);

export const PROCTOR_EVENT_KINDS = ['tab_hidden', 'fullscreen_exit', 'paste', 'copy', 'blur'] as const;
export const proctorEventKindSchema = z.enum(PROCTOR_EVENT_KINDS);

/** graded: final; pending: waiting for the AI grader; manual: waiting in the instructors' queue. */
export const GRADE_STATUSES = ['graded', 'pending', 'manual'] as const;
export const gradeStatusSchema = z.enum(GRADE_STATUSES);
export type GradeStatus = z.infer<typeof gradeStatusSchema>;
export const GRADERS = ['auto', 'ai', 'user'] as const;
export const graderSchema = z.enum(GRADERS);

/** Points: positive, at most 1000, at most two decimals. */
const hundredths = (v: number) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6;
const examPointsSchema = z.number().positive().max(1000).refine(hundredths, 'at most two decimals');
const scoreSchema = z.number().min(0).max(1000).refine(hundredths, 'at most two decimals');
const timestamp = z.number().int().min(0).max(8_640_000_000_000);
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

// ---------------------------------------------------------------- papers

export const paperItemSchema = z.object({
  questionId: idSchema,
  /** Omitted: the question's default points (fixed when the paper is saved). */
  points: examPointsSchema.optional(),
});

export const paperRuleSchema = z
  .object({
    bankIds: z.array(idSchema).max(50).default([]),
    knowledgePoints: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    types: z.array(questionTypeSchema).max(5).default([]),
    difficultyMin: z.number().int().min(1).max(5).optional(),
    difficultyMax: z.number().int().min(1).max(5).optional(),
    count: z.number().int().min(1).max(500),
    pointsEach: examPointsSchema,
  })
  .refine((r) => r.difficultyMin === undefined || r.difficultyMax === undefined || r.difficultyMin <= r.difficultyMax, {
    message: 'difficultyMin must not exceed difficultyMax',
    path: ['difficultyMax'],
  });
export type PaperRule = z.infer<typeof paperRuleSchema>;
export type PaperRuleInput = z.input<typeof paperRuleSchema>;

const paperItems = z
  .array(paperItemSchema)
  .min(1)
  .max(500)
  .refine((items) => new Set(items.map((i) => i.questionId)).size === items.length, 'a question appears twice');
const paperRules = z.array(paperRuleSchema).min(1).max(20);
const paperTitle = z.string().trim().min(1).max(200);
const paperDescription = z.string().max(5000);

export const createPaperSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fixed'), title: paperTitle, description: paperDescription.default(''), items: paperItems }),
  z.object({ mode: z.literal('random'), title: paperTitle, description: paperDescription.default(''), rules: paperRules }),
]);
export type CreatePaperInput = z.input<typeof createPaperSchema>;

/** Giving `items` makes the paper fixed, giving `rules` makes it random. */
export const updatePaperSchema = z
  .object({ title: paperTitle, description: paperDescription, items: paperItems, rules: paperRules })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field')
  .refine((v) => !(v.items && v.rules), 'Give either items (fixed paper) or rules (random paper), not both');

export const paperCheckRequestSchema = z.object({ rules: paperRules });

export const ruleAvailabilitySchema = z.object({
  index: z.number().int(),
  requested: z.number().int(),
  /** Questions matching the rule on its own. */
  matching: z.number().int(),
  /** Questions the rule can get once earlier rules took theirs (a question is used once per paper). */
  available: z.number().int(),
  ok: z.boolean(),
});
export const paperCheckSchema = z.object({
  ok: z.boolean(),
  questionCount: z.number().int(),
  totalPoints: z.number(),
  rules: z.array(ruleAvailabilitySchema),
});
export type PaperCheck = z.infer<typeof paperCheckSchema>;

export const paperSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  mode: z.enum(['fixed', 'random']),
  items: z.array(z.object({ questionId: z.string(), points: z.number() })).nullable(),
  rules: z.array(paperRuleSchema).nullable(),
  questionCount: z.number().int(),
  totalPoints: z.number(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  /** Exams using this paper already have attempts: the paper can no longer change. */
  locked: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Paper = z.infer<typeof paperSchema>;

export const paperDetailSchema = paperSchema.extend({
  /** Fixed papers: the current version of each question, in paper order. */
  preview: z
    .array(z.object({ questionId: z.string(), versionId: z.string(), type: questionTypeSchema, stem: z.string(), difficulty: z.number().int(), points: z.number() }))
    .nullable(),
});

export const paperListQuerySchema = paginationQuerySchema.extend({ q: z.string().trim().max(100).optional() });
export const paperPageSchema = pageOf(paperSchema);

// ---------------------------------------------------------------- exams

export const examSettingsSchema = z.object({
  showAnswers: showAnswersSchema.default('after_close'),
  /** Learners may see their per-question breakdown (their answers, right or wrong, points). */
  reviewAllowed: z.boolean().default(true),
  shuffleQuestions: z.boolean().default(false),
  shuffleOptions: z.boolean().default(false),
  multiplePolicy: multiplePolicySchema.default('all_or_nothing'),
});
export type ExamSettings = z.infer<typeof examSettingsSchema>;

export const examAudienceSchema = z.object({
  /** Whole subtrees: everyone in the department or below it. */
  departmentIds: z.array(idSchema).max(200).default([]),
  userIds: z.array(idSchema).max(5000).default([]),
});
export type ExamAudience = z.infer<typeof examAudienceSchema>;

const examFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  paperId: idSchema,
  opensAt: timestamp,
  closesAt: timestamp,
  durationMinutes: z.number().int().min(1).max(1440),
  attemptsAllowed: z.number().int().min(1).max(20),
  passMark: z.number().min(0).max(100),
};

export const createExamSchema = z
  .object({
    ...examFields,
    description: examFields.description.default(''),
    attemptsAllowed: examFields.attemptsAllowed.default(1),
    passMark: examFields.passMark.default(60),
    audience: examAudienceSchema.default({ departmentIds: [], userIds: [] }),
    settings: examSettingsSchema.default({ showAnswers: 'after_close', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' }),
  })
  .refine((e) => e.closesAt > e.opensAt, { message: 'closesAt must be after opensAt', path: ['closesAt'] });
export type CreateExamInput = z.input<typeof createExamSchema>;

export const updateExamSchema = z
  .object({
    ...examFields,
    audience: z.object({ departmentIds: z.array(idSchema).max(200), userIds: z.array(idSchema).max(5000) }),
    settings: z.object({
      showAnswers: showAnswersSchema,
      reviewAllowed: z.boolean(),
      shuffleQuestions: z.boolean(),
      shuffleOptions: z.boolean(),
      multiplePolicy: multiplePolicySchema,
    }).partial(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field')
  .refine((e) => e.opensAt === undefined || e.closesAt === undefined || e.closesAt > e.opensAt, { message: 'closesAt must be after opensAt', path: ['closesAt'] });

export const examSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  paperId: z.string(),
  paperTitle: z.string().nullable(),
  status: examStatusSchema,
  opensAt: z.number(),
  closesAt: z.number(),
  durationMinutes: z.number().int(),
  attemptsAllowed: z.number().int(),
  passMark: z.number(),
  audience: z.object({ departmentIds: z.array(z.string()), userIds: z.array(z.string()) }),
  settings: z.object({ showAnswers: showAnswersSchema, reviewAllowed: z.boolean(), shuffleQuestions: z.boolean(), shuffleOptions: z.boolean(), multiplePolicy: multiplePolicySchema }),
  questionCount: z.number().int(),
  totalPoints: z.number(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  publishedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Exam = z.infer<typeof examSchema>;

export const examListQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  status: examStatusSchema.optional(),
});
export const examPageSchema = pageOf(examSchema);

/** A learner's exam list entry. */
export const myExamSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  opensAt: z.number(),
  closesAt: z.number(),
  durationMinutes: z.number().int(),
  attemptsAllowed: z.number().int(),
  attemptsUsed: z.number().int(),
  passMark: z.number(),
  questionCount: z.number().int(),
  totalPoints: z.number(),
  runningAttemptId: z.string().nullable(),
  /** Best over submitted attempts; null before the first submit. */
  bestScore: z.number().nullable(),
  bestPercent: z.number().nullable(),
  passed: z.boolean().nullable(),
});
export type MyExam = z.infer<typeof myExamSchema>;
export const myExamsSchema = z.object({
  /** Window not open yet. */
  upcoming: z.array(myExamSchema),
  /** Open now, attempts left, none running. */
  available: z.array(myExamSchema),
  /** An attempt is running. */
  inProgress: z.array(myExamSchema),
  /** No attempt left, or the window / exam closed. */
  done: z.array(myExamSchema),
});

// ---------------------------------------------------------------- attempts

export const attemptQuestionSchema = questionViewSchema.extend({ questionId: z.string(), position: z.number().int() });
export type AttemptQuestion = z.infer<typeof attemptQuestionSchema>;

export const savedAnswerSchema = z.object({
  questionId: z.string(),
  answer: answerValueSchema,
  seq: z.number().int(),
  flagged: z.boolean(),
  savedAt: z.number().nullable(),
});
export type SavedAnswer = z.infer<typeof savedAnswerSchema>;

/** Everything needed to take (or resume) an attempt on any device. */
export const attemptSchema = z.object({
  id: z.string(),
  examId: z.string(),
  examTitle: z.string(),
  attemptNo: z.number().int(),
  status: attemptStatusSchema,
  startedAt: z.number(),
  deadline: z.number(),
  /** The server clock when the response was made: the client derives its countdown from it. */
  serverTime: z.number(),
  remainingMs: z.number().int(),
  /** Saves are still accepted this long after the deadline (network lag). */
  graceMs: z.number().int(),
  submittedAt: z.number().nullable(),
  submitReason: submitReasonSchema.nullable(),
  questions: z.array(attemptQuestionSchema),
  /** One entry per question; seq 0 means never saved. */
  answers: z.array(savedAnswerSchema),
});
export type AttemptView = z.infer<typeof attemptSchema>;

export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
export const saveAnswerSchema = z.object({
  answer: answerValueSchema,
  /** The client's save counter: the server keeps the answer with the highest seq. */
  seq: z.number().int().min(1).max(MAX_SEQ),
  flagged: z.boolean().optional(),
});
export const saveAnswerResultSchema = z.object({
  /** The seq now stored (higher than the one sent when this save arrived late). */
  seq: z.number().int(),
  savedAt: z.number().nullable(),
  /** True when a newer save was already stored: this one changed nothing. */
  stale: z.boolean(),
});

export const proctorEventsSchema = z.object({
  events: z
    .array(z.object({ kind: proctorEventKindSchema, at: timestamp, detail: z.string().max(500).optional() }))
    .min(1)
    .max(50),
});
export const proctorEventsResultSchema = z.object({ recorded: z.number().int(), total: z.number().int(), capped: z.boolean() });
export const proctorEventSchema = z.object({ kind: proctorEventKindSchema, at: z.number(), detail: z.string().nullable() });

// ---------------------------------------------------------------- results

export const scoreBucketSchema = z.object({
  score: z.number(),
  maxScore: z.number(),
  percent: z.number(),
  questions: z.number().int(),
  correct: z.number().int(),
  pending: z.number().int(),
});

export const questionKeySchema = z.object({
  correctOptions: z.array(optionKeySchema).optional(),
  correctValue: z.boolean().optional(),
  blanks: z.array(z.array(z.string())).optional(),
  ordered: z.boolean().optional(),
  referenceAnswer: z.string().optional(),
  rubric: z.array(rubricPointSchema).optional(),
});

/** What the AI grader said about a short answer (kept for the instructor's review). */
export const aiAssessmentSchema = z.object({
  score: z.number(),
  confidence: z.number(),
  explanation: z.string(),
  points: z.array(z.object({ index: z.number().int(), awarded: z.number(), max: z.number(), found: z.array(z.string()), missed: z.array(z.string()), comment: z.string() })),
});
export type AiAssessment = z.infer<typeof aiAssessmentSchema>;

export const questionResultSchema = z.object({
  questionId: z.string(),
  versionId: z.string(),
  position: z.number().int(),
  type: questionTypeSchema,
  stem: z.string(),
  options: z.array(z.object({ key: optionKeySchema, text: z.string() })).optional(),
  blankCount: z.number().int().optional(),
  knowledgePoints: z.array(z.string()),
  answer: answerValueSchema,
  score: z.number(),
  maxScore: z.number(),
  status: gradeStatusSchema,
  grader: graderSchema.nullable(),
  /** Full marks; null while waiting for grading. */
  correct: z.boolean().nullable(),
  comment: z.string().nullable(),
  /** Per-blank / per-choice detail of objective grading. */
  detail: z.record(z.string(), z.unknown()).nullable(),
  ai: aiAssessmentSchema.nullable(),
  /** Only when answers are shown. */
  key: questionKeySchema.nullable(),
  explanation: z.string().nullable(),
});
export type QuestionResult = z.infer<typeof questionResultSchema>;

export const attemptResultSchema = z.object({
  attemptId: z.string(),
  examId: z.string(),
  examTitle: z.string(),
  userId: z.string(),
  attemptNo: z.number().int(),
  status: attemptStatusSchema,
  submittedAt: z.number().nullable(),
  submitReason: submitReasonSchema.nullable(),
  score: z.number(),
  maxScore: z.number(),
  percent: z.number(),
  passMark: z.number(),
  /** Null while a question still waits for grading. */
  passed: z.boolean().nullable(),
  pendingCount: z.number().int(),
  byType: z.array(scoreBucketSchema.extend({ type: questionTypeSchema })),
  byKnowledgePoint: z.array(scoreBucketSchema.extend({ knowledgePoint: z.string() })),
  /** Per-question breakdown shown (exam allows review). */
  reviewVisible: z.boolean(),
  /** Keys and explanations shown (the exam's showAnswers moment has come). */
  answersVisible: z.boolean(),
  questions: z.array(questionResultSchema).nullable(),
});
export type AttemptResult = z.infer<typeof attemptResultSchema>;

// ---------------------------------------------------------------- grading and instructor views

export const gradeInputSchema = z.object({ score: scoreSchema, comment: z.string().trim().max(2000).default('') });

export const gradingQueueQuerySchema = paginationQuerySchema.extend({ examId: idSchema.optional() });
export const gradingQueueItemSchema = z.object({
  attemptId: z.string(),
  examId: z.string(),
  examTitle: z.string(),
  userId: z.string(),
  displayName: z.string(),
  questionId: z.string(),
  position: z.number().int(),
  stem: z.string(),
  referenceAnswer: z.string(),
  rubric: z.array(rubricPointSchema),
  answer: answerValueSchema,
  maxScore: z.number(),
  status: z.enum(['pending', 'manual']),
  ai: aiAssessmentSchema.nullable(),
  submittedAt: z.number().nullable(),
});
export const gradingQueuePageSchema = pageOf(gradingQueueItemSchema);

export const gradeResultSchema = z.object({
  questionId: z.string(),
  score: z.number(),
  maxScore: z.number(),
  status: gradeStatusSchema,
  grader: graderSchema.nullable(),
  comment: z.string().nullable(),
  attempt: z.object({ score: z.number(), maxScore: z.number(), percent: z.number(), passed: z.boolean().nullable(), pendingCount: z.number().int() }),
});

export const examAttemptsQuerySchema = paginationQuerySchema.extend({
  status: attemptStatusSchema.optional(),
  departmentId: idSchema.optional(),
  passed: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(100).optional(),
});
export const examAttemptRowSchema = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  departmentId: z.string().nullable(),
  departmentPath: z.string().nullable(),
  attemptNo: z.number().int(),
  status: attemptStatusSchema,
  startedAt: z.number(),
  deadline: z.number(),
  submittedAt: z.number().nullable(),
  submitReason: submitReasonSchema.nullable(),
  score: z.number().nullable(),
  maxScore: z.number(),
  passed: z.boolean().nullable(),
  pendingCount: z.number().int(),
  eventCount: z.number().int(),
});
export const examAttemptPageSchema = pageOf(examAttemptRowSchema);

export const liveTakerSchema = z.object({
  attemptId: z.string(),
  userId: z.string(),
  displayName: z.string(),
  departmentPath: z.string().nullable(),
  startedAt: z.number(),
  deadline: z.number(),
  answeredCount: z.number().int(),
  questionCount: z.number().int(),
  lastSavedAt: z.number().nullable(),
  remainingMs: z.number().int(),
  eventCount: z.number().int(),
});
export const liveViewSchema = z.object({ serverTime: z.number(), takers: z.array(liveTakerSchema) });

/** An attempt as its instructor sees it: everything, including the proctoring log. */
export const attemptDetailSchema = attemptResultSchema.extend({
  displayName: z.string(),
  departmentPath: z.string().nullable(),
  startedAt: z.number(),
  deadline: z.number(),
  events: z.array(proctorEventSchema),
});

// ---------------------------------------------------------------- re-grading after a key was corrected

/** What one re-grade run did (POST /exams/:id/regrade, or its background job). */
export const regradeCountsSchema = z.object({
  /** Submitted attempts looked at. */
  attempts: z.number().int(),
  /** Attempts still in progress: graded at submit against the version they were given — re-grade again once they are in. */
  running: z.number().int(),
  /** Attempts with at least one question re-graded against a newer version. */
  attemptsRegraded: z.number().int(),
  /** Of those, attempts whose total score changed. */
  scoresChanged: z.number().int(),
  /** Of those, attempts whose pass/fail changed. */
  passChanged: z.number().int(),
  /** Question grades moved to the current version (objective ones re-graded at once). */
  questionsRegraded: z.number().int(),
  /** Short answers of a changed question sent back to the AI / manual grading queue. */
  sentToGrading: z.number().int(),
  /** Grades given by a person, left as they were. */
  keptOverrides: z.number().int(),
  /** Changes the stored answer cannot be graded against (type, option keys or blank count changed). */
  incompatible: z.number().int(),
});
export type RegradeCounts = z.infer<typeof regradeCountsSchema>;

export const regradeResultSchema = z.object({
  /** `done`: ran now, counts below; `queued`/`running`: a background job (many attempts), poll it; `failed`: the job gave up. */
  status: z.enum(['done', 'queued', 'running', 'failed']),
  jobId: z.string().nullable(),
  counts: regradeCountsSchema.nullable(),
  error: z.string().nullable(),
});
export type RegradeResult = z.infer<typeof regradeResultSchema>;
