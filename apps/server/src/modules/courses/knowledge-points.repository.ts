import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, KnowledgePointsTable } from '../../platform/db/schema.js';

export type KnowledgePointRow = Selectable<KnowledgePointsTable> & { chunk_count: number };

export class KnowledgePointsRepository {
  constructor(readonly db: Kysely<DB>) {}

  async forCourse(courseId: string): Promise<KnowledgePointRow[]> {
    const rows = await this.db
      .selectFrom('knowledge_points')
      .selectAll()
      .select((eb) =>
        eb
          .selectFrom('chunk_knowledge_points')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('chunk_knowledge_points.knowledge_point_id', '=', 'knowledge_points.id')
          .as('chunk_count'),
      )
      .where('course_id', '=', courseId)
      .orderBy('status')
      .orderBy('weight', 'desc')
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ ...r, chunk_count: Number(r.chunk_count ?? 0) }));
  }

  find(id: string): Promise<Selectable<KnowledgePointsTable> | undefined> {
    return this.db.selectFrom('knowledge_points').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByName(courseId: string, name: string): Promise<Selectable<KnowledgePointsTable> | undefined> {
    return this.db.selectFrom('knowledge_points').selectAll().where('course_id', '=', courseId).where('name', '=', name).executeTakeFirst();
  }

  async insert(row: Insertable<KnowledgePointsTable>): Promise<void> {
    await this.db.insertInto('knowledge_points').values(row).execute();
  }

  async update(id: string, patch: Updateable<KnowledgePointsTable>): Promise<void> {
    await this.db.updateTable('knowledge_points').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.updateTable('knowledge_points').set({ parent_id: null }).where('parent_id', '=', id).execute();
    await this.db.deleteFrom('chunk_knowledge_points').where('knowledge_point_id', '=', id).execute();
    await this.db.deleteFrom('knowledge_points').where('id', '=', id).execute();
  }

  /** Links the knowledge point to exactly these chunks. */
  async setChunks(kpId: string, chunkIds: string[]): Promise<void> {
    await this.db.deleteFrom('chunk_knowledge_points').where('knowledge_point_id', '=', kpId).execute();
    const rows = chunkIds.map((chunk_id) => ({ chunk_id, knowledge_point_id: kpId }));
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('chunk_knowledge_points').values(rows.slice(i, i + 500)).execute();
  }
}
