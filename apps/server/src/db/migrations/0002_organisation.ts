import type { Kysely } from 'kysely';
import { createTable } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'departments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('parent_id', 'varchar(36)', (c) => c.references('departments.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('departments_parent').on('departments').column('parent_id').execute();

  await createTable(db, 'users')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('employee_no', 'varchar(64)', (c) => c.unique())
    .addColumn('email', 'varchar(255)', (c) => c.unique())
    .addColumn('phone', 'varchar(32)')
    .addColumn('display_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('department_id', 'varchar(36)', (c) => c.references('departments.id'))
    .addColumn('position', 'varchar(100)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_department').on('users').column('department_id').execute();
}
