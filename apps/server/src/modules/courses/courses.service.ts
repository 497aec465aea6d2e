import type { z } from 'zod';
import type { courseListQuerySchema, createChapterSchema, createCourseSchema, updateChapterSchema, updateCourseSchema } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import { canEditCourse, canViewCourse, courseVisibility } from './courses.policies.js';
import type { CourseRow, CoursesRepository } from './courses.repository.js';
import type { LearningRepository } from './learning.repository.js';
import type { MaterialsRepository } from './materials.repository.js';
import { presentCourse, presentMaterial } from './presenters.js';

export class CoursesService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly materials: MaterialsRepository,
    private readonly learning: LearningRepository,
  ) {}

  /** The course if the actor may see it; otherwise "not found", so ids reveal nothing. */
  async visible(actor: Actor, id: string): Promise<CourseRow> {
    const course = await this.courses.find(id);
    if (!course) throw new AppError('ERR-COURSE-0001');
    const enrolled = actor.role === 'learner' ? Boolean(await this.learning.enrolment(id, actor.id)) : false;
    if (!canViewCourse(actor, course, enrolled)) throw new AppError('ERR-COURSE-0001');
    return course;
  }

  async editable(actor: Actor, id: string): Promise<CourseRow> {
    const course = await this.visible(actor, id);
    if (!canEditCourse(actor, course)) throw new AppError('ERR-AUTH-0002', 'Only the course owner or an administrator can change it.');
    return course;
  }

  async list(actor: Actor, query: z.infer<typeof courseListQuerySchema>) {
    const { rows, total } = await this.courses.list({ q: query.q, status: query.status, category: query.category, visibility: courseVisibility(actor) }, query.page, query.pageSize);
    return { items: rows.map(presentCourse), total, page: query.page, pageSize: query.pageSize };
  }

  async detail(actor: Actor, id: string) {
    const course = await this.visible(actor, id);
    const [chapters, materials] = await Promise.all([this.courses.chapters(id), this.materials.forCourse(id)]);
    const present = materials.map(presentMaterial);
    return {
      ...presentCourse(course),
      chapters: chapters.map((c) => ({
        id: c.id,
        courseId: c.course_id,
        title: c.title,
        sortOrder: Number(c.sort_order),
        materials: present.filter((m) => m.chapterId === c.id),
      })),
      looseMaterials: present.filter((m) => m.chapterId === null),
    };
  }

  async create(actor: Actor, input: z.infer<typeof createCourseSchema>) {
    const id = newId();
    const t = now();
    await this.courses.insert({
      id,
      title: input.title,
      description: input.description,
      cover: input.cover ?? null,
      category: input.category ?? null,
      tags: JSON.stringify(input.tags),
      owner_id: actor.id,
      status: 'draft',
      created_at: t,
      updated_at: t,
    });
    return presentCourse((await this.courses.find(id))!);
  }

  async update(actor: Actor, id: string, patch: z.infer<typeof updateCourseSchema>) {
    await this.editable(actor, id);
    await this.courses.update(id, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.cover !== undefined && { cover: patch.cover }),
      ...(patch.category !== undefined && { category: patch.category }),
      ...(patch.tags !== undefined && { tags: JSON.stringify(patch.tags) }),
      ...(patch.status !== undefined && { status: patch.status }),
      updated_at: now(),
    });
    return presentCourse((await this.courses.find(id))!);
  }

  async createChapter(actor: Actor, courseId: string, input: z.infer<typeof createChapterSchema>) {
    await this.editable(actor, courseId);
    const id = newId();
    const t = now();
    const sortOrder = input.sortOrder ?? (await this.courses.chapters(courseId)).length;
    await this.courses.insertChapter({ id, course_id: courseId, title: input.title, sort_order: sortOrder, created_at: t, updated_at: t });
    return { id, courseId, title: input.title, sortOrder, materials: [] };
  }

  private async editableChapter(actor: Actor, chapterId: string) {
    const chapter = await this.courses.findChapter(chapterId);
    if (!chapter) throw new AppError('ERR-COURSE-0003');
    await this.editable(actor, chapter.course_id);
    return chapter;
  }

  async updateChapter(actor: Actor, chapterId: string, patch: z.infer<typeof updateChapterSchema>) {
    await this.editableChapter(actor, chapterId);
    await this.courses.updateChapter(chapterId, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.sortOrder !== undefined && { sort_order: patch.sortOrder }),
      updated_at: now(),
    });
  }

  async deleteChapter(actor: Actor, chapterId: string) {
    const chapter = await this.editableChapter(actor, chapterId);
    const materials = await this.materials.forCourse(chapter.course_id);
    if (materials.some((m) => m.chapter_id === chapterId)) throw new AppError('ERR-COURSE-0006');
    await this.courses.deleteChapter(chapterId);
  }
}
