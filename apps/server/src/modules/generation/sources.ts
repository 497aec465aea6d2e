/**
 * The material a job generates from: the chunks of its (ready) materials, restricted to the
 * chunks linked to its knowledge points when it names some, as the capability's SourceChunks.
 */
import type { SourceChunk } from '../ai/capabilities.js';
import type { KnowledgePointsRepository, MaterialsRepository } from '../courses/index.js';

/** Chunks handed to the generator at most (the first ones in material and reading order). */
export const MAX_SOURCE_CHUNKS = 400;

export type MaterialsReader = Pick<MaterialsRepository, 'find' | 'forCourse' | 'indexable' | 'titles'>;
export type KnowledgePointsReader = Pick<KnowledgePointsRepository, 'find'>;

/** A source chunk with what a question's citation keeps. */
export interface JobChunk extends SourceChunk {
  /** "material title › location" (what the stored question shows as its source). */
  citation: string;
}

export async function jobChunks(materials: MaterialsReader, materialIds: string[], knowledgePointIds: string[]): Promise<JobChunk[]> {
  const titles = await materials.titles(materialIds);
  const wanted = new Set(knowledgePointIds);
  const out: JobChunk[] = [];
  for (const id of materialIds) {
    const title = titles.get(id);
    if (title === undefined) continue; // deleted since the job was created
    const rows = (await materials.indexable(id)).sort((a, b) => Number(a.idx) - Number(b.idx));
    for (const r of rows) {
      if (wanted.size && !r.kp_ids.some((k) => wanted.has(k))) continue;
      out.push({
        chunkId: r.id,
        materialId: r.material_id,
        text: r.text,
        citation: [title, r.location].filter(Boolean).join(' › ').slice(0, 500),
        headingPath: parsePath(r.heading_path),
      });
      if (out.length >= MAX_SOURCE_CHUNKS) return out;
    }
  }
  return out;
}

function parsePath(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
