import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, pickRandom, shuffle, shuffledOptions } from './random.js';
import { multiple, orderedBlanks, single, trueFalse } from './test-fixtures.js';

const seed = fc.string({ maxLength: 40 });
const sorted = <T>(a: T[]) => [...a].sort();

describe('createRng', () => {
  it('gives the same numbers for a seed on every machine (pinned values of cyrb128 + sfc32)', () => {
    const rng = createRng('attempt-0190a1b2');
    expect([rng(), rng(), rng()]).toEqual([0.45904180221259594, 0.20198409399017692, 0.6929654637351632]);
    expect(shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], createRng('paper-42'))).toEqual([8, 5, 3, 1, 2, 9, 7, 10, 4, 6]);
  });

  it('returns numbers in [0, 1)', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const rng = createRng(s);
        for (let i = 0; i < 100; i++) {
          const x = rng();
          expect(x >= 0 && x < 1).toBe(true);
        }
      }),
    );
  });
});

describe('shuffle', () => {
  it('is a permutation and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), seed, (array, s) => {
        const copy = [...array];
        const result = shuffle(array, createRng(s));
        expect(array).toEqual(copy);
        expect(sorted(result)).toEqual(sorted(array));
      }),
    );
  });

  it('is reproducible from the seed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 50 }), seed, (array, s) => {
        expect(shuffle(array, createRng(s))).toEqual(shuffle(array, createRng(s)));
      }),
    );
  });

  it('gives different orders for different seeds on long arrays', () => {
    const array = Array.from({ length: 30 }, (_, i) => i);
    fc.assert(
      fc.property(seed, seed, (a, b) => {
        fc.pre(a !== b);
        expect(shuffle(array, createRng(a))).not.toEqual(shuffle(array, createRng(b)));
      }),
    );
  });

  it('puts every element first about equally often over many seeds', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) {
      const first = shuffle([0, 1, 2, 3], createRng(`seed-${i}`))[0] as number;
      counts[first] = (counts[first] ?? 0) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('pickRandom', () => {
  it('picks min(count, length) distinct entries of the pool, reproducibly', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer()), fc.nat({ max: 60 }), seed, (pool, count, s) => {
        const picked = pickRandom(pool, count, createRng(s));
        expect(picked).toHaveLength(Math.min(count, pool.length));
        expect(new Set(picked).size).toBe(picked.length);
        for (const p of picked) expect(pool).toContain(p);
        expect(pickRandom(pool, count, createRng(s))).toEqual(picked);
      }),
    );
  });

  it('takes the first steps of the same shuffle', () => {
    const pool = Array.from({ length: 20 }, (_, i) => i);
    expect(pickRandom(pool, 5, createRng('x'))).toEqual(shuffle(pool, createRng('x')).slice(0, 5));
  });

  it('rejects a count that is not a whole number ≥ 0', () => {
    expect(() => pickRandom([1, 2], -1, createRng('x'))).toThrow(RangeError);
    expect(() => pickRandom([1, 2], 1.5, createRng('x'))).toThrow(RangeError);
  });
});

describe('shuffledOptions', () => {
  it('orders the option keys of choice questions, reproducibly', () => {
    fc.assert(
      fc.property(seed, (s) => {
        for (const q of [single, multiple]) {
          const order = shuffledOptions(q, createRng(s));
          expect(sorted(order)).toEqual(['A', 'B', 'C', 'D']);
          expect(shuffledOptions(q, createRng(s))).toEqual(order);
        }
      }),
    );
  });

  it('is empty for questions without options', () => {
    expect(shuffledOptions(trueFalse, createRng('x'))).toEqual([]);
    expect(shuffledOptions(orderedBlanks, createRng('x'))).toEqual([]);
  });
});
