import type { QuestionStatus, QuestionType } from '@kpl/shared';

/** Table types of the question bank (migration 0006), merged into the platform's DB interface. */

export interface QuestionBanksTable {
  id: string;
  name: string;
  description: string;
  course_id: string | null;
  owner_id: string;
  created_at: number;
  updated_at: number;
}

export interface QuestionsTable {
  id: string;
  bank_id: string;
  type: QuestionType;
  status: QuestionStatus;
  difficulty: number;
  /** DECIMAL(8,2): MariaDB returns it as a string. */
  default_points: number | string;
  current_version_id: string;
  current_hash: string;
  stem_text: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface QuestionVersionsTable {
  id: string;
  question_id: string;
  hash: string;
  /** Canonical JSON of the content. */
  content: string;
  created_by: string;
  created_at: number;
}

export type QuestionLabelKind = 'kp' | 'tag';

export interface QuestionLabelsTable {
  question_id: string;
  kind: QuestionLabelKind;
  value: string;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    question_banks: QuestionBanksTable;
    questions: QuestionsTable;
    question_versions: QuestionVersionsTable;
    question_labels: QuestionLabelsTable;
  }
}
