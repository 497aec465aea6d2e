import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import { canAssignCourse, progressScope } from './courses.policies.js';
import type { CoursesRepository } from './courses.repository.js';
import type { CoursesService } from './courses.service.js';
import type { LearningRepository } from './learning.repository.js';
import type { MaterialsRepository } from './materials.repository.js';
import { presentCourse } from './presenters.js';

/** Reading speed used for the time rule: ~400 Chinese characters a minute, capped at 20 minutes. */
export function readingSeconds(textLength: number): number {
  return Math.min(1200, Math.max(30, Math.round((textLength / 400) * 60)));
}

/** A material counts as done once the reader reached its end (after a glance) or spent its reading time. */
export function materialDone(secondsSpent: number, reachedEnd: boolean, textLength: number): boolean {
  return (reachedEnd && secondsSpent >= 10) || secondsSpent >= readingSeconds(textLength);
}

/** Department look-ups the identity module provides. */
export interface DepartmentLookup {
  /** Materialised path ("/a/b/") of a department, or null when it does not exist. */
  pathOf(id: string): Promise<string | null>;
  /** Human name path (总部/销售部) of every department by id. */
  names(): Promise<Map<string, string>>;
}

const percent = (done: number, total: number) => (total === 0 ? 0 : Math.round((done / total) * 100));

export class LearningService {
  constructor(
    private readonly repo: LearningRepository,
    private readonly courses: CoursesRepository,
    private readonly coursesService: CoursesService,
    private readonly materials: MaterialsRepository,
    private readonly departments: DepartmentLookup,
  ) {}

  /** Assigns a course to department subtrees and/or users; enrols everyone not yet enrolled. */
  async assign(actor: Actor, courseId: string, input: { departmentIds: string[]; userIds: string[]; dueAt: number | null; required: boolean }) {
    const course = await this.coursesService.visible(actor, courseId);
    if (!canAssignCourse(actor, course)) throw new AppError('ERR-AUTH-0002', 'You may not assign this course.');
    if (course.status !== 'published') throw new AppError('ERR-COURSE-0004');
    const paths: string[] = [];
    for (const id of input.departmentIds) {
      const path = await this.departments.pathOf(id);
      if (!path) throw new AppError('ERR-DEPT-0001');
      if (actor.role === 'manager' && !path.startsWith(actor.departmentPath ?? '/none/')) throw new AppError('ERR-AUTH-0002', 'Managers assign courses inside their own department only.');
      paths.push(path);
    }
    const audience = await this.repo.audience(paths, input.userIds);
    const found = new Set(audience.map((u) => u.id));
    const missing = input.userIds.filter((id) => !found.has(id));
    if (missing.length) throw new AppError('ERR-USER-0002', undefined, { userIds: missing });
    if (actor.role === 'manager' && audience.some((u) => !u.department_path?.startsWith(actor.departmentPath ?? '/none/'))) {
      throw new AppError('ERR-AUTH-0002', 'Managers assign courses inside their own department only.');
    }
    const t = now();
    const assignmentIds: string[] = [];
    const already = await this.repo.enrolledUserIds(courseId);
    const fresh = audience.filter((u) => !already.has(u.id));
    await this.repo.db.transaction().execute(async (trx) => {
      const repo = this.repo.withDb(trx);
      const targets = [...input.departmentIds.map((id) => ['department', id] as const), ...input.userIds.map((id) => ['user', id] as const)];
      for (const [type, id] of targets) {
        const assignmentId = newId();
        assignmentIds.push(assignmentId);
        await repo.insertAssignment({ id: assignmentId, course_id: courseId, target_type: type, target_id: id, due_at: input.dueAt, required: input.required ? 1 : 0, assigned_by: actor.id, created_at: t });
      }
      await repo.enrol(fresh.map((u) => ({ course_id: courseId, user_id: u.id, assignment_id: assignmentIds[0] ?? null, due_at: input.dueAt, required: input.required ? 1 : 0, created_at: t, completed_at: null })));
    });
    return { assignmentIds, enrolled: fresh.length, alreadyEnrolled: audience.length - fresh.length };
  }

