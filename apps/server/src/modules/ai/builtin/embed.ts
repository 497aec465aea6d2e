/**
 * Offline embeddings: a hashed bag of jieba tokens and character bigrams (signed feature hashing,
 * so collisions cancel rather than pile up), L2-normalised. Deterministic; similar wording gives
 * a high cosine, unrelated text a cosine near 0. Good enough for deduplication and small-scale
 * retrieval without a model.
 */
import { tokenize } from '../../content/index.js';
import { hash32 } from './text.js';

export const EMBEDDING_DIMENSIONS = 256;
const TOKEN_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;

export function embedText(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const add = (feature: string, weight: number) => {
    const h = hash32(feature);
    v[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * weight;
  };
  for (const t of tokenize(text)) add(`t:${t}`, TOKEN_WEIGHT);
  const chars = [...text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '')];
  for (let i = 0; i + 1 < chars.length; i++) add(`b:${chars[i]}${chars[i + 1]}`, BIGRAM_WEIGHT);
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
}
