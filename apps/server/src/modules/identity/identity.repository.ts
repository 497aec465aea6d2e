import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, DepartmentsTable, UsersTable } from '../../platform/db/schema.js';

export type UserRow = Selectable<UsersTable>;
export type DepartmentRow = Selectable<DepartmentsTable>;

export class IdentityRepository {
  constructor(private readonly db: Kysely<DB>) {}

  countUsers(): Promise<number> {
    return this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  findUserByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async insertUser(user: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  async insertDepartment(dept: Insertable<DepartmentsTable>): Promise<void> {
    await this.db.insertInto('departments').values(dept).execute();
  }

  findDepartment(parentId: string | null, name: string): Promise<DepartmentRow | undefined> {
    return this.db
      .selectFrom('departments')
      .selectAll()
      .where('name', '=', name)
      .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
      .executeTakeFirst();
  }

  listDepartments(): Promise<DepartmentRow[]> {
    return this.db.selectFrom('departments').selectAll().orderBy('sort_order').orderBy('name').execute();
  }

  async withTransaction<T>(fn: (repo: IdentityRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new IdentityRepository(trx)));
  }
}