  async myCourses(actor: Actor) {
    const enrolments = await this.repo.myEnrolments(actor.id);
    const t = now();
    const out = [];
    for (const e of enrolments) {
      const course = await this.courses.find(e.course_id);
      if (!course || course.status !== 'published') continue;
      const [total, progress] = await Promise.all([this.repo.readyMaterialCount(e.course_id), this.repo.progressByUser(e.course_id)]);
      const done = progress.get(actor.id)?.completed ?? 0;
      const dueAt = e.due_at === null ? null : Number(e.due_at);
      const completedAt = e.completed_at === null ? null : Number(e.completed_at);
      out.push({
        ...presentCourse(course),
        dueAt,
        required: Boolean(Number(e.required)),
        overdue: completedAt === null && dueAt !== null && dueAt < t,
        materialsTotal: total,
        materialsCompleted: Math.min(done, total),
        percent: completedAt ? 100 : percent(done, total),
        completedAt,
      });
    }
    return out.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
  }

  /** Heartbeat from the reader: adds time, applies the completion rule, completes the course when all are done. */
  async report(actor: Actor, materialId: string, input: { secondsSpent: number; reachedEnd: boolean }) {
    const material = await this.materials.find(materialId);
    if (!material) throw new AppError('ERR-COURSE-0002');
    await this.coursesService.visible(actor, material.course_id).catch(() => {
      throw new AppError('ERR-COURSE-0002');
    });
    const enrolment = await this.repo.enrolment(material.course_id, actor.id);
    // Only enrolled learners have progress; an instructor previewing a course records nothing.
    if (!enrolment || material.status !== 'ready') return { tracked: false, materialCompleted: false, courseCompleted: false, secondsSpent: 0 };
    const t = now();
    const row = await this.repo.recordProgress(actor.id, materialId, material.course_id, input.secondsSpent, t);
    const text = await this.materials.text(materialId);
    let materialCompleted = row.completed_at !== null;
    if (!materialCompleted && materialDone(row.seconds_spent, input.reachedEnd, text?.text?.length ?? 0)) {
      await this.repo.completeMaterial(actor.id, materialId, t);
      materialCompleted = true;
    }
    let courseCompleted = enrolment.completed_at !== null;
    if (!courseCompleted && materialCompleted) {
      const [total, progress] = await Promise.all([this.repo.readyMaterialCount(material.course_id), this.repo.progressByUser(material.course_id)]);
      if ((progress.get(actor.id)?.completed ?? 0) >= total) {
        await this.repo.markCompleted(material.course_id, actor.id, t);
        courseCompleted = true;
      }
    }
    return { tracked: true, materialCompleted, courseCompleted, secondsSpent: row.seconds_spent };
  }

  async courseProgress(actor: Actor, courseId: string) {
    const course = await this.coursesService.visible(actor, courseId);
    const scope = progressScope(actor, course);
    if (!scope.allowed) throw new AppError('ERR-AUTH-0002');
    const [rows, total, progress, names] = await Promise.all([
      this.repo.courseEnrolments(courseId, scope.pathPrefix),
      this.repo.readyMaterialCount(courseId),
      this.repo.progressByUser(courseId),
      this.departments.names(),
    ]);
    const t = now();
    return rows.map((r) => {
      const p = progress.get(r.user_id) ?? { completed: 0, seconds: 0 };
      const completedAt = r.completed_at === null ? null : Number(r.completed_at);
      const dueAt = r.due_at === null ? null : Number(r.due_at);
      return {
        userId: r.user_id,
        displayName: r.display_name,
        departmentPath: r.department_id ? (names.get(r.department_id) ?? null) : null,
        dueAt,
        overdue: completedAt === null && dueAt !== null && dueAt < t,
        materialsCompleted: Math.min(p.completed, total),
        materialsTotal: total,
        percent: completedAt ? 100 : percent(p.completed, total),
        secondsSpent: p.seconds,
        completedAt,
      };
    });
  }

  /** Completion by department for a manager's view: enrolled, completed and overdue counts. */
  async completionByDepartment(actor: Actor, courseId: string) {
    const learners = await this.courseProgress(actor, courseId);
    const groups = new Map<string, { departmentPath: string; enrolled: number; completed: number; overdue: number }>();
    for (const l of learners) {
      const key = l.departmentPath ?? '—';
      const g = groups.get(key) ?? { departmentPath: key, enrolled: 0, completed: 0, overdue: 0 };
      g.enrolled++;
      if (l.completedAt) g.completed++;
      if (l.overdue) g.overdue++;
      groups.set(key, g);
    }
    return [...groups.values()].sort((a, b) => a.departmentPath.localeCompare(b.departmentPath, 'zh-CN'));
  }
}
