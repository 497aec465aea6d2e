/**
 * Unordered blanks ("name the three principles …"): the learner's answers may fill the blanks in
 * any order. Answers are matched to blanks as a maximum bipartite matching, so the learner gets
 * the best assignment there is — each answer fills at most one blank and each blank takes at most
 * one answer. A repeated answer (equal after normalisation) is matched only once: writing the same
 * thing twice cannot fill two blanks, even when two blanks accept it.
 *
 * Kuhn's augmenting-path algorithm; with at most 20 blanks its O(n³) is nothing.
 *
 * @param answers  normalised answers, one per slot ('' = empty)
 * @param accepted normalised accepted answers, one set per blank
 * @returns for each slot, the index of the blank it fills, or null
 */
export function matchUnorderedBlanks(answers: string[], accepted: ReadonlySet<string>[]): (number | null)[] {
  const seen = new Set<string>();
  const candidates = answers.map((answer) => {
    if (answer === '' || seen.has(answer)) return [];
    seen.add(answer);
    return accepted.flatMap((set, blank) => (set.has(answer) ? [blank] : []));
  });

  const slotOfBlank: (number | null)[] = accepted.map(() => null);
  const augment = (slot: number, visited: boolean[]): boolean => {
    for (const blank of candidates[slot] ?? []) {
      if (visited[blank]) continue;
      visited[blank] = true;
      const holder = slotOfBlank[blank];
      if (holder === null || holder === undefined || augment(holder, visited)) {
        slotOfBlank[blank] = slot;
        return true;
      }
    }
    return false;
  };
  answers.forEach((_, slot) => augment(slot, accepted.map(() => false)));

  const blankOfSlot: (number | null)[] = answers.map(() => null);
  slotOfBlank.forEach((slot, blank) => {
    if (slot !== null) blankOfSlot[slot] = blank;
  });
  return blankOfSlot;
}
