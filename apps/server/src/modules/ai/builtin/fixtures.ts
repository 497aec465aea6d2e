/**
 * The real sample material (《个人信息保护法》, apps/server/fixtures/samples/pipl.md) as the source
 * chunks the capabilities receive: used by the builtin engine's tests and the generation report.
 */
import { readFileSync } from 'node:fs';
import { extractDocument } from '../../content/index.js';
import type { SourceChunk } from '../capabilities.js';

export const SAMPLE_URL = new URL('../../../../fixtures/samples/pipl.md', import.meta.url);

export async function sampleChunks(materialId = 'sample-pipl'): Promise<SourceChunk[]> {
  const doc = await extractDocument(readFileSync(SAMPLE_URL), 'markdown');
  return doc.chunks.map((c) => ({ chunkId: `${materialId}#${c.index}`, materialId, text: c.text, citation: c.location, headingPath: c.headingPath }));
}
