import type { QuestionContent, QuestionType } from '@kpl/shared';

/**
 * What papers, attempts and grading need from the question bank. The questions module implements it;
 * the exams module depends only on this interface (and tests may use an in-memory one).
 */
export interface CatalogFilter {
  bankIds?: string[];
  knowledgePoints?: string[];
  types?: QuestionType[];
  difficultyMin?: number;
  difficultyMax?: number;
  excludeQuestionIds?: string[];
}

export interface CatalogEntry {
  questionId: string;
  versionId: string;
  type: QuestionType;
  difficulty: number;
}

/** An immutable question version as pinned by an attempt. */
export interface PinnedVersion {
  versionId: string;
  questionId: string;
  /** SHA-256 of the canonical content. */
  hash: string;
  content: QuestionContent;
  /** The question's suggested points (from the bank or import's 分值); papers may override. */
  defaultPoints: number;
}

export interface QuestionCatalog {
  /** Current versions of active questions matching the filter, ordered by questionId (stable for seeded picks). */
  listCurrent(filter: CatalogFilter): Promise<CatalogEntry[]>;
  countCurrent(filter: CatalogFilter): Promise<number>;
  getVersions(versionIds: string[]): Promise<Map<string, PinnedVersion>>;
  /** The current version of each question (re-grading after a key was corrected). */
  currentVersionsOf(questionIds: string[]): Promise<Map<string, PinnedVersion>>;
}
