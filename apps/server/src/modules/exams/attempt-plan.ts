import type { OptionKey, PaperRule, QuestionContent } from '@kpl/shared';
import type { CatalogEntry, CatalogFilter } from '../questions/catalog.js';
import { createRng, shuffle, shuffledOptions } from './grading/index.js';
import { allocateRules } from './paper-allocation.js';

/**
 * Everything random about an attempt derives from its stored seed, each concern from its own
 * stream (`seed:pick`, `seed:order`, `seed:options:<question>`), so the same attempt always gets
 * the same questions, order and option order — and one concern never shifts another.
 */

export interface FixedItem {
  questionId: string;
  points: number;
}
export type PaperDefinition = { mode: 'fixed'; items: FixedItem[] } | { mode: 'random'; rules: PaperRule[] };

export interface PlannedQuestion {
  questionId: string;
  versionId: string;
  points: number;
}

export function ruleFilter(rule: PaperRule): CatalogFilter {
  return {
    ...(rule.bankIds.length > 0 && { bankIds: rule.bankIds }),
    ...(rule.knowledgePoints.length > 0 && { knowledgePoints: rule.knowledgePoints }),
    ...(rule.types.length > 0 && { types: rule.types }),
    ...(rule.difficultyMin !== undefined && { difficultyMin: rule.difficultyMin }),
    ...(rule.difficultyMax !== undefined && { difficultyMax: rule.difficultyMax }),
  };
}

/** The random paper's questions for one attempt, in rule order; null when the bank cannot satisfy the rules. */
export function pickForRules(seed: string, rules: readonly PaperRule[], candidates: readonly CatalogEntry[][]): PlannedQuestion[] | null {
  const rng = createRng(`${seed}:pick`);
  const shuffled = candidates.map((list) => shuffle(list, rng));
  const versionOf = new Map(shuffled.flat().map((e) => [e.questionId, e.versionId]));
  const allocation = allocateRules(shuffled.map((list, i) => ({ count: rules[i]!.count, candidates: list.map((e) => e.questionId) })));
  if (!allocation.ok) return null;
  return allocation.assigned.flatMap((ids, i) => ids.map((questionId) => ({ questionId, versionId: versionOf.get(questionId)!, points: rules[i]!.pointsEach })));
}

export function orderQuestions<T>(seed: string, list: readonly T[], shuffleQuestions: boolean): T[] {
  return shuffleQuestions ? shuffle(list, createRng(`${seed}:order`)) : [...list];
}

/** The display order of a choice question's options, or null when options keep their order. */
export function optionOrderFor(seed: string, questionId: string, content: QuestionContent, shuffleOptions: boolean): OptionKey[] | null {
  if (!shuffleOptions) return null;
  const order = shuffledOptions(content, createRng(`${seed}:options:${questionId}`));
  return order.length > 0 ? order : null;
}
