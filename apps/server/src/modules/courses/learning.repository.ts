import type { Insertable, Kysely, Selectable } from 'kysely';
import type { CourseAssignmentsTable, DB, EnrolmentsTable } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';

export type EnrolmentRow = Selectable<EnrolmentsTable>;

/** Assignments, enrolments and per-material progress. */
export class LearningRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): LearningRepository {
    return new LearningRepository(db);
  }

  async insertAssignment(row: Insertable<CourseAssignmentsTable>): Promise<void> {
    await this.db.insertInto('course_assignments').values(row).execute();
  }

  assignments(courseId: string) {
    return this.db.selectFrom('course_assignments').selectAll().where('course_id', '=', courseId).orderBy('created_at', 'desc').execute();
  }

  /** Active users in the given department subtrees (paths) or with the given ids. */
  async audience(paths: string[], userIds: string[]): Promise<{ id: string; department_path: string | null }[]> {
    if (!paths.length && !userIds.length) return [];
    return this.db
      .selectFrom('users')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .select(['users.id', 'departments.path as department_path'])
      .where('users.status', '=', 'active')
      .where((eb) => eb.or([...paths.map((p) => eb('departments.path', 'like', `${p}%`)), ...(userIds.length ? [eb('users.id', 'in', userIds)] : [])]))
      .execute();
  }

  async enrolledUserIds(courseId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('enrolments').select('user_id').where('course_id', '=', courseId).execute();
    return new Set(rows.map((r) => r.user_id));
  }

  async enrol(rows: Omit<Insertable<EnrolmentsTable>, 'id'>[]): Promise<void> {
    const withIds = rows.map((r) => ({ ...r, id: newId() }));
    for (let i = 0; i < withIds.length; i += 500) await this.db.insertInto('enrolments').values(withIds.slice(i, i + 500)).execute();
  }

  enrolment(courseId: string, userId: string): Promise<EnrolmentRow | undefined> {
    return this.db.selectFrom('enrolments').selectAll().where('course_id', '=', courseId).where('user_id', '=', userId).executeTakeFirst();
  }

  myEnrolments(userId: string): Promise<EnrolmentRow[]> {
    return this.db.selectFrom('enrolments').selectAll().where('user_id', '=', userId).execute();
  }

  courseEnrolments(courseId: string, pathPrefix?: string) {
    let q = this.db
      .selectFrom('enrolments')
      .innerJoin('users', 'users.id', 'enrolments.user_id')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .select(['enrolments.user_id', 'enrolments.due_at', 'enrolments.completed_at', 'users.display_name', 'users.department_id', 'departments.path as department_path'])
      .where('enrolments.course_id', '=', courseId);
    if (pathPrefix) q = q.where('departments.path', 'like', `${pathPrefix}%`);
    return q.orderBy('users.display_name').execute();
  }

  async markCompleted(courseId: string, userId: string, at: number): Promise<void> {
    await this.db.updateTable('enrolments').set({ completed_at: at }).where('course_id', '=', courseId).where('user_id', '=', userId).where('completed_at', 'is', null).execute();
  }

  /** Records time on a material; creates the row on first open. */
  async recordProgress(userId: string, materialId: string, courseId: string, seconds: number, at: number): Promise<{ seconds_spent: number; completed_at: number | null }> {
    const updated = await this.db
      .updateTable('material_progress')
      .set((eb) => ({ seconds_spent: eb('seconds_spent', '+', seconds), last_seen_at: at }))
      .where('user_id', '=', userId)
      .where('material_id', '=', materialId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await this.db
        .insertInto('material_progress')
        .values({ id: newId(), user_id: userId, material_id: materialId, course_id: courseId, first_opened_at: at, last_seen_at: at, seconds_spent: seconds, completed_at: null })
        .execute()
        .catch(async () => {
          // A concurrent first report inserted it: add to that row instead.
          await this.db
            .updateTable('material_progress')
            .set((eb) => ({ seconds_spent: eb('seconds_spent', '+', seconds), last_seen_at: at }))
            .where('user_id', '=', userId)
            .where('material_id', '=', materialId)
            .execute();
        });
    }
    const row = await this.db.selectFrom('material_progress').select(['seconds_spent', 'completed_at']).where('user_id', '=', userId).where('material_id', '=', materialId).executeTakeFirstOrThrow();
    return { seconds_spent: Number(row.seconds_spent), completed_at: row.completed_at === null ? null : Number(row.completed_at) };
  }

  async completeMaterial(userId: string, materialId: string, at: number): Promise<void> {
    await this.db.updateTable('material_progress').set({ completed_at: at }).where('user_id', '=', userId).where('material_id', '=', materialId).where('completed_at', 'is', null).execute();
  }

  /** Per user: completed materials and seconds spent in one course. */
  async progressByUser(courseId: string): Promise<Map<string, { completed: number; seconds: number }>> {
    const rows = await this.db
      .selectFrom('material_progress')
      .innerJoin('materials', 'materials.id', 'material_progress.material_id')
      .select([
        'material_progress.user_id',
        (eb) => eb.fn.sum<number>('material_progress.seconds_spent').as('seconds'),
        (eb) => eb.fn.count<number>('material_progress.completed_at').as('completed'),
      ])
      .where('material_progress.course_id', '=', courseId)
      .where('materials.status', '=', 'ready')
      .groupBy('material_progress.user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, { completed: Number(r.completed), seconds: Number(r.seconds ?? 0) }]));
  }

  async readyMaterialCount(courseId: string): Promise<number> {
    const r = await this.db.selectFrom('materials').select((eb) => eb.fn.countAll<number>().as('n')).where('course_id', '=', courseId).where('status', '=', 'ready').executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
