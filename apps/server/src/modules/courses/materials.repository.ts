import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ChunksTable, DB, MaterialsTable } from '../../platform/db/schema.js';

export type MaterialRow = Omit<Selectable<MaterialsTable>, 'text' | 'outline'> & { chunk_count: number };
export type ChunkRow = Selectable<ChunksTable>;

export class MaterialsRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): MaterialsRepository {
    return new MaterialsRepository(db);
  }

  /** Material rows without their (large) text, with their chunk counts. */
  private summary() {
    return this.db
      .selectFrom('materials')
      .select([
        'materials.id',
        'materials.course_id',
        'materials.chapter_id',
        'materials.title',
        'materials.filename',
        'materials.kind',
        'materials.mime',
        'materials.size_bytes',
        'materials.sha256',
        'materials.storage_key',
        'materials.status',
        'materials.progress',
        'materials.error',
        'materials.pages',
        'materials.sort_order',
        'materials.uploaded_by',
        'materials.created_at',
        'materials.updated_at',
      ])
      .select((eb) =>
        eb.selectFrom('chunks').select((e) => e.fn.countAll<number>().as('n')).whereRef('chunks.material_id', '=', 'materials.id').as('chunk_count'),
      );
  }

  async find(id: string): Promise<MaterialRow | undefined> {
    const row = await this.summary().where('materials.id', '=', id).executeTakeFirst();
    return row && { ...row, chunk_count: Number(row.chunk_count ?? 0) };
  }

  async forCourse(courseId: string): Promise<MaterialRow[]> {
    const rows = await this.summary().where('materials.course_id', '=', courseId).orderBy('materials.sort_order').orderBy('materials.created_at').execute();
    return rows.map((r) => ({ ...r, chunk_count: Number(r.chunk_count ?? 0) }));
  }

  text(id: string): Promise<{ id: string; title: string; text: string | null; outline: string | null } | undefined> {
    return this.db.selectFrom('materials').select(['id', 'title', 'text', 'outline']).where('id', '=', id).executeTakeFirst();
  }

  /**
   * Takes the material's row lock (inside a transaction) and says whether it still exists. Every
   * transaction that writes a material's chunks starts here, so they queue instead of deadlocking.
   */
  async lock(id: string): Promise<boolean> {
    const res = await this.db.updateTable('materials').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', id).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async insert(row: Insertable<MaterialsTable>): Promise<void> {
    await this.db.insertInto('materials').values(row).execute();
  }

  async update(id: string, patch: Updateable<MaterialsTable>): Promise<void> {
    await this.db.updateTable('materials').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('materials').where('id', '=', id).execute();
  }

  async replaceChunks(materialId: string, rows: Insertable<ChunksTable>[]): Promise<void> {
    await this.deleteChunks(materialId);
    for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('chunks').values(rows.slice(i, i + 200)).execute();
  }

  async deleteChunks(materialId: string): Promise<void> {
    await this.db
      .deleteFrom('chunk_knowledge_points')
      .where('chunk_id', 'in', this.db.selectFrom('chunks').select('id').where('material_id', '=', materialId))
      .execute();
    await this.db.deleteFrom('chunks').where('material_id', '=', materialId).execute();
  }

  chunksOf(materialId: string): Promise<ChunkRow[]> {
    return this.db.selectFrom('chunks').selectAll().where('material_id', '=', materialId).orderBy('idx').execute();
  }

  chunksOfCourse(courseId: string): Promise<ChunkRow[]> {
    return this.db.selectFrom('chunks').selectAll().where('course_id', '=', courseId).orderBy('material_id').orderBy('idx').execute();
  }

  /** Every chunk with its knowledge points, for (re)building a search index. */
  async indexable(materialId?: string): Promise<(ChunkRow & { kp_ids: string[] })[]> {
    let q = this.db.selectFrom('chunks').selectAll();
    if (materialId) q = q.where('material_id', '=', materialId);
    const chunks = await q.execute();
    let links = this.db.selectFrom('chunk_knowledge_points').innerJoin('chunks', 'chunks.id', 'chunk_knowledge_points.chunk_id').select(['chunk_id', 'knowledge_point_id']);
    if (materialId) links = links.where('chunks.material_id', '=', materialId);
    const byChunk = new Map<string, string[]>();
    for (const l of await links.execute()) byChunk.set(l.chunk_id, [...(byChunk.get(l.chunk_id) ?? []), l.knowledge_point_id]);
    return chunks.map((c) => ({ ...c, kp_ids: byChunk.get(c.id) ?? [] }));
  }

  async titles(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('materials').select(['id', 'title']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.title]));
  }
}
