import {
  OPTION_KEYS,
  questionContentSchema,
  type OptionKey,
  type QuestionContent,
  type QuestionContentInput,
  type QuestionSource,
  type QuestionType,
} from '@kpl/shared';

/**
 * The question editor's state: one flat model for every type, so switching the type keeps what
 * still applies (stem, options, metadata). `contentOfForm` turns it into the shared
 * `QuestionContent` the API takes; `formOfContent` goes the other way for editing a version.
 */
export interface QuestionForm {
  type: QuestionType;
  stem: string;
  explanation: string;
  difficulty: number;
  knowledgePoints: string[];
  tags: string[];
  /** single / multiple: keys are always A, B, C… in order. */
  options: { key: OptionKey; text: string }[];
  /** single: at most one key; multiple: any. */
  correct: OptionKey[];
  /** true_false; null until chosen. */
  truth: boolean | null;
  /** fill_blank: each blank's accepted answers. */
  blanks: { accepted: string[] }[];
  ordered: boolean;
  /** short_answer */
  referenceAnswer: string;
  rubric: { point: string; weight: number; keywords: string[] }[];
  /** Kept as it is (AI generation or import set it); the editor only shows it. */
  source: QuestionSource | null;
}

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = OPTION_KEYS.length;
export const MAX_BLANKS = 20;
export const MAX_RUBRIC_POINTS = 20;

const keyAt = (index: number): OptionKey => OPTION_KEYS[index] as OptionKey;

export function emptyQuestionForm(type: QuestionType = 'single'): QuestionForm {
  return {
    type,
    stem: '',
    explanation: '',
    difficulty: 3,
    knowledgePoints: [],
    tags: [],
    options: [0, 1, 2, 3].map((i) => ({ key: keyAt(i), text: '' })),
    correct: [],
    truth: null,
    blanks: [{ accepted: [] }],
    ordered: true,
    referenceAnswer: '',
    rubric: [{ point: '', weight: 1, keywords: [] }],
    source: null,
  };
}

export function formOfContent(content: QuestionContent): QuestionForm {
  const form = emptyQuestionForm(content.type);
  Object.assign(form, {
    stem: content.stem,
    explanation: content.explanation,
    difficulty: content.difficulty,
    knowledgePoints: [...content.knowledgePoints],
    tags: [...content.tags],
    source: content.source,
  });
  switch (content.type) {
    case 'single':
    case 'multiple':
      form.options = content.options.map((option) => ({ ...option }));
      form.correct = [...content.correct];
      break;
    case 'true_false':
      form.truth = content.correct;
      break;
    case 'fill_blank':
      form.blanks = content.blanks.map((blank) => ({ accepted: [...blank.accepted] }));
      form.ordered = content.ordered;
      break;
    case 'short_answer':
      form.referenceAnswer = content.referenceAnswer;
      form.rubric = content.rubric.map((point) => ({ ...point, keywords: [...point.keywords] }));
      break;
  }
  return form;
}

/** Trimmed, without empty or repeated entries. */
export function cleanList(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

/** The content the form describes, not yet validated (the shared schema does that). */
export function draftContent(form: QuestionForm): QuestionContentInput {
  const common = {
    stem: form.stem.trim(),
    explanation: form.explanation.trim(),
    difficulty: form.difficulty,
    knowledgePoints: cleanList(form.knowledgePoints),
    tags: cleanList(form.tags),
    source: form.source,
  };
  switch (form.type) {
    case 'single':
    case 'multiple': {
      const correct = OPTION_KEYS.filter((key) => form.correct.includes(key));
      return { type: form.type, ...common, options: form.options.map((o) => ({ key: o.key, text: o.text.trim() })), correct };
    }
    case 'true_false':
      // An unchosen answer fails validation ("expected boolean") instead of defaulting silently.
      return { type: 'true_false', ...common, correct: form.truth as boolean };
    case 'fill_blank':
      return { type: 'fill_blank', ...common, blanks: form.blanks.map((b) => ({ accepted: cleanList(b.accepted) })), ordered: form.ordered };
    case 'short_answer':
      return {
        type: 'short_answer',
        ...common,
        referenceAnswer: form.referenceAnswer.trim(),
        rubric: form.rubric.map((r) => ({ point: r.point.trim(), weight: r.weight, keywords: cleanList(r.keywords) })),
      };
  }
}

/** Where a problem is, as the editor shows it: a field name and, for lists, the item's index. */
export interface FormProblem {
  field: 'stem' | 'options' | 'correct' | 'truth' | 'blanks' | 'referenceAnswer' | 'rubric' | 'explanation' | 'knowledgePoints' | 'tags' | 'other';
  index?: number;
  /** i18n key under questionBank.problems */
  reason: 'required' | 'tooLong' | 'chooseKey' | 'chooseOneKey' | 'duplicateOption' | 'acceptedRequired' | 'weight' | 'invalid';
}

export type ContentCheck = { ok: true; content: QuestionContent } | { ok: false; problems: FormProblem[] };

/** Validates the form with the shared schema plus the rules the schema cannot express. */
export function contentOfForm(form: QuestionForm): ContentCheck {
  const problems: FormProblem[] = [];
  const draft = draftContent(form);

  if ((form.type === 'single' || form.type === 'multiple') && 'options' in draft) {
    const seen = new Map<string, number>();
    draft.options.forEach((option, index) => {
      if (!option.text) problems.push({ field: 'options', index, reason: 'required' });
      else if (seen.has(option.text)) problems.push({ field: 'options', index, reason: 'duplicateOption' });
      else seen.set(option.text, index);
    });
    const keys = new Set(draft.options.map((o) => o.key));
    const correct = form.correct.filter((key) => keys.has(key));
    if (correct.length === 0) problems.push({ field: 'correct', reason: 'chooseKey' });
    else if (form.type === 'single' && correct.length > 1) problems.push({ field: 'correct', reason: 'chooseOneKey' });
  }
  if (form.type === 'true_false' && form.truth === null) problems.push({ field: 'truth', reason: 'chooseKey' });
  if (form.type === 'fill_blank') {
    form.blanks.forEach((blank, index) => {
      if (cleanList(blank.accepted).length === 0) problems.push({ field: 'blanks', index, reason: 'acceptedRequired' });
    });
  }
  if (form.type === 'short_answer') {
    form.rubric.forEach((point, index) => {
      if (!point.point.trim()) problems.push({ field: 'rubric', index, reason: 'required' });
      else if (!(point.weight > 0 && point.weight <= 100)) problems.push({ field: 'rubric', index, reason: 'weight' });
    });
  }

  const parsed = questionContentSchema.safeParse(draft);
  if (parsed.success && problems.length === 0) return { ok: true, content: parsed.data };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const problem = problemOfIssue(issue.path, issue.code);
      // The form's own checks already said it better for these fields.
      if (!problems.some((p) => p.field === problem.field && p.index === problem.index)) problems.push(problem);
    }
  }
  return { ok: false, problems };
}

