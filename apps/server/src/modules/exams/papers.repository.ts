import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { PapersTable } from './exams.tables.js';
import './exams.tables.js';

export type PaperRow = Selectable<PapersTable> & { owner_name: string | null };

const likeTerm = (q: string) => `%${q.replace(/[\\%_]/g, '')}%`;

export class PapersRepository {
  constructor(readonly db: Kysely<DB>) {}

  private base() {
    return this.db.selectFrom('papers').leftJoin('users', 'users.id', 'papers.owner_id').selectAll('papers').select('users.display_name as owner_name');
  }

  find(id: string): Promise<PaperRow | undefined> {
    return this.base().where('papers.id', '=', id).executeTakeFirst();
  }

  async list(filter: { q?: string }, page: number, pageSize: number): Promise<{ rows: PaperRow[]; total: number }> {
    let q = this.db.selectFrom('papers');
    if (filter.q) q = q.where('papers.title', 'like', likeTerm(filter.q));
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .leftJoin('users', 'users.id', 'papers.owner_id')
      .selectAll('papers')
      .select('users.display_name as owner_name')
      .orderBy('papers.created_at', 'desc')
      .orderBy('papers.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows, total: Number(n) };
  }

  async insert(row: Insertable<PapersTable>): Promise<void> {
    await this.db.insertInto('papers').values(row).execute();
  }

  async update(id: string, patch: Updateable<PapersTable>): Promise<void> {
    await this.db.updateTable('papers').set(patch).where('id', '=', id).execute();
  }

  /** Ids of the given papers that an exam with attempts uses (such papers may no longer change). */
  async locked(paperIds: string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('exams')
      .select('exams.paper_id')
      .distinct()
      .where('exams.paper_id', 'in', paperIds)
      .where((eb) => eb.exists(eb.selectFrom('attempts').select('attempts.id').whereRef('attempts.exam_id', '=', 'exams.id')))
      .execute();
    return new Set(rows.map((r) => r.paper_id));
  }
}
