import {
  assignmentResultSchema,
  chapterSchema,
  courseDetailSchema,
  coursePageSchema,
  courseSchema,
  departmentCompletionSchema,
  knowledgePointSchema,
  learnerProgressSchema,
  materialSchema,
  materialTextSchema,
  myCourseSchema,
  progressResultSchema,
  searchResultSchema,
  type Course,
  type Material,
} from '@kpl/shared';
import { apiDownload, apiRequest, type DownloadedFile } from './client';

/** What a schema's `parse` returns (the web app has no direct zod dependency). */
type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;

export type CourseStatus = Course['status'];
export type CoursePage = Parsed<typeof coursePageSchema>;
export type CourseDetail = Parsed<typeof courseDetailSchema>;
export type Chapter = Parsed<typeof chapterSchema>;
export type MaterialText = Parsed<typeof materialTextSchema>;
export type OutlineEntry = MaterialText['outline'][number];
export type SearchHit = Parsed<typeof searchResultSchema>['hits'][number];
export type KnowledgePoint = Parsed<typeof knowledgePointSchema>;
export type MyCourse = Parsed<typeof myCourseSchema>;
export type LearnerProgress = Parsed<typeof learnerProgressSchema>;
export type DepartmentCompletion = Parsed<typeof departmentCompletionSchema>;
export type AssignmentResult = Parsed<typeof assignmentResultSchema>;

const id = (value: string) => encodeURIComponent(value);

// ---- Courses ----

export interface CourseListQuery {
  q?: string;
  status?: CourseStatus;
  category?: string;
  page: number;
  pageSize: number;
}

/** What the caller may see: admins everything, instructors their own and published ones, the rest published ones. */
export function listCourses(query: CourseListQuery, signal?: AbortSignal): Promise<CoursePage> {
  return apiRequest('/api/v1/courses', { query: { ...query }, schema: coursePageSchema, signal });
}

export interface CourseInput {
  title: string;
  description?: string;
  cover?: string | null;
  category?: string | null;
  tags?: string[];
}

/** Starts as a draft. */
export function createCourse(input: CourseInput): Promise<Course> {
  return apiRequest('/api/v1/courses', { method: 'POST', body: input, schema: courseSchema });
}

export function getCourse(courseId: string, signal?: AbortSignal): Promise<CourseDetail> {
  return apiRequest(`/api/v1/courses/${id(courseId)}`, { schema: courseDetailSchema, signal });
}

export function updateCourse(courseId: string, patch: Partial<CourseInput> & { status?: CourseStatus }): Promise<Course> {
  return apiRequest(`/api/v1/courses/${id(courseId)}`, { method: 'PATCH', body: patch, schema: courseSchema });
}

// ---- Chapters ----

export function createChapter(courseId: string, input: { title: string; sortOrder?: number }): Promise<Chapter> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/chapters`, { method: 'POST', body: input, schema: chapterSchema });
}

export async function updateChapter(chapterId: string, patch: { title?: string; sortOrder?: number }): Promise<void> {
  await apiRequest(`/api/v1/chapters/${id(chapterId)}`, { method: 'PATCH', body: patch });
}

/** Only an empty chapter can go (409 ERR-COURSE-0006 otherwise). */
export async function deleteChapter(chapterId: string): Promise<void> {
  await apiRequest(`/api/v1/chapters/${id(chapterId)}`, { method: 'DELETE' });
}

// ---- Materials ----

/** The server's default upload limit; it answers 413 (ERR-COMMON-0004) above its configured one. */
export const MATERIAL_MAX_BYTES = 50 * 1024 * 1024;
/** File name endings the server extracts text from (it checks the content, not only the name). */
export const MATERIAL_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt'] as const;

/** Answers at once with status 'processing'; poll getMaterial for the extraction's progress. */
export function uploadMaterial(courseId: string, file: File, options: { chapterId?: string | null; title?: string } = {}): Promise<Material> {
  const form = new FormData();
  if (options.title) form.append('title', options.title);
  if (options.chapterId) form.append('chapterId', options.chapterId);
  form.append('file', file);
  return apiRequest(`/api/v1/courses/${id(courseId)}/materials`, {
    method: 'POST',
    body: form,
    schema: materialSchema,
    // 50 MiB over a slow office uplink.
    timeoutMs: 300_000,
  });
}

export function getMaterial(materialId: string, signal?: AbortSignal): Promise<Material> {
  return apiRequest(`/api/v1/materials/${id(materialId)}`, { schema: materialSchema, signal });
}

/** 409 ERR-COURSE-0005 while the material is processing or failed. */
export function getMaterialText(materialId: string, signal?: AbortSignal): Promise<MaterialText> {
  return apiRequest(`/api/v1/materials/${id(materialId)}/text`, { schema: materialTextSchema, signal });
}

export function downloadMaterial(materialId: string): Promise<DownloadedFile> {
  return apiDownload(`/api/v1/materials/${id(materialId)}/file`, { timeoutMs: 300_000 });
}

export async function deleteMaterial(materialId: string): Promise<void> {
  await apiRequest(`/api/v1/materials/${id(materialId)}`, { method: 'DELETE' });
}

// ---- Search ----

export interface SearchQuery {
  q: string;
  courseId?: string;
  knowledgePointId?: string;
  limit?: number;
}

export async function searchMaterials(query: SearchQuery, signal?: AbortSignal): Promise<SearchHit[]> {
  const result = await apiRequest('/api/v1/search', { query: { ...query }, schema: searchResultSchema, signal });
  return result.hits;
}

// ---- Knowledge points ----

const knowledgePointListSchema = knowledgePointSchema.array();

export function listKnowledgePoints(courseId: string, signal?: AbortSignal): Promise<KnowledgePoint[]> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/knowledge-points`, { schema: knowledgePointListSchema, signal });
}

