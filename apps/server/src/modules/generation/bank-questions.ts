import type { GenerationPorts } from './ports.js';
import { signature, type Comparable } from './validate.js';

/** The bank's active questions as near-duplicate comparables (their current versions' stems). */
export async function bankQuestions(catalog: GenerationPorts['catalog'], bankId: string): Promise<Comparable[]> {
  const entries = await catalog.listCurrent({ bankIds: [bankId] });
  if (!entries.length) return [];
  const versions = await catalog.getVersions(entries.map((e) => e.versionId));
  return [...versions.values()].map((v) => ({ kind: 'bank' as const, id: v.questionId, text: signature(v.content) }));
}
