import type { Kysely } from 'kysely';
import { createTable, longText } from './helpers.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Append-only: rows are never updated, so there is no updated_at.
  await createTable(db, 'audit_log')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(100)')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(32)')
    .addColumn('target_id', 'varchar(64)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('request_id', 'varchar(128)')
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull().defaultTo('success'))
    .addColumn('details', longText(db))
    .execute();
  // One index per filter the audit page offers, each ending in `at` where it sorts newest first.
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_action_at').on('audit_log').columns(['action', 'at']).execute();
  await db.schema.createIndex('audit_log_actor_at').on('audit_log').columns(['actor_id', 'at']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id']).execute();
}
