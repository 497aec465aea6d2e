import { MysqlAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

// Migrations depend only on Kysely and these helpers, never on application code,
// so an old migration keeps meaning what it meant when it shipped.

export const isMysql = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof MysqlAdapter;

/** Every MySQL table is InnoDB + utf8mb4 whatever the server's defaults are. */
export function createTable<T extends string>(db: Kysely<unknown>, name: T): CreateTableBuilder<T, never> {
  const builder = db.schema.createTable(name);
  return isMysql(db)
    ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`)
    : builder;
}

/** Long text: TEXT is 64 KB on MySQL, too small for extracted documents and job payloads. */
export const longText = (db: Kysely<unknown>) => (isMysql(db) ? sql`longtext` : sql`text`);
