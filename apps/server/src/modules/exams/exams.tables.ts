import type { AttemptStatus, ExamStatus, GradeStatus, SubmitReason } from '@kpl/shared';

/** Table types of papers, exams and attempts (migration 0007), merged into the platform's DB interface. */

export interface PapersTable {
  id: string;
  title: string;
  description: string;
  mode: 'fixed' | 'random';
  /** JSON: fixed → PaperItem[], random → PaperRule[]. */
  definition: string;
  question_count: number;
  total_points: number;
  owner_id: string;
  created_at: number;
  updated_at: number;
}

export interface ExamsTable {
  id: string;
  title: string;
  description: string;
  paper_id: string;
  status: ExamStatus;
  opens_at: number;
  closes_at: number;
  duration_minutes: number;
  attempts_allowed: number;
  pass_mark: number;
  /** JSON ExamSettings. */
  settings: string;
  owner_id: string;
  published_at: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ExamAudienceTable {
  exam_id: string;
  target_type: 'department' | 'user';
  target_id: string;
}

export interface AttemptsTable {
  id: string;
  exam_id: string;
  user_id: string;
  attempt_no: number;
  status: AttemptStatus;
  seed: string;
  started_at: number;
  deadline_at: number;
  submitted_at: number | null;
  submit_reason: SubmitReason | null;
  score: number | null;
  max_score: number;
  pending_count: number;
  /** 1 / 0, null while anything is pending. */
  passed: number | null;
  graded_at: number | null;
}

export interface AttemptQuestionsTable {
  attempt_id: string;
  question_id: string;
  position: number;
  version_id: string;
  points: number;
  option_order: string | null;
  /** JSON AnswerValue; null until the first save. */
  answer: string | null;
  seq: number;
  flagged: number;
  saved_at: number | null;
  sealed: number;
}

export interface AttemptGradesTable {
  attempt_id: string;
  question_id: string;
  score: number;
  max_score: number;
  status: GradeStatus;
  grader: 'auto' | 'ai' | 'user' | null;
  correct: number | null;
  comment: string | null;
  /** JSON GradeDetail. */
  detail: string | null;
  ai_confidence: number | null;
  /** JSON AiAssessment. */
  ai_assessment: string | null;
  graded_by: string | null;
  graded_at: number | null;
  /**
   * The question version this grade was made against (migration 0011): the pinned one, or the
   * corrected version a re-grade moved it to. Null only in rows older than the column.
   */
  version_id: string | null;
}

export interface AttemptEventsTable {
  id: string;
  attempt_id: string;
  kind: string;
  at: number;
  detail: string | null;
  created_at: number;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    papers: PapersTable;
    exams: ExamsTable;
    exam_audience: ExamAudienceTable;
    attempts: AttemptsTable;
    attempt_questions: AttemptQuestionsTable;
    attempt_grades: AttemptGradesTable;
    attempt_events: AttemptEventsTable;
  }
}
