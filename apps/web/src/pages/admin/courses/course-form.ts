import type { Course } from '@kpl/shared';
import type { FormItemRule } from 'element-plus';
import type { CourseInput } from '@/api/courses';

/** The course form: text inputs hold '' for "not set"; the API takes null. */
export interface CourseFormModel {
  title: string;
  description: string;
  category: string;
  tags: string[];
  cover: string;
}

/** The shared Zod rules (courses.ts), repeated for instant feedback. */
export const COURSE_LIMITS = { title: 200, description: 5000, category: 64, cover: 500, tags: 20, tag: 32 } as const;
const COVER_PATTERN = /^(https?:\/\/\S+|\/\S*)$/;

export function emptyCourseModel(): CourseFormModel {
  return { title: '', description: '', category: '', tags: [], cover: '' };
}

export function modelOfCourse(course: Course): CourseFormModel {
  return { title: course.title, description: course.description, category: course.category ?? '', tags: [...course.tags], cover: course.cover ?? '' };
}

/** Trimmed, without empty or repeated tags. */
export function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))];
}

export function toCourseInput(model: CourseFormModel): CourseInput {
  return {
    title: model.title.trim(),
    description: model.description,
    category: model.category.trim() || null,
    tags: cleanTags(model.tags),
    cover: model.cover.trim() || null,
  };
}

/** Only what changed; an empty object when nothing did. */
export function toCoursePatch(model: CourseFormModel, course: Course): Partial<CourseInput> {
  const next = toCourseInput(model);
  const patch: Partial<CourseInput> = {};
  if (next.title !== course.title) patch.title = next.title;
  if (next.description !== course.description) patch.description = next.description;
  if (next.category !== course.category) patch.category = next.category;
  if (next.cover !== course.cover) patch.cover = next.cover;
  if (JSON.stringify(next.tags) !== JSON.stringify(course.tags)) patch.tags = next.tags;
  return patch;
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

export function courseFieldRules(t: Translate): Partial<Record<keyof CourseFormModel, FormItemRule[]>> {
  const max = (n: number): FormItemRule => ({ max: n, message: t('courses.form.tooLong', { n }), trigger: 'blur' });
  return {
    title: [{ required: true, whitespace: true, message: t('courses.form.titleRequired'), trigger: 'blur' }, max(COURSE_LIMITS.title)],
    description: [max(COURSE_LIMITS.description)],
    category: [max(COURSE_LIMITS.category)],
    cover: [max(COURSE_LIMITS.cover), { pattern: COVER_PATTERN, message: t('courses.form.coverInvalid'), trigger: 'blur' }],
    tags: [
      {
        validator: (_rule, value: string[], callback) => {
          const tags = cleanTags(value ?? []);
          const ok = tags.length <= COURSE_LIMITS.tags && tags.every((tag) => tag.length <= COURSE_LIMITS.tag);
          callback(ok ? undefined : new Error(t('courses.form.tagsLimit', { n: COURSE_LIMITS.tags, len: COURSE_LIMITS.tag })));
        },
        trigger: 'change',
      },
    ],
  };
}