const FIELD_OF_PATH: Record<string, FormProblem['field']> = {
  stem: 'stem',
  options: 'options',
  correct: 'correct',
  blanks: 'blanks',
  referenceAnswer: 'referenceAnswer',
  rubric: 'rubric',
  explanation: 'explanation',
  knowledgePoints: 'knowledgePoints',
  tags: 'tags',
};

function problemOfIssue(path: readonly PropertyKey[], code: string): FormProblem {
  const [head, index] = path;
  const field = typeof head === 'string' ? (FIELD_OF_PATH[head] ?? 'other') : 'other';
  const reason: FormProblem['reason'] = code === 'too_big' ? 'tooLong' : code === 'too_small' ? 'required' : 'invalid';
  return typeof index === 'number' ? { field, index, reason } : { field, reason };
}

// ---- Edits that keep the form consistent ----

/** Changes the type, keeping what still applies: options and the key stay between single and multiple. */
export function changeType(form: QuestionForm, type: QuestionType): QuestionForm {
  const next: QuestionForm = { ...form, type };
  if (type === 'single' && form.correct.length > 1) next.correct = form.correct.slice(0, 1);
  return next;
}

export function addOption(form: QuestionForm): void {
  if (form.options.length >= MAX_OPTIONS) return;
  form.options.push({ key: keyAt(form.options.length), text: '' });
}

/** Removes an option; the ones after it move up a letter and the key follows its option. */
export function removeOption(form: QuestionForm, index: number): void {
  if (form.options.length <= MIN_OPTIONS || index < 0 || index >= form.options.length) return;
  const kept = form.options.filter((_, i) => i !== index).map((option) => ({ text: option.text, correct: form.correct.includes(option.key) }));
  form.options = kept.map((option, i) => ({ key: keyAt(i), text: option.text }));
  form.correct = kept.flatMap((option, i) => (option.correct ? [keyAt(i)] : []));
}

/** Marks a key: single keeps one, multiple toggles. */
export function toggleCorrect(form: QuestionForm, key: OptionKey): void {
  if (form.type === 'single') {
    form.correct = [key];
  } else {
    form.correct = form.correct.includes(key) ? form.correct.filter((k) => k !== key) : OPTION_KEYS.filter((k) => k === key || form.correct.includes(k));
  }
}

/** Swaps an item with its neighbour (rubric points, blanks); out-of-range moves do nothing. */
export function moveItem<T>(items: T[], index: number, delta: -1 | 1): void {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return;
  const [moved] = items.splice(index, 1);
  items.splice(target, 0, moved as T);
}

/** The rubric's total weight and each point's share of it in percent (what graders see). */
export function rubricShares(rubric: readonly { weight: number }[]): number[] {
  const total = rubric.reduce((sum, r) => sum + (r.weight > 0 ? r.weight : 0), 0);
  return rubric.map((r) => (total > 0 && r.weight > 0 ? Math.round((r.weight / total) * 1000) / 10 : 0));
}

/** Blank markers in a stem: runs of underscores or （ ）/ ( ) pairs. Used to suggest how many blanks there are. */
export function countBlankMarkers(stem: string): number {
  const text = stem.replace(/<[^>]*>/g, '');
  return (text.match(/_{2,}|（\s*）|\(\s*\)/g) ?? []).length;
}
