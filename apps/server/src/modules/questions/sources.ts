import type { QuestionSource } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

/** Chunk texts by id: what a question's source citation is checked against. */
export interface ChunkLookup {
  chunks(chunkIds: string[]): Promise<Map<string, { materialId: string; text: string }>>;
}

const IN_CHUNK = 500;

/** Reads the courses module's chunk rows (read-only; the table is the courses module's). */
export function chunkLookupFromDb(db: Kysely<DB>): ChunkLookup {
  return {
    async chunks(chunkIds) {
      const out = new Map<string, { materialId: string; text: string }>();
      const ids = [...new Set(chunkIds)];
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const rows = await db.selectFrom('chunks').select(['id', 'material_id', 'text']).where('id', 'in', ids.slice(i, i + IN_CHUNK)).execute();
        for (const r of rows) out.set(r.id, { materialId: r.material_id, text: r.text });
      }
      return out;
    },
  };
}

/** Line breaks and spaces differ between extraction and a quote copied by hand; they do not count. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Why the source does not hold up (the chunk is missing, belongs elsewhere, or lacks the quote), or null. */
export function sourceProblem(source: QuestionSource, chunk: { materialId: string; text: string } | undefined): { path: string; message: string } | null {
  if (!chunk) return { path: 'source.chunkId', message: 'no such chunk' };
  if (chunk.materialId !== source.materialId) return { path: 'source.materialId', message: 'the chunk belongs to another material' };
  if (!squeeze(chunk.text).includes(squeeze(source.quote))) return { path: 'source.quote', message: 'the quote does not occur in the chunk' };
  return null;
}
