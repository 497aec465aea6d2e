import type { Candidate, CreateGenerationJob, GenerationJob, QuestionType, ValidationRule } from '@kpl/shared';

/** One validation finding (named through Candidate: the shared index has another ValidationIssue). */
type ValidationIssue = Candidate['validation']['issues'][number];

/** What to generate from and into. Picking materials narrows the course to them. */
export interface GenerationForm {
  courseId: string;
  materialIds: string[];
  knowledgePointIds: string[];
  types: QuestionType[];
  count: number;
  /** 1–5, or 0 for mixed difficulty. */
  difficulty: number;
  bankId: string;
}

export function emptyGenerationForm(bankId = ''): GenerationForm {
  return { courseId: '', materialIds: [], knowledgePointIds: [], types: ['single', 'multiple', 'true_false', 'fill_blank'], count: 10, difficulty: 0, bankId };
}

export function generationInput(form: GenerationForm): CreateGenerationJob {
  return {
    ...(form.materialIds.length ? { materialIds: [...form.materialIds] } : { courseId: form.courseId }),
    ...(form.knowledgePointIds.length ? { knowledgePointIds: [...form.knowledgePointIds] } : {}),
    types: [...form.types],
    count: form.count,
    ...(form.difficulty > 0 ? { difficulty: form.difficulty } : {}),
    bankId: form.bankId,
  };
}

/** i18n keys under generation.problems. */
export function generationProblems(form: GenerationForm): string[] {
  const problems: string[] = [];
  if (!form.courseId && form.materialIds.length === 0) problems.push('courseRequired');
  if (form.types.length === 0) problems.push('typesRequired');
  if (!form.bankId) problems.push('bankRequired');
  if (!(form.count >= 1)) problems.push('countRequired');
  return problems;
}

export function isFinished(job: Pick<GenerationJob, 'status'>): boolean {
  return job.status === 'completed' || job.status === 'failed';
}

/** The flags reviewers care about first, in this order; the rest follow. */
const RULE_ORDER: readonly ValidationRule[] = ['key-support', 'duplicate', 'longest-key', 'source', 'options', 'schema'];

export interface Flag {
  rule: ValidationRule;
  severity: ValidationIssue['severity'];
  message: string;
}

/** A candidate's validation issues, errors before warnings, then by rule importance. */
export function flagsOf(issues: readonly ValidationIssue[]): Flag[] {
  const rank = (issue: ValidationIssue) => (issue.severity === 'error' ? 0 : 100) + RULE_ORDER.indexOf(issue.rule);
  return [...issues].sort((a, b) => rank(a) - rank(b)).map(({ rule, severity, message }) => ({ rule, severity, message }));
}

/** Which of the selected candidates a bulk approval would send (only those still awaiting review). */
export function approvable<T extends { id: string; status: string }>(selected: readonly T[]): string[] {
  return selected.filter((candidate) => candidate.status === 'pending').map((candidate) => candidate.id);
}

/** Which a bulk rejection would send (pending or invalid ones; decided ones stay). */
export function rejectable<T extends { id: string; status: string }>(selected: readonly T[]): string[] {
  return selected.filter((candidate) => candidate.status === 'pending' || candidate.status === 'invalid').map((candidate) => candidate.id);
}
