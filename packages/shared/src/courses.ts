import { z } from 'zod';
import { idSchema, paginationQuerySchema } from './common.js';

export const courseStatusSchema = z.enum(['draft', 'published', 'archived']);
export const materialStatusSchema = z.enum(['processing', 'ready', 'failed']);
export const materialKindSchema = z.enum(['pdf', 'docx', 'markdown', 'text']);

export const courseSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  cover: z.string().nullable(),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  status: courseStatusSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Course = z.infer<typeof courseSchema>;

export const coursePageSchema = z.object({ items: z.array(courseSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const courseListQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  status: courseStatusSchema.optional(),
  category: z.string().trim().max(64).optional(),
});

const tags = z.array(z.string().trim().min(1).max(32)).max(20);
const cover = z.url().max(500).refine((u) => /^https?:\/\//.test(u) || u.startsWith('/'), 'must be an http(s) URL');

export const createCourseSchema = z.object({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  cover: cover.nullable().optional(),
  category: z.string().trim().max(64).nullable().optional(),
  tags: tags.default([]),
});

export const updateCourseSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000),
    cover: cover.nullable(),
    category: z.string().trim().max(64).nullable(),
    tags,
    status: courseStatusSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field');

export const materialSchema = z.object({
  id: z.string(),
  courseId: z.string(),
  chapterId: z.string().nullable(),
  title: z.string(),
  filename: z.string(),
  kind: materialKindSchema,
  sizeBytes: z.number(),
  status: materialStatusSchema,
  progress: z.number().int(),
  error: z.string().nullable(),
  pages: z.number().nullable(),
  chunkCount: z.number().int(),
  createdAt: z.number(),
});
export type Material = z.infer<typeof materialSchema>;

export const chapterSchema = z.object({
  id: z.string(),
  courseId: z.string(),
  title: z.string(),
  sortOrder: z.number().int(),
  materials: z.array(materialSchema),
});

export const courseDetailSchema = courseSchema.extend({ chapters: z.array(chapterSchema), looseMaterials: z.array(materialSchema) });

export const createChapterSchema = z.object({ title: z.string().trim().min(1).max(200), sortOrder: z.number().int().min(0).max(100000).optional() });
export const updateChapterSchema = createChapterSchema.partial().refine((v) => Object.keys(v).length > 0, 'Change at least one field');

export const outlineEntrySchema = z.object({ level: z.number().int(), title: z.string(), start: z.number().int() });
export const materialTextSchema = z.object({ id: z.string(), title: z.string(), text: z.string(), outline: z.array(outlineEntrySchema) });

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'Enter something to search for').max(200),
  courseId: idSchema.optional(),
  knowledgePointId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export const searchHitSchema = z.object({
  chunkId: z.string(),
  materialId: z.string(),
  materialTitle: z.string(),
  courseId: z.string(),
  text: z.string(),
  /** HTML: matched terms in <mark>, everything else escaped. */
  highlight: z.string(),
  location: z.string(),
  score: z.number(),
});
export const searchResultSchema = z.object({ hits: z.array(searchHitSchema) });

export const knowledgePointSchema = z.object({
  id: z.string(),
  courseId: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  status: z.enum(['suggested', 'confirmed']),
  weight: z.number(),
  chunkCount: z.number().int(),
});
export const createKnowledgePointSchema = z.object({ name: z.string().trim().min(1).max(100), parentId: idSchema.nullable().optional() });
export const updateKnowledgePointSchema = z
  .object({ name: z.string().trim().min(1).max(100), parentId: idSchema.nullable(), status: z.enum(['suggested', 'confirmed']) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one field');

export const createAssignmentSchema = z
  .object({
    departmentIds: z.array(idSchema).max(500).default([]),
    userIds: z.array(idSchema).max(5000).default([]),
    dueAt: z.number().int().positive().nullable().default(null),
    required: z.boolean().default(true),
  })
  .refine((v) => v.departmentIds.length + v.userIds.length > 0, 'Choose at least one department or user');
export const assignmentResultSchema = z.object({ assignmentIds: z.array(z.string()), enrolled: z.number().int(), alreadyEnrolled: z.number().int() });

export const progressReportSchema = z.object({
  secondsSpent: z.number().int().min(0).max(300),
  /** The reader reached the end of the material. */
  reachedEnd: z.boolean().default(false),
});

export const progressResultSchema = z.object({
  /** False when the caller is not enrolled (an instructor previewing) or the material is not ready. */
  tracked: z.boolean(),
  materialCompleted: z.boolean(),
  courseCompleted: z.boolean(),
  secondsSpent: z.number(),
});

export const myCourseSchema = courseSchema.extend({
  dueAt: z.number().nullable(),
  required: z.boolean(),
  overdue: z.boolean(),
  materialsTotal: z.number().int(),
  materialsCompleted: z.number().int(),
  percent: z.number().int(),
  completedAt: z.number().nullable(),
});

export const learnerProgressSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  departmentPath: z.string().nullable(),
  dueAt: z.number().nullable(),
  overdue: z.boolean(),
  materialsCompleted: z.number().int(),
  materialsTotal: z.number().int(),
  percent: z.number().int(),
  secondsSpent: z.number().int(),
  completedAt: z.number().nullable(),
});

export const departmentCompletionSchema = z.object({
  departmentPath: z.string(),
  enrolled: z.number().int(),
  completed: z.number().int(),
  overdue: z.number().int(),
});
