/**
 * Which questions each random-paper rule gets, when a question may serve at most one rule.
 *
 * Rules may overlap (rule 1: "any question of bank A", rule 2: "single choice of bank A"), so
 * taking questions greedily can starve a later rule that a different choice would have satisfied.
 * This is a bipartite b-matching: rule slots on one side, questions on the other. Each slot first
 * takes a free candidate (in the caller's preference order, e.g. seeded-shuffled), and only when
 * none is free looks for an augmenting path that moves a question from another rule to one of
 * that rule's alternatives. The result is a maximum allocation, so "not enough questions" is
 * reported only when no allocation could satisfy every rule; earlier rules are served first.
 */
export interface RuleCandidates {
  count: number;
  /** Candidate question ids in preference order (no duplicates within a rule). */
  candidates: readonly string[];
}

export interface AllocationOutcome {
  /** Per rule, the allocated question ids (at most `count`). */
  assigned: string[][];
  /** Per rule, whether it got `count` questions. */
  satisfied: boolean[];
  ok: boolean;
}

export function allocateRules(rules: readonly RuleCandidates[]): AllocationOutcome {
  const owner = new Map<string, number>();
  const assigned = rules.map(() => new Set<string>());
  // Allocated questions never become free again, so each rule's scan for a free one only moves forward.
  const cursor = rules.map(() => 0);

  const takeFree = (r: number): boolean => {
    const list = rules[r]!.candidates;
    while (cursor[r]! < list.length) {
      const q = list[cursor[r]!]!;
      cursor[r]!++;
      if (!owner.has(q)) {
        owner.set(q, r);
        assigned[r]!.add(q);
        return true;
      }
    }
    return false;
  };

  const augment = (r: number, seenRules: Set<number>, seenQuestions: Set<string>): boolean => {
    seenRules.add(r);
    if (takeFree(r)) return true;
    for (const q of rules[r]!.candidates) {
      const holder = owner.get(q);
      if (holder === undefined || holder === r || seenQuestions.has(q) || seenRules.has(holder)) continue;
      seenQuestions.add(q);
      if (augment(holder, seenRules, seenQuestions)) {
        assigned[holder]!.delete(q);
        owner.set(q, r);
        assigned[r]!.add(q);
        return true;
      }
    }
    return false;
  };

  rules.forEach((rule, r) => {
    for (let slot = 0; slot < rule.count; slot++) {
      if (!augment(r, new Set(), new Set())) break;
    }
  });
  const satisfied = rules.map((rule, r) => assigned[r]!.size >= rule.count);
  return { assigned: assigned.map((s) => [...s]), satisfied, ok: satisfied.every(Boolean) };
}
