import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Role } from '@kpl/shared';
import type { DB, UsersTable } from '../../platform/db/schema.js';

export type UserRow = Selectable<UsersTable>;
export type UserWithPath = UserRow & { department_path: string | null };

export interface UserFilter {
  q?: string;
  /** Only users whose department path starts with this ("/a/b/"): a department subtree. */
  pathPrefix?: string;
  departmentId?: string;
  role?: Role;
  status?: 'active' | 'disabled';
}

export class UsersRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): UsersRepository {
    return new UsersRepository(db);
  }

  private withPath() {
    return this.db
      .selectFrom('users')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .selectAll('users')
      .select('departments.path as department_path');
  }

  findById(id: string): Promise<UserWithPath | undefined> {
    return this.withPath().where('users.id', '=', id).executeTakeFirst();
  }

  /** Sign-in accepts the login name, the 工号 or the e-mail address. */
  findByLogin(identifier: string): Promise<UserWithPath | undefined> {
    const v = identifier.trim();
    return this.withPath()
      .where((eb) =>
        eb.or([eb('users.username', '=', v.toLowerCase()), eb('users.employee_no', '=', v.toUpperCase()), eb('users.email', '=', v.toLowerCase())]),
      )
      .orderBy('users.created_at')
      .executeTakeFirst();
  }

  /** Existing values among the given unique fields, for a precise "already exists" error. */
  async conflicts(values: { username?: string; employeeNo?: string | null; email?: string | null }, excludeId?: string): Promise<string[]> {
    const found: string[] = [];
    const checks = [
      ['username', 'username', values.username],
      ['employee_no', 'employeeNo', values.employeeNo],
      ['email', 'email', values.email],
    ] as const;
    for (const [column, field, value] of checks) {
      if (!value) continue;
      let q = this.db.selectFrom('users').select('id').where(column, '=', value);
      if (excludeId) q = q.where('id', '!=', excludeId);
      if (await q.executeTakeFirst()) found.push(field);
    }
    return found;
  }

  async list(filter: UserFilter, page: number, pageSize: number): Promise<{ rows: UserWithPath[]; total: number }> {
    let q = this.db.selectFrom('users').leftJoin('departments', 'departments.id', 'users.department_id');
    if (filter.pathPrefix) q = q.where('departments.path', 'like', `${filter.pathPrefix}%`);
    if (filter.departmentId) q = q.where('users.department_id', '=', filter.departmentId);
    if (filter.role) q = q.where('users.role', '=', filter.role);
    if (filter.status) q = q.where('users.status', '=', filter.status);
    if (filter.q) {
      // Wildcards are dropped rather than escaped: SQLite and MySQL escape LIKE differently.
      const like = `%${filter.q.replace(/[\\%_]/g, '')}%`;
      q = q.where((eb) =>
        eb.or([
          eb('users.username', 'like', like),
          eb('users.display_name', 'like', like),
          eb('users.employee_no', 'like', like),
          eb('users.email', 'like', like),
          eb('users.phone', 'like', like),
        ]),
      );
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('users')
      .select('departments.path as department_path')
      .orderBy('users.created_at')
      .orderBy('users.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows, total: Number(n) };
  }

  async insert(row: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  /** Multi-row inserts in chunks: 10,000 users in a few statements instead of 10,000. */
  async insertMany(rows: Insertable<UsersTable>[], chunk = 500): Promise<void> {
    for (let i = 0; i < rows.length; i += chunk) await this.db.insertInto('users').values(rows.slice(i, i + chunk)).execute();
  }

  async update(id: string, patch: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Every existing 工号 and e-mail, for duplicate checks of a whole import file in one pass. */
  async uniqueKeys(): Promise<{ usernames: Set<string>; employeeNos: Set<string>; emails: Set<string> }> {
    const rows = await this.db.selectFrom('users').select(['username', 'employee_no', 'email']).execute();
    return {
      usernames: new Set(rows.map((r) => r.username)),
      employeeNos: new Set(rows.flatMap((r) => (r.employee_no ? [r.employee_no] : []))),
      emails: new Set(rows.flatMap((r) => (r.email ? [r.email] : []))),
    };
  }
}
