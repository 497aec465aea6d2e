import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateRules, type RuleCandidates } from './paper-allocation.js';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Exhaustive feasibility for tiny cases: can every rule get its count with each question used once? */
function feasible(rules: RuleCandidates[]): boolean {
  const used = new Set<string>();
  const go = (r: number, need: number, from: number): boolean => {
    if (r === rules.length) return true;
    if (need === 0) return go(r + 1, rules[r + 1]?.count ?? 0, 0);
    const list = rules[r]!.candidates;
    for (let i = from; i < list.length; i++) {
      const q = list[i]!;
      if (used.has(q)) continue;
      used.add(q);
      if (go(r, need - 1, i + 1)) return true;
      used.delete(q);
    }
    return false;
  };
  return rules.length === 0 || go(0, rules[0]!.count, 0);
}

describe('allocateRules', () => {
  it('satisfies overlapping rules that a greedy pick in rule order would starve', () => {
    // Rule 1 takes "any of bank A" (singles first in its order), rule 2 needs singles only.
    const singles = ids('s', 3);
    const multiples = ids('m', 3);
    const out = allocateRules([
      { count: 3, candidates: [...singles, ...multiples] },
      { count: 3, candidates: singles },
    ]);
    expect(out.ok).toBe(true);
    expect(out.assigned[1]!.sort()).toEqual(singles);
    expect(out.assigned[0]!.sort()).toEqual(multiples);
  });

  it('reports which rules fall short, serving earlier rules first', () => {
    const out = allocateRules([
      { count: 2, candidates: ['a', 'b', 'c'] },
      { count: 2, candidates: ['b', 'c'] },
    ]);
    expect(out.ok).toBe(false);
    expect(out.satisfied).toEqual([true, false]);
    expect(out.assigned[0]).toHaveLength(2);
    expect(out.assigned[1]).toHaveLength(1);
  });

  it('prefers candidates in the given order when nothing forces otherwise', () => {
    expect(allocateRules([{ count: 2, candidates: ['x', 'y', 'z'] }]).assigned).toEqual([['x', 'y']]);
  });

  it('never uses a question twice or outside its rule, and is ok exactly when an allocation exists', () => {
    const pool = ids('q', 7);
    const rule = fc.record({
      count: fc.integer({ min: 1, max: 3 }),
      candidates: fc.subarray(pool, { minLength: 0, maxLength: 7 }),
    });
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (rules) => {
        const out = allocateRules(rules);
        const all = out.assigned.flat();
        expect(new Set(all).size).toBe(all.length);
        out.assigned.forEach((list, i) => {
          expect(list.length).toBeLessThanOrEqual(rules[i]!.count);
          for (const q of list) expect(rules[i]!.candidates).toContain(q);
        });
        expect(out.ok).toBe(feasible(rules));
        expect(out.ok).toBe(out.satisfied.every(Boolean));
      }),
      { numRuns: 400 },
    );
  });
});
