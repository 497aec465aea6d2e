import type { CreatePaperInput, paperDetailSchema, PaperRuleInput, QuestionType } from '@kpl/shared';

export type PaperDetail = ReturnType<typeof paperDetailSchema.parse>;

/**
 * The paper editor's state. A fixed paper lists questions with their points in order; a random
 * paper draws, per rule, `count` questions matching the rule's filters, each worth `pointsEach`.
 */
export interface FixedItemForm {
  questionId: string;
  /** Shown in the list; not sent. */
  stem: string;
  type: QuestionType;
  points: number;
}

export interface RuleForm {
  /** Stable across edits so availability results stay attached to their rule. */
  uid: string;
  bankIds: string[];
  knowledgePoints: string[];
  types: QuestionType[];
  difficulty: [number, number];
  count: number;
  pointsEach: number;
}

export interface PaperForm {
  title: string;
  description: string;
  mode: 'fixed' | 'random';
  items: FixedItemForm[];
  rules: RuleForm[];
}

let nextUid = 0;
export function newRule(defaults: Partial<Omit<RuleForm, 'uid'>> = {}): RuleForm {
  nextUid += 1;
  return { uid: `rule-${nextUid}`, bankIds: [], knowledgePoints: [], types: [], difficulty: [1, 5], count: 5, pointsEach: 2, ...defaults };
}

export function emptyPaperForm(mode: PaperForm['mode'] = 'random'): PaperForm {
  return { title: '', description: '', mode, items: [], rules: mode === 'random' ? [newRule()] : [] };
}

/** The stored paper back in the editor; a fixed paper's stems come from its preview. */
export function formOfPaper(paper: PaperDetail): PaperForm {
  const previews = new Map((paper.preview ?? []).map((entry) => [entry.questionId, entry]));
  return {
    title: paper.title,
    description: paper.description,
    mode: paper.mode,
    items: (paper.items ?? []).map((item) => {
      const preview = previews.get(item.questionId);
      return { questionId: item.questionId, points: item.points, stem: preview?.stem ?? '', type: preview?.type ?? 'single' };
    }),
    rules: (paper.rules ?? []).map(ruleOfInput),
  };
}

/** Question count and total points, as the summary bar shows them. */
export function paperTotals(form: PaperForm): { questions: number; points: number } {
  if (form.mode === 'fixed') {
    return { questions: form.items.length, points: roundPoints(form.items.reduce((sum, item) => sum + item.points, 0)) };
  }
  return {
    questions: form.rules.reduce((sum, rule) => sum + rule.count, 0),
    points: roundPoints(form.rules.reduce((sum, rule) => sum + rule.count * rule.pointsEach, 0)),
  };
}

/** Points are kept to two decimals (the server stores cents). */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}

/** Adds questions picked from the bank, skipping ones already on the paper. */
export function addItems(form: PaperForm, picked: readonly FixedItemForm[]): number {
  const present = new Set(form.items.map((item) => item.questionId));
  let added = 0;
  for (const question of picked) {
    if (present.has(question.questionId)) continue;
    present.add(question.questionId);
    form.items.push({ ...question });
    added += 1;
  }
  return added;
}

/** Moves a question to another position (drag or the up/down buttons). */
export function moveTo<T>(items: T[], from: number, to: number): void {
  if (from === to || from < 0 || from >= items.length || to < 0 || to >= items.length) return;
  const [moved] = items.splice(from, 1);
  items.splice(to, 0, moved as T);
}

/** A rule as the API takes it: only the filters that are set; difficulty 1–5 is "any". */
export function ruleInput(rule: RuleForm): PaperRuleInput {
  const low = Math.min(...rule.difficulty);
  const high = Math.max(...rule.difficulty);
  return {
    bankIds: [...rule.bankIds],
    knowledgePoints: [...rule.knowledgePoints],
    types: [...rule.types],
    ...(low > 1 ? { difficultyMin: low } : {}),
    ...(high < 5 ? { difficultyMax: high } : {}),
    count: rule.count,
    pointsEach: roundPoints(rule.pointsEach),
  };
}

export function ruleOfInput(rule: PaperRuleInput): RuleForm {
  return newRule({
    bankIds: [...(rule.bankIds ?? [])],
    knowledgePoints: [...(rule.knowledgePoints ?? [])],
    types: [...(rule.types ?? [])],
    difficulty: [rule.difficultyMin ?? 1, rule.difficultyMax ?? 5],
    count: rule.count,
    pointsEach: rule.pointsEach,
  });
}

/**
 * What the availability check depends on: the filters and counts of every rule, in order (a
 * question is used once per paper, so earlier rules affect later ones), not the points.
 */
export function availabilityKey(rules: readonly RuleForm[]): string {
  return JSON.stringify(rules.map((rule) => {
    const { pointsEach: _points, ...rest } = ruleInput(rule);
    return rest;
  }));
}

/** One rule's line of the check: matching on its own, available after earlier rules took theirs. */
export interface RuleAvailability {
  requested: number;
  matching: number;
  available: number;
  ok: boolean;
}

export type RuleStatus = 'checking' | 'enough' | 'short' | 'unknown';

export function ruleStatus(availability: RuleAvailability | undefined, checking: boolean): RuleStatus {
  if (checking) return 'checking';
  if (!availability) return 'unknown';
  return availability.ok ? 'enough' : 'short';
}

/** A fixed or random paper as the create endpoint takes it. */
export function paperInput(form: PaperForm): CreatePaperInput {
  const common = { title: form.title.trim(), description: form.description.trim() };
  return form.mode === 'fixed'
    ? { mode: 'fixed', ...common, items: form.items.map((item) => ({ questionId: item.questionId, points: roundPoints(item.points) })) }
    : { mode: 'random', ...common, rules: form.rules.map(ruleInput) };
}

/** Problems that keep the paper from being saved, as i18n keys under papers.problems. */
export function paperProblems(form: PaperForm): string[] {
  const problems: string[] = [];
  if (!form.title.trim()) problems.push('titleRequired');
  if (form.mode === 'fixed') {
    if (form.items.length === 0) problems.push('noQuestions');
    if (form.items.some((item) => !(item.points > 0))) problems.push('pointsPositive');
  } else {
    if (form.rules.length === 0) problems.push('noRules');
    if (form.rules.some((rule) => !(rule.count >= 1) || !Number.isInteger(rule.count))) problems.push('countPositive');
    if (form.rules.some((rule) => !(rule.pointsEach > 0))) problems.push('pointsPositive');
  }
  return problems;
}
