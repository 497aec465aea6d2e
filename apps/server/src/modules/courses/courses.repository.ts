import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ChaptersTable, CoursesTable, DB } from '../../platform/db/schema.js';

export type CourseRow = Selectable<CoursesTable> & { owner_name: string | null };
export type ChapterRow = Selectable<ChaptersTable>;

export interface CourseFilter {
  q?: string;
  status?: CoursesTable['status'];
  category?: string;
  /** Who may see what: owners see their drafts, enrolled learners their published courses. */
  visibility: { all: true } | { ownerId?: string; published: boolean; enrolledUserId?: string };
}

export class CoursesRepository {
  constructor(readonly db: Kysely<DB>) {}

  private base() {
    return this.db.selectFrom('courses').leftJoin('users', 'users.id', 'courses.owner_id').selectAll('courses').select('users.display_name as owner_name');
  }

  find(id: string): Promise<CourseRow | undefined> {
    return this.base().where('courses.id', '=', id).executeTakeFirst();
  }

  async list(filter: CourseFilter, page: number, pageSize: number): Promise<{ rows: CourseRow[]; total: number }> {
    let q = this.db.selectFrom('courses');
    const v = filter.visibility;
    if (!('all' in v)) {
      q = q.where((eb) => {
        const ors = [];
        if (v.ownerId) ors.push(eb('courses.owner_id', '=', v.ownerId));
        if (v.published && !v.enrolledUserId) ors.push(eb('courses.status', '=', 'published'));
        if (v.enrolledUserId) {
          ors.push(
            eb.and([
              eb('courses.status', '=', 'published'),
              eb('courses.id', 'in', eb.selectFrom('enrolments').select('enrolments.course_id').where('enrolments.user_id', '=', v.enrolledUserId)),
            ]),
          );
        }
        return ors.length ? eb.or(ors) : eb.val(false);
      });
    }
    if (filter.status) q = q.where('courses.status', '=', filter.status);
    if (filter.category) q = q.where('courses.category', '=', filter.category);
    if (filter.q) q = q.where('courses.title', 'like', `%${filter.q.replace(/[\\%_]/g, '')}%`);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .leftJoin('users', 'users.id', 'courses.owner_id')
      .selectAll('courses')
      .select('users.display_name as owner_name')
      .orderBy('courses.created_at', 'desc')
      .orderBy('courses.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows, total: Number(n) };
  }

  async insert(row: Insertable<CoursesTable>): Promise<void> {
    await this.db.insertInto('courses').values(row).execute();
  }

  async update(id: string, patch: Updateable<CoursesTable>): Promise<void> {
    await this.db.updateTable('courses').set(patch).where('id', '=', id).execute();
  }

  chapters(courseId: string): Promise<ChapterRow[]> {
    return this.db.selectFrom('chapters').selectAll().where('course_id', '=', courseId).orderBy('sort_order').orderBy('created_at').execute();
  }

  findChapter(id: string): Promise<ChapterRow | undefined> {
    return this.db.selectFrom('chapters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertChapter(row: Insertable<ChaptersTable>): Promise<void> {
    await this.db.insertInto('chapters').values(row).execute();
  }

  async updateChapter(id: string, patch: Updateable<ChaptersTable>): Promise<void> {
    await this.db.updateTable('chapters').set(patch).where('id', '=', id).execute();
  }

  async deleteChapter(id: string): Promise<void> {
    await this.db.deleteFrom('chapters').where('id', '=', id).execute();
  }
}