/** Adds keyword suggestions from the course's material; answers with the whole list. */
export function suggestKnowledgePoints(courseId: string): Promise<KnowledgePoint[]> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/knowledge-points/suggest`, {
    method: 'POST',
    schema: knowledgePointListSchema,
    timeoutMs: 120_000,
  });
}

export function createKnowledgePoint(courseId: string, input: { name: string; parentId?: string | null }): Promise<KnowledgePoint> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/knowledge-points`, { method: 'POST', body: input, schema: knowledgePointSchema });
}

export function updateKnowledgePoint(
  knowledgePointId: string,
  patch: { name?: string; parentId?: string | null; status?: KnowledgePoint['status'] },
): Promise<KnowledgePoint> {
  return apiRequest(`/api/v1/knowledge-points/${id(knowledgePointId)}`, { method: 'PATCH', body: patch, schema: knowledgePointSchema });
}

export async function deleteKnowledgePoint(knowledgePointId: string): Promise<void> {
  await apiRequest(`/api/v1/knowledge-points/${id(knowledgePointId)}`, { method: 'DELETE' });
}

// ---- Assignments and progress ----

export interface AssignmentInput {
  departmentIds: string[];
  userIds: string[];
  /** Epoch ms, or null for no due date. */
  dueAt: number | null;
  required: boolean;
}

/** The course must be published (409 ERR-COURSE-0004). Departments include their sub-departments. */
export function assignCourse(courseId: string, input: AssignmentInput): Promise<AssignmentResult> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/assignments`, { method: 'POST', body: input, schema: assignmentResultSchema });
}

const myCourseListSchema = myCourseSchema.array();

/** The caller's enrolments, soonest due first. */
export function listMyCourses(signal?: AbortSignal): Promise<MyCourse[]> {
  return apiRequest('/api/v1/me/courses', { schema: myCourseListSchema, signal });
}

export type ProgressResult = Parsed<typeof progressResultSchema>;

export interface ProgressReport {
  /** Seconds read since the previous report, 0–300. */
  secondsSpent: number;
  reachedEnd: boolean;
}

/** The reader's heartbeat. `keepalive` lets the last one survive the page closing. */
export function reportProgress(materialId: string, report: ProgressReport, options: { keepalive?: boolean } = {}): Promise<ProgressResult> {
  return apiRequest(`/api/v1/materials/${id(materialId)}/progress`, {
    method: 'POST',
    body: report,
    schema: progressResultSchema,
    keepalive: options.keepalive,
  });
}

const learnerProgressListSchema = learnerProgressSchema.array();
const completionListSchema = departmentCompletionSchema.array();

/** Every enrolled learner (a manager: those in their department subtree). */
export function listCourseProgress(courseId: string, signal?: AbortSignal): Promise<LearnerProgress[]> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/progress`, { schema: learnerProgressListSchema, signal });
}

export function listCourseCompletion(courseId: string, signal?: AbortSignal): Promise<DepartmentCompletion[]> {
  return apiRequest(`/api/v1/courses/${id(courseId)}/completion`, { schema: completionListSchema, signal });
}
