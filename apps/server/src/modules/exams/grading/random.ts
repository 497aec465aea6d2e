import type { OptionKey, QuestionContent } from '@kpl/shared';

/**
 * Seeded randomness for attempts: the same seed (e.g. the attempt id) always picks the same
 * questions in the same order with the same option order, on any machine and Node version —
 * so an attempt can be rebuilt from its seed instead of storing every choice.
 */

/** Returns numbers in [0, 1), like Math.random. */
export type Rng = () => number;

/**
 * cyrb128 (bryc, public domain): hashes a string into four 32-bit words to seed sfc32. Works on
 * UTF-16 code units with 32-bit integer arithmetic only, so it is the same everywhere.
 */
function cyrb128(seed: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand): 128-bit state, 32-bit output. */
export function createRng(seed: string): Rng {
  let [a, b, c, d] = cyrb128(seed);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/**
 * `count` distinct entries (by position) chosen uniformly, in random order — the first `count`
 * steps of a Fisher–Yates shuffle. Asking for more than there are returns them all, shuffled:
 * the caller decides whether a short pool is an error. Does not modify `entries`.
 */
export function pickRandom<T>(entries: readonly T[], count: number, rng: Rng): T[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be an integer ≥ 0, got ${count}`);
  const pool = [...entries];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}

/** A shuffled copy (Fisher–Yates); `array` is left as it was. */
export function shuffle<T>(array: readonly T[], rng: Rng): T[] {
  return pickRandom(array, array.length, rng);
}

/**
 * The display order of a choice question's options. Keys keep their identity — the learner still
 * answers with the original keys — so only the order of display changes. [] for other types.
 */
export function shuffledOptions(content: QuestionContent, rng: Rng): OptionKey[] {
  if (content.type !== 'single' && content.type !== 'multiple') return [];
  return shuffle(
    content.options.map((o) => o.key),
    rng,
  );
}
