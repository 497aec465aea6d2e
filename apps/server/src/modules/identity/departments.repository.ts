import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, DepartmentsTable } from '../../platform/db/schema.js';

export type DepartmentRow = Selectable<DepartmentsTable>;

export class DepartmentsRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): DepartmentsRepository {
    return new DepartmentsRepository(db);
  }

  find(id: string): Promise<DepartmentRow | undefined> {
    return this.db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findChild(parentId: string | null, name: string): Promise<DepartmentRow | undefined> {
    return this.db
      .selectFrom('departments')
      .selectAll()
      .where('name', '=', name)
      .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
      .executeTakeFirst();
  }

  list(): Promise<DepartmentRow[]> {
    return this.db.selectFrom('departments').selectAll().orderBy('sort_order').orderBy('name').execute();
  }

  /** Direct member counts per department. */
  async userCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('users')
      .select(['department_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('department_id', 'is not', null)
      .groupBy('department_id')
      .execute();
    return new Map(rows.map((r) => [r.department_id!, Number(r.n)]));
  }

  subtree(path: string): Promise<DepartmentRow[]> {
    return this.db.selectFrom('departments').selectAll().where('path', 'like', `${path}%`).execute();
  }

  async insert(row: Insertable<DepartmentsTable>): Promise<void> {
    await this.db.insertInto('departments').values(row).execute();
  }

  async update(id: string, patch: Partial<Pick<DepartmentRow, 'name' | 'parent_id' | 'sort_order' | 'path' | 'updated_at'>>): Promise<void> {
    await this.db.updateTable('departments').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('departments').where('id', '=', id).execute();
  }

  async hasChildrenOrUsers(id: string): Promise<boolean> {
    const child = await this.db.selectFrom('departments').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (child) return true;
    const user = await this.db.selectFrom('users').select('id').where('department_id', '=', id).limit(1).executeTakeFirst();
    return Boolean(user);
  }
}
