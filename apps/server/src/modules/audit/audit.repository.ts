import { sql, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { AuditLogTable, DB } from '../../platform/db/schema.js';

export type AuditLogRow = Selectable<AuditLogTable>;

export interface AuditRowFilter {
  actions?: string[];
  actorId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditLogTable['outcome'];
  from?: number;
  to?: number;
  q?: string;
}

/** Columns the free-text search looks at. */
const SEARCHED = ['actor_name', 'target_id', 'action'] as const;

/**
 * LIKE pattern for a literal substring. An explicit ESCAPE character makes SQLite and MySQL treat
 * it alike (MySQL escapes with a backslash by default, SQLite with nothing); '!' avoids backslash
 * quoting differences. Both compare ASCII case-insensitively (SQLite's LIKE, MySQL's _ci collation).
 */
const containsPattern = (text: string): string => `%${text.replace(/[!%_]/g, '!$&')}%`;

export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: Insertable<AuditLogTable>, db: Kysely<DB> = this.db): Promise<void> {
    await db.insertInto('audit_log').values(row).execute();
  }

  /** Newest first; the id breaks ties within a millisecond (UUIDv7 is time-ordered). */
  async page(filter: AuditRowFilter, page: number, pageSize: number): Promise<{ rows: AuditLogRow[]; total: number }> {
    let q = this.db.selectFrom('audit_log');
    if (filter.actions?.length) q = q.where('action', 'in', filter.actions);
    if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
    if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
    if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<=', filter.to);
    if (filter.q) {
      const like = containsPattern(filter.q);
      q = q.where((eb) => eb.or(SEARCHED.map((column) => sql<SqlBool>`${sql.ref(column)} like ${like} escape '!'`)));
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows, total: Number(n) };
  }
}
