import type { WrongAnswerStatus } from '@kpl/shared';

/** Table types of the wrong-answer book (migration 0010), merged into the platform's DB interface. */

export interface WrongAnswersTable {
  id: string;
  user_id: string;
  question_id: string;
  version_id: string;
  status: WrongAnswerStatus;
  wrong_count: number;
  streak: number;
  last_wrong_at: number;
  last_answered_at: number;
  last_attempt_id: string | null;
  exam_id: string | null;
  exam_title: string | null;
  cleared_at: number | null;
  /** Bumped by every update: a conditional UPDATE on it replaces row locks. */
  revision: number;
  created_at: number;
  updated_at: number;
}

export interface WrongAnswerPointsTable {
  entry_id: string;
  knowledge_point: string;
}

export interface WrongAnswerAttemptsTable {
  attempt_id: string;
  user_id: string;
  recorded_at: number;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    wrong_answers: WrongAnswersTable;
    wrong_answer_points: WrongAnswerPointsTable;
    wrong_answer_attempts: WrongAnswerAttemptsTable;
  }
}
