import type { Kysely } from 'kysely';
import { createTable } from './helpers.js';

interface Dept {
  id: string;
  parent_id: string | null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Materialised path of ancestor ids ("/root/child/"), so a subtree is one indexed prefix query.
  await db.schema.alterTable('departments').addColumn('path', 'varchar(700)', (c) => c.notNull().defaultTo('/')).execute();
  const typed = db as unknown as Kysely<{ departments: Dept & { path: string } }>;
  const rows = await typed.selectFrom('departments').select(['id', 'parent_id']).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pathOf = (d: Dept): string => (d.parent_id ? pathOf(byId.get(d.parent_id)!) : '/') + `${d.id}/`;
  for (const d of rows) await typed.updateTable('departments').set({ path: pathOf(d) }).where('id', '=', d.id).execute();
  await db.schema.createIndex('departments_path').on('departments').column('path').execute();

  await createTable(db, 'refresh_tokens')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('family_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(255)')
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();

  await db.schema.createIndex('users_role_status').on('users').columns(['role', 'status']).execute();
}
